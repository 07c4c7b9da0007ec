import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Which layer may import which (machines/ pure, the engine free of the store, …) is .dependency-cruiser.cjs, run by `npm run lint`.

export default tseslint.config(
  { ignores: ['node_modules/', '.data/', '.tools/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tool configs that must be CommonJS (.dependency-cruiser.cjs).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  {
    // Tests read JSON responses whose shape the assertions themselves check.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The web consoles are plain browser ES modules served as they are (no build step).
    files: ['src/web/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(['window', 'document', 'location', 'history', 'localStorage', 'sessionStorage', 'fetch', 'Node', 'URLSearchParams', 'URL', 'FormData', 'Intl', 'console'].map((name) => [name, 'readonly'])),
    },
  },
);
