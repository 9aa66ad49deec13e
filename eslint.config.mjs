import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import boundaries from 'eslint-plugin-boundaries';

/**
 * The layers of src/ (docs/architecture.md), bottom up. Each may import its own folder and
 * the layers listed for it; anything else fails `npm run lint`.
 */
const FEATURES = ['auth', 'accounts', 'mfa', 'impersonation', 'session-policy', 'workspace', 'health', 'demo'];
const LAYERS = {
  platform: [],
  identity: ['platform'],
  tokens: ['identity', 'platform'],
  audit: ['identity', 'platform'],
  throttle: ['identity', 'platform'],
  mail: ['identity', 'platform'],
  sessions: ['tokens', 'audit', 'throttle', 'identity', 'platform'],
  feature: ['feature', 'sessions', 'tokens', 'audit', 'throttle', 'mail', 'identity', 'platform'],
};
const elements = [
  // The fixture loader (run by main.ts and scripts/seed.ts) wires the pieces by hand, like the
  // composition root (the files directly under src/: main, app.module, app.factory, entities).
  { type: 'root', pattern: 'src/fixtures' },
  ...Object.keys(LAYERS)
    .filter((type) => type !== 'feature')
    .map((type) => ({ type, pattern: `src/${type}` })),
  { type: 'feature', pattern: `src/(${FEATURES.join('|')})`, capture: ['name'] },
];
const importDirection = {
  files: ['src/**/*.ts'],
  plugins: { boundaries },
  settings: {
    'import/resolver': { node: { extensions: ['.ts', '.js'] } },
    'boundaries/elements': elements,
    'boundaries/files': [{ category: 'repository', pattern: '**/*.repository.ts' }],
  },
  rules: {
    'boundaries/dependencies': [
      'error',
      {
        default: 'disallow',
        policies: [
          { from: { element: { type: 'root' } }, allow: { to: { element: { type: '*' } } } },
          ...Object.entries(LAYERS).map(([type, below]) => ({
            from: { element: { type } },
            allow: { to: { element: { types: { anyOf: [type, ...below] } } } },
          })),
          // A feature reaches another feature's data, and the kernel's, through its services, never its repository.
          ...FEATURES.map((name) => ({
            from: { element: { type: 'feature', captured: { name } } },
            disallow: { to: { element: { types: { noneOf: ['root'] }, captured: { name: `!${name}` } }, file: { categories: 'repository' } } },
          })),
          {
            from: { element: { type: 'feature' } },
            disallow: { to: { element: { types: { anyOf: ['sessions', 'tokens', 'audit', 'throttle', 'mail', 'identity'] } }, file: { categories: 'repository' } } },
          },
        ],
      },
    ],
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', '.data-test/**', 'client/dist/**', 'test-artifacts/**', '.bench-build/**', 'eslint.config.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      eqeqeq: ['error', 'always'],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-extraneous-class': 'off',
    },
  },
  importDirection,
  {
    // One bcrypt in the service, the native binding behind src/auth/passwords/bcrypt-binding.ts:
    // a login checked by another implementation would cost differently (docs/security.md, "Authentication").
    files: ['src/**/*.ts'],
    ignores: ['src/auth/passwords/bcrypt-binding.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['bcrypt', 'bcryptjs'].map((name) => ({
            name,
            message: 'The service hashes through the one binding, src/auth/passwords/bcrypt-binding.ts (the native bcrypt).',
          })),
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'client/test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] }] },
      ],
    },
  },
);
