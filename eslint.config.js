import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

// Process boundaries are enforced here, not by convention:
// - the core (electron/main except the thin shell files) never imports `electron`, so it runs
//   and is tested under plain Node;
// - the renderer reaches neither Node nor the main process (only the preload's typed API);
// - shared/ imports neither side.
const electronShell = [
  'electron/main/index.ts',
  'electron/main/windows.ts',
  'electron/main/security.ts',
  'electron/main/displays.ts',
  'electron/main/ipc/**',
];
const nodeOnly = ['better-sqlite3', 'keytar', 'node:*', 'fs', 'path', 'child_process', 'crypto', 'http'];

export default tseslint.config(
  {
    ignores: ['node_modules/', 'out/', 'dist/', 'test-results/', 'playwright-report/', '.test-reports/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: true,
        extraFileExtensions: ['.svelte'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: tseslint.parser },
    },
  },
  {
    files: ['electron/main/**/*.ts'],
    ignores: electronShell,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'The core must run under plain Node: only the shell files import electron.',
            },
          ],
          patterns: [{ group: ['**/renderer/**'], message: 'The main process never imports renderer code.' }],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.svelte'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to main only through the preload API.' }],
          patterns: [
            { group: nodeOnly, message: 'The renderer has no Node access.' },
            {
              group: ['**/electron/**'],
              message: 'The renderer cannot reach main-process code; use shared/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'shared/ imports neither side.' }],
          patterns: [
            { group: ['**/electron/**', '**/renderer/**'], message: 'shared/ imports neither side.' },
            { group: nodeOnly, message: 'shared/ must run in the renderer too: no Node modules.' },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      // Tests assert on parsed JSON bodies; forcing a schema on each would add noise, not safety.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
