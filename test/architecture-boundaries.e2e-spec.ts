import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The architecture's boundaries are lint rules (eslint.config.mjs): a library imports another only
 * through its alias and only along the dependency table; shared test fakes come through their alias.
 * A deliberate violation of each kind is refused, an allowed import passes, and the repository as a
 * whole lints clean.
 */
const ROOT = join(__dirname, '..');
const ESLINT = join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');

function lint(filePath: string, code: string): Array<{ ruleId: string | null; message: string }> {
  const run = spawnSync(process.execPath, [ESLINT, '--stdin', '--stdin-filename', filePath, '-f', 'json'], {
    cwd: ROOT,
    input: code,
    encoding: 'utf8',
  });
  const [result] = JSON.parse(run.stdout) as Array<{
    messages: Array<{ ruleId: string | null; message: string }>;
  }>;
  return result.messages.filter((message) => message.ruleId === 'no-restricted-imports');
}

describe('architecture boundaries (lint)', () => {
  it.each([
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
  ])('refuses %s', (_case, file, code, message) => {
    const problems = lint(file, `${code}\nexport const used = [${code.match(/\{ (\w+) \}/)![1]}];\n`);
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(message);
  });

  it('allows what the table allows', () => {
    const code = [
      "import { KmsError } from '@kms/common';",
      "import { InMemoryVault } from '@kms/storage/testing';",
      "import { FakeTatumApi } from '@kms/test-support/fake-tatum-api';",
      'export const used = [KmsError, InMemoryVault, FakeTatumApi];',
    ].join('\n');
    expect(lint('libs/four-eye/src/x.spec.ts', code)).toEqual([]);
  });

  it('the repository lints clean', () => {
    const run = spawnSync(process.execPath, [ESLINT, '{apps,libs,test,bench}/**/*.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  }, 300_000);
});
