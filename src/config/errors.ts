/** A rejected configuration value; `field` is the dotted path of the offending value. */
export class ConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'ConfigError';
  }
}

/** The text shown for what a validation threw: a ConfigError's message ("field: why"), anything else as a string. */
export function configErrorText(e: unknown): string {
  return e instanceof ConfigError ? e.message : String(e);
}
