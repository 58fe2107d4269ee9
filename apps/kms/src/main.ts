import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { parseCommandLine } from '@kms/config';
import { AppModule } from './app.module';
import { printError } from './cli/cli-output';
import { KMS_VERSION } from './cli/version';

/** tatum-kms spelled some flags in kebab case (meow accepted both); commander knows the camelCase ones. */
const FLAG_ALIASES: Record<string, string> = { '--api-key': '--apiKey', '--env-file': '--envFile' };

function normalizeArgv(argv: string[]): string[] {
  return argv.map((arg) => {
    const [name, ...value] = arg.split('=');
    const alias = FLAG_ALIASES[name];
    return alias ? [alias, ...value].join('=') : arg;
  });
}

/** Read before the configuration exists, so that even configuration errors can show a stack. */
const debug = /^(1|true|yes|on)$/i.test(process.env.TATUM_KMS_DEBUG_MODE ?? '');

async function main(): Promise<void> {
  // commander names the program after argv[1] in usage lines: show the drop-in name, not `main`
  process.argv = ['node', 'tatum-kms', ...normalizeArgv(process.argv.slice(2))];
  const { flags, command } = parseCommandLine(process.argv.slice(2));
  await CommandFactory.run(AppModule.forRoot(flags, command), {
    cliName: 'tatum-kms',
    version: KMS_VERSION,
    logger: false,
    abortOnError: false,
    serviceErrorHandler: (error) => printError(error, debug),
    errorHandler: (error) => {
      // commander has already written its message (usage errors) or the help text.
      const exitCode = (error as { exitCode?: number }).exitCode ?? 1;
      process.exit(exitCode);
    },
    outputConfiguration: {
      outputError: (message, write) =>
        write(`${JSON.stringify({ error: message.replace(/^error: /, '').trim() })}\n`),
    },
  });
}

main().catch((error: unknown) => printError(error, debug));
