// The "long" module for tfjs-core's ES modules in the page: the UMD build
// of long, loaded by index.html, as a default export.
export default globalThis.Long;
