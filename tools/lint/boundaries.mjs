// The architecture's import rules as one ESLint rule (`boundaries/imports`):
//   - apps never import other apps; libraries never import apps;
//   - a library is imported only through its public entry, its package name
//     `@reliable-payments/<name>` (or the old alias `@app/<name>` until scripts/dev/rename-imports.mjs
//     has run; no deep paths, no relative paths into another library);
//   - a library may import only the libraries listed for it in LIBRARY_LAYERS, which names each
//     library's allowed dependencies. A library missing from it is an error, and the map itself is
//     checked to be acyclic when this file loads, so the graph stays a stack of layers.
// Tests (`*.spec.ts`, `*.e2e-spec.ts`, `libs/*/test/**`) may reach test helpers; the rules above
// still hold for what they import from apps and libraries.
import path from 'node:path';

/** The npm scope of the libraries' packages (libs/<name>/package.json: `@reliable-payments/<name>`). */
export const SCOPE = '@reliable-payments';

/** Each library and the libraries it may import (lower layers first). */
export const LIBRARY_LAYERS = {
  faults: [],
  config: ['faults'],
  contracts: [],
  errors: [],
  tracing: ['config'],
  messaging: ['config', 'contracts', 'errors', 'faults', 'tracing'],
  persistence: ['config', 'errors'],
  http: ['config', 'contracts', 'errors', 'messaging', 'persistence', 'tracing'],
  inbox: ['config', 'faults', 'persistence'],
  outbox: ['config', 'contracts', 'faults', 'messaging', 'persistence', 'tracing'],
  metrics: ['config', 'messaging', 'outbox'],
  chaos: ['config', 'http'],
  'dead-letters': ['config', 'contracts', 'http', 'messaging', 'persistence'],
  'consumer-service': ['chaos', 'config', 'contracts', 'dead-letters', 'faults', 'http', 'inbox', 'messaging', 'metrics', 'persistence', 'tracing'],
};

/** Throws when `layers` has a cycle (or names an unknown library). */
export function assertAcyclic(layers) {
  const state = new Map();
  const visit = (lib, trail) => {
    if (!(lib in layers)) throw new Error(`boundaries: "${trail.at(-1)}" may import "${lib}", which LIBRARY_LAYERS does not declare`);
    if (state.get(lib) === 'done') return;
    if (state.get(lib) === 'visiting') throw new Error(`boundaries: library cycle ${[...trail, lib].join(' -> ')}`);
    state.set(lib, 'visiting');
    for (const dep of layers[lib]) visit(dep, [...trail, lib]);
    state.set(lib, 'done');
  };
  for (const lib of Object.keys(layers)) visit(lib, []);
}
assertAcyclic(LIBRARY_LAYERS);

/** `{kind: 'app' | 'lib', name}` for a path inside apps/<name> or libs/<name>, else undefined. */
function unitOf(root, file) {
  const [top, name] = path.relative(root, file).split(path.sep);
  if (top === 'apps' && name) return { kind: 'app', name };
  if (top === 'libs' && name) return { kind: 'lib', name };
  return undefined;
}

const isTestFile = (root, file) => /\.(e2e-)?spec\.ts$/.test(file) || /^libs\/[^/]+\/test\//.test(path.relative(root, file).split(path.sep).join('/'));

export function createImportsRule(layers = LIBRARY_LAYERS) {
  return {
    meta: { type: 'problem', schema: [], messages: { violation: '{{why}}' } },
    create(context) {
      const file = context.filename;
      const root = context.cwd;
      const self = unitOf(root, file);
      const test = isTestFile(root, file);
      const check = (node, source) => {
        if (typeof source !== 'string') return;
        const report = (why) => context.report({ node, messageId: 'violation', data: { why } });
        let target;
        if (source.startsWith('@app/') || source.startsWith(`${SCOPE}/`)) {
          const [, name, ...rest] = source.split('/');
          if (rest.length > 0) return report(`import "${source}": libraries are imported through their public entry, "${SCOPE}/${name}"`);
          target = { kind: 'lib', name, alias: true };
        } else if (source.startsWith('.')) {
          target = unitOf(root, path.resolve(path.dirname(file), source));
        }
        if (!self || !target) return;
        if (target.kind === 'app' && target.name !== self.name && self.kind === 'app')
          return report(`apps never import other apps ("${source}" is in apps/${target.name})`);
        if (target.kind === 'app' && self.kind === 'lib') return report(`libraries never import apps ("${source}" is in apps/${target.name})`);
        if (target.kind !== 'lib' || target.name === self.name) return;
        if (!target.alias) return report(`import "${source}": reach libs/${target.name} through "${SCOPE}/${target.name}", not a relative path`);
        if (self.kind === 'lib' && !test) {
          const allowed = layers[self.name];
          if (!allowed) return report(`libs/${self.name} is not declared in LIBRARY_LAYERS (tools/lint/boundaries.mjs)`);
          if (!allowed.includes(target.name))
            return report(`libs/${self.name} may not import ${SCOPE}/${target.name} (allowed: ${allowed.join(', ') || 'none'}; see tools/lint/boundaries.mjs)`);
        }
      };
      return {
        ImportDeclaration: (node) => check(node, node.source.value),
        ExportAllDeclaration: (node) => check(node, node.source.value),
        ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
        ImportExpression: (node) => check(node, node.source.value),
      };
    },
  };
}

export const boundaries = { rules: { imports: createImportsRule() } };
