// The CPU kernels of the fast float32 backend (src/cpu/), one file per kernel family like
// shaders/*.wgsl, compiled by AssemblyScript into one WebAssembly SIMD module at build time
// (scripts/build-wasm.mjs). Memory is the module's own linear memory; the host lays out every
// buffer in it and passes byte offsets.
export { gemm, gemmWorkFloats } from './matmul';
export { activationGrad, biasActivation, biasGrad } from './dense';
export { dropout, hashUniform } from './dropout';
export { optimizerStep } from './optimizer';

