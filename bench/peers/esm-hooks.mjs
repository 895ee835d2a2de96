// Module resolution hooks for node.js: tfjs-core ships its gradients only as
// ES modules whose relative imports have no extension, in a package node
// takes for CommonJS. These hooks add the extension and load those files as
// ES modules, so that register_all_gradients can be imported.
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const isFile = (u) => {
  try {
    return statSync(fileURLToPath(u)).isFile();
  } catch {
    return false;
  }
};

export async function resolve(specifier, context, next) {
  const parent = context.parentURL || '';
  if (parent.includes('/tfjs-core/dist/') && specifier.startsWith('.')) {
    const base = new URL(specifier, parent);
    for (const u of [base.href, base.href + '.js', base.href + '/index.js']) {
      if (isFile(u)) return { url: u, format: 'module', shortCircuit: true };
    }
  }
  const r = await next(specifier, context);
  if (r.url.includes('/tfjs-core/dist/') && r.url.endsWith('.js') && !r.url.includes('.node.js')) {
    return { ...r, format: 'module' };
  }
  return r;
}


