/** Why a model file was refused; each code has a human message on the error. */
export type ModelFileReason =
  | 'too-large'
  | 'truncated'
  | 'header-length'
  | 'header-json'
  | 'header-depth'
  | 'duplicate-key'
  | 'dtype'
  | 'shape'
  | 'offsets'
  | 'not-finite'
  | 'missing-tensor'
  | 'architecture';

/** A model file that cannot be used (or a model that cannot be saved), with a reason code. */
export class ModelFileError extends Error {
  constructor(
    readonly reason: ModelFileReason,
    message: string,
  ) {
    super(message);
    this.name = 'ModelFileError';
  }
}
