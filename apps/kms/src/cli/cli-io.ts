import type { PromptInput, PromptOutput } from '@kms/common';

/**
 * The process boundary of one CLI run: its environment, its three streams and how it learns it must
 * stop. `main.ts` passes the process's own (processIo); in-process tests pass buffers, so a command
 * runs the same code without spawning a process.
 */
export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdin: PromptInput;
  readonly stdout: PromptOutput;
  readonly stderr: PromptOutput;
  /** The working directory (tatum-kms loads `.env` from it); process.cwd() when absent. */
  readonly cwd?: string;
  /** Resolves with the signal's name when a long-running command (the daemon) must stop. */
  stopRequested(): Promise<string>;
  /** Told the run's variables (environment over env file) once they are loaded. */
  adoptEnvironment?(env: Readonly<Record<string, string | undefined>>): void;
}

export const CLI_IO = Symbol('CLI_IO');

/** The real process: its environment, stdin/stdout/stderr, and SIGINT/SIGTERM. */
export function processIo(): CliIo {
  return {
    env: process.env,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    stopRequested: () =>
      new Promise((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      }),
    // as dotenv does: cloud SDKs that read their own variables (AWS_*, AZURE_*) see the env file's too
    adoptEnvironment: (env) => {
      for (const [name, value] of Object.entries(env)) if (value !== undefined) process.env[name] ??= value;
    },
  };
}
