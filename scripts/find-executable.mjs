// Locating a system program for the tests: an environment variable first, then names on the
// PATH, then fixed paths (programs Debian installs outside the PATH). Nothing is downloaded.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const executable = (path) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * The path of the first program found: `env` (an environment variable's name) if set, else each
 * of `names` in each PATH folder, else each of `paths`. Throws `missing` when there is none.
 */
export function findExecutable({ env, names = [], paths = [], missing }) {
  const fromEnv = env ? process.env[env] : undefined;
  if (fromEnv) return fromEnv;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of names) if (executable(join(dir, name))) return join(dir, name);
  }
  for (const path of paths) if (executable(path)) return path;
  throw new Error(missing);
}
