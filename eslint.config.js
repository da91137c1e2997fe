// ESLint flat config: typescript-eslint's recommended rules (syntax only: `npm run typecheck`
// does the type checking, so lint stays fast on a small shared machine) and import-x's duplicate
// check. Templates are checked by lit-analyzer, formatting by prettier (see package.json "lint").
import js from '@eslint/js';
import { importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // assembly/ is AssemblyScript (decorators on functions, i32/f32 types): asc checks it, not ESLint.
  { ignores: ['dist/', 'node_modules/', 'assembly/', 'src/cpu/kernels-wasm.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      'import-x/no-duplicates': 'error',
      // A leading underscore marks a parameter a signature needs but the body does not (tsc's rule too).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    // TypeScript resolves names itself (and knows AssemblyScript's builtins through its .d.ts);
    // typescript-eslint advises turning no-undef off for .ts files.
    files: ['**/*.ts'],
    rules: { 'no-undef': 'off' },
  },
  {
    // The engine is DOM-free so it runs in a worker and in Node; only the worker client meets a page.
    files: ['src/**/*.ts'],
    ignores: ['src/worker/client.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'document', message: 'src/ is DOM-free: do this in components/.' },
        { name: 'window', message: 'src/ is DOM-free: do this in components/.' },
      ],
    },
  },
  {
    // Layering runs pages → components → src: the engine and its API never reach up into the widgets.
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/components/**'], message: 'src/ must not import from components/: move the shared piece into src/.' }] },
      ],
    },
  },
  {
    // Node scripts and e2e tests; the tests' page.evaluate callbacks run in the browser.
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
