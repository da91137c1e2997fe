// Locates WebKitGTK for the WebKit smoke suite (Safari's engine, as Debian ships it):
// WebKitWebDriver (package webkit2gtk-driver) drives MiniBrowser (package libwebkit2gtk-4.1-0)
// over plain WebDriver, and Xvfb (package xvfb) gives MiniBrowser, which has no headless mode,
// a display. Nothing is downloaded.
import { findExecutable } from './find-executable.mjs';

const HINT = 'Debian: apt-get install webkit2gtk-driver xvfb';

/** The paths of WebKitWebDriver, MiniBrowser and Xvfb, or throws a message that says how to get them. */
export function findWebKit() {
  return {
    driver: findExecutable({ env: 'WEBKIT_WEBDRIVER', names: ['WebKitWebDriver'], missing: `No WebKitWebDriver found. Set WEBKIT_WEBDRIVER, or ${HINT}.` }),
    browser: findExecutable({
      env: 'MINIBROWSER_PATH',
      paths: ['x86_64-linux-gnu', 'aarch64-linux-gnu'].flatMap((arch) => ['4.1', '4.0'].map((api) => `/usr/lib/${arch}/webkit2gtk-${api}/MiniBrowser`)),
      missing: `No WebKitGTK MiniBrowser found. Set MINIBROWSER_PATH, or ${HINT}.`,
    }),
    xvfb: findExecutable({ env: 'XVFB_PATH', names: ['Xvfb'], missing: `No Xvfb found. Set XVFB_PATH, or ${HINT}.` }),
  };
}
