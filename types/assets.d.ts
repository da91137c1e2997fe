/** WGSL sources are imported as text by esbuild's `text` loader (build and tests alike). */
declare module '*.wgsl' {
  const source: string;
  export default source;
}
