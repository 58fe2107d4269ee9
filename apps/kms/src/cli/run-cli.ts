import { CommandFactory, CommandRunnerService } from 'nest-commander';
// The DI token of nest-commander's root commander instance (not re-exported by its index).
import { Commander } from 'nest-commander/src/constants';
import { buildKmsConfig, defaultEnvFile, loadEnvironment, parseCommandLine } from '@kms/config';
import { AppModule } from '../app.module';
import type { CliIo } from './cli-io';
import { CliOutput } from './cli-output';
import { KMS_VERSION } from './version';

/** tatum-kms spelled some flags in kebab case (meow accepted both); commander knows the camelCase ones. */
const FLAG_ALIASES: Record<string, string> = { '--api-key': '--apiKey', '--env-file': '--envFile' };

function normalizeArgs(args: readonly string[]): string[] {
  return args.map((arg) => {
    const [name, ...value] = arg.split('=');
    const alias = FLAG_ALIASES[name];
    return alias ? [alias, ...value].join('=') : arg;
  });
}

/** commander's own exits (help, version, usage errors) carry their exit code; their text is already written. */
function commanderExitCode(error: unknown): number | undefined {
  const { code, exitCode } = (error ?? {}) as { code?: unknown; exitCode?: unknown };
  return typeof code === 'string' && code.startsWith('commander.') && typeof exitCode === 'number'
    ? exitCode
    : undefined;
}

/**
 * Runs one command line (`args` without node and the script) against `io` and resolves with its exit
 * code: 0, or non-zero after `{"error": "..."}` on stderr (or commander's usage text). Never exits the
 * process, so tests run it in-process; main.ts runs it with the real process (processIo).
 * The configuration is built and validated before Nest boots: flags, then the environment, then the
 * env file (`--envFile`, default ~/.tatumrc/.env).
 */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const output = new CliOutput(io);
  const debug = /^(1|true|yes|on)$/i.test(io.env.TATUM_KMS_DEBUG_MODE ?? '');
  const argv = normalizeArgs(args);
  try {
    const { flags, command } = parseCommandLine(argv);
    const env = loadEnvironment(flags.envFile ?? defaultEnvFile(io.env), io.env);
    const config = buildKmsConfig(flags, env);
    io.adoptEnvironment?.(env);
    const app = await CommandFactory.createWithoutRunning(
      AppModule.forRoot({ config, command, io: { ...io, env }, output }),
      {
        cliName: 'tatum-kms',
        version: KMS_VERSION,
        logger: false,
        abortOnError: false,
        serviceErrorHandler: (error) => {
          const exitCode = commanderExitCode(error);
          if (exitCode === undefined) output.error(error, debug);
          else output.exitCode = exitCode;
        },
        outputConfiguration: {
          writeOut: (text) => io.stdout.write(text),
          writeErr: (text) => io.stderr.write(text),
          outputError: (message, write) =>
            write(`${JSON.stringify({ error: message.replace(/^error: /, '').trim() })}\n`),
        },
      },
    );
    // nest-commander sets the exit override on the root command only: commander would end the whole
    // process on a subcommand's usage error or help. Every command ends the parse instead.
    forEachCommand(app.get<CommanderCommand>(Commander), (command) =>
      command.exitOverride((error) => {
        throw error;
      }),
    );
    try {
      // argv[1] names the program in usage lines: the drop-in name, not `main`
      await app.get(CommandRunnerService).run(['node', 'tatum-kms', ...argv]);
    } finally {
      await app.close();
    }
  } catch (error) {
    output.error(error, debug);
  }
  return output.exitCode;
}

/** The part of commander's Command used here (nest-commander bundles its own commander). */
interface CommanderCommand {
  readonly commands: readonly CommanderCommand[];
  exitOverride(handler: (error: Error) => never): unknown;
}

function forEachCommand(command: CommanderCommand, visit: (command: CommanderCommand) => void): void {
  visit(command);
  for (const child of command.commands) forEachCommand(child, visit);
}
