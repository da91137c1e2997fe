/**
 * The CPU kernels' WebAssembly module (assembly/*.ts), base64-encoded. scripts/build-wasm.mjs
 * generates kernels-wasm.js beside this file at build time (npm run build, the test runner, the
 * benchmark); it is not committed.
 */
declare const kernelsBase64: string;
export default kernelsBase64;
