// Removes the compile cache folder of this jest run (see global-setup.js).
const { rmSync } = require('node:fs');

module.exports = async () => {
  const dir = process.env.KMS_TEST_COMPILE_CACHE;
  if (dir) rmSync(dir, { recursive: true, force: true });
};
