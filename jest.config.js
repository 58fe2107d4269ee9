// Unit specs live beside the code (libs/**, apps/**, and examples/*/test: the example plugins' own specs); e2e specs in test/ run the CLI in-process or the
// built executable (dist/), and real local servers. Timeouts are sized for that work: an e2e test
// spawns processes and nodes, so its default is far above jest's 5 s (a spec that does more sets its own).
// NestJS 12 and @noble/@scure 2 are ES modules only: the CommonJS specs load them through jest's
// require(esm), which needs Node's VM modules. `npm test` and `npm run jest -- <args>` pass the flag.
if (typeof require('node:vm').SourceTextModule !== 'function') {
  throw new Error('jest needs `node --experimental-vm-modules`: run `npm run jest -- <args>` (or set NODE_OPTIONS=--experimental-vm-modules)');
}
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' } }];
// @kms/<lib> and its test kit @kms/<lib>/testing; shared test fakes and fixtures by alias (never ../../test)
const moduleNameMapper = {
  '^@kms/test-support/(.+)$': '<rootDir>/test/support/$1',
  '^@kms/test-fixtures/(.+)$': '<rootDir>/test/fixtures/$1',
  '^@kms/([a-z-]+)/testing$': '<rootDir>/libs/$1/src/testing',
  '^@kms/([a-z-]+)$': '<rootDir>/libs/$1/src',
};
const common = {
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper,
  testEnvironment: 'node',
  // dist/ holds the built copy (and a package.json): keep it out of jest's module map
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
};
module.exports = {
  // Three spec files at a time on a 2-core machine: e2e specs spend much of their time waiting (on the
  // processes and nodes they start, on retry back-offs and timeouts they check), so with two workers the
  // cores sat ~20% idle; a third fills those gaps (jest alone would take cores - 1).
  maxWorkers: 3,
  globalSetup: '<rootDir>/test/setup/global-setup.js',
  globalTeardown: '<rootDir>/test/setup/global-teardown.js',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts', '<rootDir>/examples/*/test/**/*.spec.js'], setupFilesAfterEnv: ['<rootDir>/test/setup/unit-timeout.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'], setupFilesAfterEnv: ['<rootDir>/test/setup/e2e-timeout.ts'] },
  ],
};
