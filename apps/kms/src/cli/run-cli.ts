import { join } from 'node:path';
import { CommandFactory, CommandRunnerService } from 'nest-commander';
// The DI token of nest-commander's root commander instance (not re-exported by its index).
import { Commander } from 'nest-commander/src/constants';
import { buildKmsConfig, defaultEnvFile, flagTable, loadEnvironment, parseCommandLine } from '@kms/config';
import { resolveStorage, STORAGE_PROVIDERS, storageFlags, type AnyStorageProvider } from '@kms/storage';
import { AppModule } from '../app.module';
import { loadPlugins } from '../plugins/load-plugins';
import type { CliIo } from './cli-io';
import { CliOutput } from './cli-output';
import { storageOptions } from './storage-options';
import { versionLine } from './version';

/** commander's own exits (help, usage errors) carry their exit code; their text is already written. */
function commanderExitCode(error: unknown): number | undefined {
  const { code, exitCode } = (error ?? {}) as { code?: unknown; exitCode?: unknown };
  return typeof code === 'string' && code.startsWith('commander.') && typeof exitCode === 'number'
    ? exitCode
    : undefined;
}

/** What a run adds to the KMS as shipped (plugins). */
export interface CliExtensions {
  /**
   * Storage providers beside the built-in ones (STORAGE_PROVIDERS): their types become `--storage`
   * values, their password flags and settings are read, listed by `--help` and `checkconfig`, and
   * validated at start, as the built-in ones are. A type or flag already taken stops the run.
   */
  storageProviders?: readonly AnyStorageProvider[];
}

/**
 * Runs one command line (`args` without node and the script) against `io` and resolves with its exit
 * code: 0, or non-zero after `{"error": "..."}` on stderr (or commander's usage text). Never exits the
 * process, so tests run it in-process; main.ts runs it with the real process (processIo).
 *
 * The command line is read as tatum-kms reads it (parseCommandLine): flags anywhere, camelCase or
 * kebab-case, every flag on every command (unknown ones are ignored with a warning). commander then
 * sees only the command and its arguments, and dispatches and documents (`--help`) the commands.
 * No command prints the help on stdout (exit 0); `--version` prints this KMS's version and the
 * tatum-kms protocol level it implements.
 *
 * The configuration is built and validated before Nest boots: flags win over the environment, which
 * wins over `.env` in the working directory, which wins over the env file (`--envFile`, default
 * ~/.tatumrc/.env), as in tatum-kms (dotenv loads both). The storage providers then read and validate
 * their own settings (resolveStorage): an invalid one stops every command.
 */
export async function runCli(
  args: readonly string[],
  io: CliIo,
  extensions: CliExtensions = {},
): Promise<number> {
  const output = new CliOutput(io);
  const debug = /^(1|true|yes|on)$/i.test(io.env.TATUM_KMS_DEBUG_MODE ?? '');
  try {
    const builtIn = [...STORAGE_PROVIDERS, ...(extensions.storageProviders ?? [])];
    // read once to find the env files and the plugins, whose storage providers may add flags
    const early = parseCommandLine(args, flagTable(storageFlags(builtIn)));
    if (early.version && !early.help) {
      io.stdout.write(`${versionLine()}\n`);
      return 0;
    }
    const env = loadEnvironment(
      [join(io.cwd ?? process.cwd(), '.env'), early.flags.envFile ?? defaultEnvFile(io.env)],
      io.env,
    );
    const loaded = loadPlugins(buildKmsConfig(early.flags, env).plugins, io.cwd ?? process.cwd());
    const providers = [...builtIn, ...loaded.storageProviders];
    const line = loaded.storageProviders.length
      ? parseCommandLine(args, flagTable(storageFlags(providers)))
      : early;
    for (const flag of line.unknown) output.notice(`Ignoring unknown flag ${JSON.stringify(flag)}`);
    const { flags, command } = line;
    const config = buildKmsConfig(flags, env);
    const storage = resolveStorage(providers, flags, env, config);
    io.adoptEnvironment?.(env);
    const plugins = loaded.modules;
    const app = await CommandFactory.createWithoutRunning(
      AppModule.forRoot({ config, storage, flags, command, io: { ...io, env }, output, plugins }),
      {
        cliName: 'tatum-kms',
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
    const root = app.get<CommanderCommand>(Commander);
    forEachCommand(root, (each) => {
      each.exitOverride((error) => {
        throw error;
      });
      if (each !== root)
        for (const option of storageOptions(providers)) each.option(option.flags, option.description);
    });
    try {
      const dispatched =
        command === undefined ? ['--help'] : [command, ...line.args, ...(line.help ? ['--help'] : [])];
      // argv[1] names the program in usage lines: the drop-in name, not `main`
      await app.get(CommandRunnerService).run(['node', 'tatum-kms', ...dispatched]);
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
  option(flags: string, description: string): unknown;
}

function forEachCommand(command: CommanderCommand, visit: (command: CommanderCommand) => void): void {
  visit(command);
  for (const child of command.commands) forEachCommand(child, visit);
}
