// Locates the system Firefox for the smoke suite: FIREFOX_PATH first, then `firefox-esr` /
// `firefox` on the PATH (Debian: apt-get install firefox-esr). Nothing downloads a browser:
// puppeteer-core drives this one over WebDriver BiDi.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const NAMES = ['firefox-esr', 'firefox'];

/** Returns the path of the system Firefox, or throws a message that says how to get one. */
export function findFirefox() {
  const fromEnv = process.env.FIREFOX_PATH;
  if (fromEnv) return fromEnv;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of NAMES) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here; keep looking
      }
    }
  }
  throw new Error('No Firefox found. Set FIREFOX_PATH, or install one (Debian: apt-get install firefox-esr); the Firefox smoke suite needs it.');
}
