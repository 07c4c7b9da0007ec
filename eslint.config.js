import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Statecharts stay pure: no I/O or engine imports, so a machine can be stepped and tested anywhere.
const ioModules = ['mongoose', 'mongodb', 'nodemailer', 'node-cron', 'express', 'pino', 'fs', 'net', 'http', 'child_process'];

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
    // Tests read JSON responses whose shape the assertions themselves check.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The web consoles are plain browser ES modules served as they are (no build step).
    files: ['src/web/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(['window', 'document', 'location', 'history', 'localStorage', 'sessionStorage', 'fetch', 'Node', 'URLSearchParams', 'Intl', 'console'].map((name) => [name, 'readonly'])),
    },
  },
  {
    files: ['machines/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ioModules,
        patterns: [
          { group: ['node:*'], message: 'Machines are pure: no Node built-ins.' },
          { group: ['**/src/**', '../src/*'], message: 'Machines must not import the engine (src/).' },
        ],
      }],
    },
  },
);
