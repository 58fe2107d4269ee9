import 'reflect-metadata';
import { safeErrorMessage } from '@kms/common';
import { processIo } from './cli/cli-io';
import { runCli } from './cli/run-cli';

/** The `tatum-kms` executable: one command line against the real process (see runCli). */
runCli(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${JSON.stringify({ error: safeErrorMessage(error) })}\n`);
    process.exitCode = 1;
  },
);
