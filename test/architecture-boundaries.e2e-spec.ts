import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The architecture's boundaries are lint rules (eslint.config.mjs): a library imports another only
 * through its alias and only along the dependency table; shared test fakes come through their alias.
 * A deliberate violation of each kind is refused, an allowed import passes, and the repository as a
 * whole lints clean.
 */
const ROOT = join(__dirname, '..');
const BATCH = join(__dirname, 'support', 'eslint-batch.mjs');

interface LintMessage {
  ruleId: string | null;
  message: string;
  line: number;
}

const REFUSED: Array<[string, string, string, RegExp]> = [
  [
    'a deep import into another library by path',
    'libs/chains/src/evm/x.ts',
    "import { InMemoryVault } from '../../../storage/src/vault/in-memory.vault';",
    /never by path into its src/,
  ],
  [
    'a deep import through an alias',
    'apps/kms/src/x.ts',
    "import { EvmSigner } from '@kms/chains/evm/evm.signer';",
    /through its public entry/,
  ],
  [
    'a dependency the table does not allow (chains -> tatum)',
    'libs/chains/src/x.ts',
    "import { TatumClient } from '@kms/tatum';",
    /libs\/chains may not depend on @kms\/tatum/,
  ],
  [
    'a shared test fake by relative path',
    'libs/tatum/src/x.spec.ts',
    "import { FakeTatumApi } from '../../../test/support/fake-tatum-api';",
    /@kms\/test-support/,
  ],
];
const ALLOWED = {
  filePath: 'libs/four-eye/src/x.spec.ts',
  code: [
    "import { KmsError } from '@kms/common';",
    "import { InMemoryVault } from '@kms/storage/testing';",
    "import { FakeTatumApi } from '@kms/test-support/fake-tatum-api';",
    'export const used = [KmsError, InMemoryVault, FakeTatumApi];',
  ].join('\n'),
};

describe('architecture boundaries (lint)', () => {
  // One ESLint process lints every snippet below and the whole repository (test/support/eslint-batch.mjs).
  let texts: LintMessage[][];
  let files: Array<{ filePath: string; messages: LintMessage[] }>;
  let failure = '';
  beforeAll(() => {
    const snippets = REFUSED.map(([, filePath, code]) => ({
      filePath,
      code: `${code}\nexport const used = [${code.match(/\{ (\w+) \}/)![1]}];\n`,
    }));
    const run = spawnSync(process.execPath, [BATCH], {
      cwd: ROOT,
      input: JSON.stringify({ texts: [...snippets, ALLOWED], patterns: ['{apps,libs,test,bench}/**/*.ts'] }),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    failure = run.status === 0 ? '' : `eslint-batch exited ${run.status}: ${run.stderr}`;
    ({ texts, files } = run.status === 0 ? JSON.parse(run.stdout) : { texts: [], files: [] });
  }, 300_000);
  const restricted = (messages: LintMessage[] = []) =>
    messages.filter((message) => message.ruleId === 'no-restricted-imports');

  it.each(REFUSED.map(([name], index) => [name, index] as const))('refuses %s', (_case, index) => {
    expect(failure).toBe('');
    const problems = restricted(texts[index]);
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(REFUSED[index][3]);
  });

  it('allows what the table allows', () => {
    expect(failure).toBe('');
    expect(restricted(texts[REFUSED.length])).toEqual([]);
  });

  it('the repository lints clean', () => {
    expect(failure).toBe('');
    expect(files).toEqual([]);
  });
});
