// Runs every benchmark in this folder, one after another (they print figures; none fails on time).
const { execFileSync } = require('node:child_process');
const { readdirSync } = require('node:fs');
const { join } = require('node:path');

for (const file of readdirSync(__dirname)
  .filter((name) => name.endsWith('.bench.js'))
  .sort()) {
  console.log(`\n== ${file}`);
  execFileSync(process.execPath, [join(__dirname, file)], { stdio: 'inherit' });
}
