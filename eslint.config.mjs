// Type-checked lint with zero warnings. The domain library stays pure: its own files only, no
// clock, so deciders can be read, tested and moved without infrastructure.
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**', 'test-output/**', '**/*.mjs', '**/*.js'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // An allowlist: the domain imports only its own files (relative paths). No package, no
    // `node:` or bare built-in such as `crypto`, no other library of ours; no clock, randomness
    // or process: the time comes in the command's `now`. Specs may use test libraries.
    files: ['libs/domain/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // Not relative, or leaving src/ from a feature folder (no feature nests deeper).
              regex: '^(?!\\.{1,2}/)|^(\\.\\./){2}',
              message: 'libs/domain is pure: import only its own files, by a relative path.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'ImportExpression, TSImportEqualsDeclaration, CallExpression[callee.name="require"]',
          message: 'libs/domain is pure: static relative imports only.',
        },
        {
          selector: 'CallExpression[callee.object.name="Date"][callee.property.name="now"]',
          message: 'libs/domain has no clock: take the time from the command (`now`).',
        },
        {
          selector: 'NewExpression[callee.name="Date"][arguments.length=0]',
          message: 'libs/domain has no clock: take the time from the command (`now`).',
        },
        {
          selector: 'CallExpression[callee.object.name="Math"][callee.property.name="random"]',
          message: 'libs/domain is deterministic: take a seed and use a seeded generator.',
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['process', 'crypto', 'fetch', 'performance', 'setTimeout', 'setInterval'].map((name) => ({
          name,
          message: 'libs/domain is pure: no I/O, clock, randomness or process.',
        })),
      ],
    },
  },
  {
    // Tests use Jest's loosely typed matchers and supertest bodies.
    files: ['**/*.spec.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  prettier,
);
