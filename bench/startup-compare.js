// Interleaved cold-start comparison of `getaddress <id> 0` (ETH) between two builds of this repo:
// `node bench/startup-compare.js <checkout-before> <checkout-after>` (each with dist/ built). Prints figures only.
const { execFileSync, spawnSync } = require('node:child_process');
const { mkdtempSync } = require('node:fs');
const { join } = require('node:path');
const [before, after] = process.argv.slice(2);
const dir = mkdtempSync('/tmp/kms-startup-');
const env = { ...process.env, TATUM_KMS_PASSWORD: 'pw', HOME: dir };
const path = join(dir, 'w.dat');
const id = JSON.parse(
  execFileSync('node', [join(before, 'dist/main.js'), 'generatemanagedwallet', 'ETH', '--path', path], {
    env,
  }),
).signatureId;
const times = { before: [], after: [] };
for (let i = 0; i < 15; i++) {
  for (const [name, root] of [
    ['before', before],
    ['after', after],
  ]) {
    const t = process.hrtime.bigint();
    const r = spawnSync('node', [join(root, 'dist/main.js'), 'getaddress', id, '0', '--path', path], { env });
    if (r.status !== 0) throw new Error(r.stderr.toString());
    times[name].push(Number(process.hrtime.bigint() - t) / 1e6);
  }
}
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
console.log(
  `getaddress ETH cold start, median of 15 interleaved runs: before ${med(times.before).toFixed(0)} ms, after ${med(times.after).toFixed(0)} ms (${((med(times.after) / med(times.before) - 1) * 100).toFixed(1)}%)`,
);
