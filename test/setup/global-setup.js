// Once per `jest` run: a private folder (mkdtemp, 0700) for Node's compile cache, shared by every
// CLI process the e2e specs spawn (test/support/kms-cli.ts passes it as NODE_COMPILE_CACHE), so the
// ~1,000 modules of a command are compiled once per run instead of once per process.
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = async () => {
  process.env.KMS_TEST_COMPILE_CACHE = mkdtempSync(join(tmpdir(), 'kms-test-compile-cache-'));
};
