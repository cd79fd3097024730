// One lint configuration for every workspace. Type-aware rules are left out on purpose:
// `npm run typecheck` already runs the compiler, and typed linting doubles CI time.
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/generated/**', '**/node_modules/**', '**/test-results/**', '**/playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // With noUncheckedIndexedAccess, `!` after a checked index is the idiom, not a smell.
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read configuration through @hitless/config, not process.env.',
        },
      ],
    },
  },
  {
    // Tool configuration files and tests (which set up child processes and pass data between
    // test-runner processes through the environment). @hitless/config turns the rule off too.
    files: ['**/*.config.ts', '**/test/**', '**/e2e/**'],
    // Playwright fixtures must destructure (`async ({}, use) =>`) to declare no dependencies.
    rules: { 'no-restricted-syntax': 'off', 'no-empty-pattern': 'off' },
  },
  {
    files: ['**/*.tsx', 'apps/web/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
);
