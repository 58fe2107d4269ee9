// ESLint flat config: typescript-eslint's recommended rules for the whole monorepo, plus the
// architecture's boundaries (docs/architecture.md): which library may depend on which, no deep
// imports into another library, shared test fakes only through their alias.
import tseslint from 'typescript-eslint';

/** libs/<name> may import these other libraries (by their @kms/<name> alias), and no others. */
export const LIBRARY_DEPENDENCIES = {
  common: [],
  config: ['common'],
  chains: ['common'],
  policy: ['common'],
  scheduler: ['common'],
  journal: ['common', 'config', 'storage'],
  storage: ['common', 'config'],
  tatum: ['common', 'config'],
  ops: ['common', 'config'],
  'four-eye': ['common', 'config', 'storage'],
  signing: ['chains', 'common', 'config', 'four-eye', 'journal', 'policy', 'storage', 'tatum'],
};

const LIBRARIES = Object.keys(LIBRARY_DEPENDENCIES);

/** Deep imports: another library's files by path, or an alias' subpath other than its `testing` entry. */
const DEEP_IMPORTS = [
  {
    regex: `^\\.\\.?/.*\\b(${LIBRARIES.join('|')})/src(/|$)`,
    message: 'Import another library through its alias (@kms/<name>), never by path into its src/.',
  },
  {
    regex: '^@kms/(?!test-support/|test-fixtures/)[a-z-]+/(?!testing$)',
    message:
      'Import a library through its public entry (@kms/<name>, or @kms/<name>/testing for its test kit).',
  },
  {
    regex: '^(\\.\\./)+test/',
    message:
      'Shared test fakes and fixtures are imported by alias: @kms/test-support/<file>, @kms/test-fixtures/<file>.',
  },
];

const others = LIBRARIES;
const boundaries = Object.entries(LIBRARY_DEPENDENCIES).map(([library, allowed]) => ({
  files: [`libs/${library}/src/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...DEEP_IMPORTS,
          ...others
            .filter((other) => other !== library && !allowed.includes(other))
            .map((other) => ({
              regex: `^@kms/${other}(/|$)`,
              message: `libs/${library} may not depend on @kms/${other} (allowed: ${allowed.join(', ') || 'none'}; see docs/architecture.md).`,
            })),
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs', 'examples/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['apps/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: DEEP_IMPORTS }] },
  },
  ...boundaries,
);
