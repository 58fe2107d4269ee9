#!/usr/bin/env node
// Build: type-check and compile with tsc, rewrite the @kms/* aliases to relative paths (tsc-alias),
// and write dist/main.js, the entry point `node dist/main` and the `tatum-kms` bin run.
const { execFileSync } = require('node:child_process');
const { rmSync, writeFileSync, chmodSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
execFileSync(bin('tsc-alias'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
const entry = join(root, 'dist', 'main.js');
writeFileSync(entry, "#!/usr/bin/env node\n'use strict';\nrequire('./apps/kms/src/main');\n");
chmodSync(entry, 0o755);
