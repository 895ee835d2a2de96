// The "seedrandom" module for tfjs-core's ES modules in the page: only the
// alea generator they use, loaded by index.html.
export const alea = globalThis.alea;
