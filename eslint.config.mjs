import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { boundaries } from './tools/lint/boundaries.mjs';

export default tseslint.config(
  { ignores: ['dist/**', 'libs/*/dist/**', 'node_modules/**', 'coverage/**', 'results/**', '*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { boundaries },
    rules: {
      // Apps never import apps, libraries never import apps, libraries only through @reliable-payments/<name>,
      // and each library only from the layers below it (tools/lint/boundaries.mjs).
      'boundaries/imports': 'error',
      // An un-awaited publish or commit is how messages get lost: make it an error.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      // `any` switches type-checking off where it is used; tests may still cast (below).
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unsafe-function-type': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "Property[key.name='noAck'][value.value=true]", message: 'Auto-ack loses messages: ack after commit.' },
        { selector: "Property[key.name='synchronize'][value.value=true]", message: 'Schema changes go through migrations.' },
      ],
    },
  },
  {
    files: [
      '**/*.spec.ts',
      '**/*.e2e-spec.ts',
      '**/*.rel-spec.ts',
      '**/*.cluster-spec.ts',
      '**/*.compose-spec.ts',
      'test/**/*.ts',
      'libs/*/test/**/*.ts',
      'tools/harness/**/*.ts',
    ],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The console's browser code (bundled by scripts/build-console-assets.mjs): data goes into the
    // page as text only, so a payload holding markup can never become script (issue 21).
    files: ['apps/console/web/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { property: 'innerHTML', message: 'Build the DOM with el()/textContent (dom.ts), never HTML strings.' },
        { property: 'outerHTML', message: 'Build the DOM with el()/textContent (dom.ts), never HTML strings.' },
        { property: 'insertAdjacentHTML', message: 'Build the DOM with el()/textContent (dom.ts), never HTML strings.' },
        { object: 'document', property: 'write', message: 'Build the DOM with el()/textContent (dom.ts).' },
        { object: 'document', property: 'writeln', message: 'Build the DOM with el()/textContent (dom.ts).' },
      ],
      'no-restricted-globals': ['error', { name: 'eval', message: 'The page policy has no unsafe-eval.' }],
      'no-new-func': 'error',
    },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly' } },
  },
);
