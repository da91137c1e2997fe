// Locates the system Firefox for the smoke suite: FIREFOX_PATH first, then `firefox-esr` /
// `firefox` on the PATH (Debian: apt-get install firefox-esr). Nothing downloads a browser:
// puppeteer-core drives this one over WebDriver BiDi.
import { findExecutable } from './find-executable.mjs';

/** Returns the path of the system Firefox, or throws a message that says how to get one. */
export function findFirefox() {
  return findExecutable({
    env: 'FIREFOX_PATH',
    names: ['firefox-esr', 'firefox'],
    missing: 'No Firefox found. Set FIREFOX_PATH, or install one (Debian: apt-get install firefox-esr); the Firefox smoke suite needs it.',
  });
}
