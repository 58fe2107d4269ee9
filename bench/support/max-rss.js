// Preloaded into a measured process (`node -r bench/support/max-rss.js`): on exit, writes its peak
// RSS (bytes) and CPU time (µs) as JSON to the file named by KMS_BENCH_USAGE_FILE.
const { writeFileSync } = require('node:fs');
process.on('exit', () => {
  const file = process.env.KMS_BENCH_USAGE_FILE;
  if (!file) return;
  const usage = process.resourceUsage();
  writeFileSync(
    file,
    JSON.stringify({ maxRssBytes: usage.maxRSS * 1024, cpuMicros: usage.userCPUTime + usage.systemCPUTime }),
  );
});
