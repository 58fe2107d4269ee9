import { Inject } from '@nestjs/common';
import { Command, Option } from 'nest-commander';
import { InvalidArgumentError, KmsError } from '@kms/common';
import type { KmsFlags } from '@kms/config';
import { CLI_IO, type CliIo } from '../cli/cli-io';
import { CliOutput } from '../cli/cli-output';
import { CLI_FLAGS } from '../cli/cli.module';
import { KmsCommand } from '../cli/kms-command';
import { DEMO_CHAINS } from './demo-chains';
import type { KeptSandbox } from './sandbox-run';
import { SandboxRun } from './sandbox-run';
import { renderJsonLines, renderTable } from './sandbox-table';

/**
 * `sandbox`: the daemon's whole flow on this machine, offline, with no Tatum account (a demo: nothing
 * is sent to any network). Demo wallets in a throwaway store, an embedded Tatum-compatible API and
 * four-eye server on 127.0.0.1, one cycle of the daemon's signing pipeline, then a table (`--json`:
 * JSON lines) of each pending transaction with a local check of every signature. The daemon's log lines
 * go to stderr, so stdout carries only the table. Exit code 1 when anything did not go as the demo
 * expects. `--keep`: the API stays up (until Ctrl-C) with new pending transactions for another daemon.
 */
@Command({
  name: 'sandbox',
  description:
    'demo: run the daemon end to end on 127.0.0.1 with demo wallets, a local Tatum-compatible API and approval server; nothing is sent anywhere',
})
export class SandboxCommand extends KmsCommand {
  constructor(
    @Inject(CLI_FLAGS) private readonly flags: KmsFlags,
    @Inject(CLI_IO) private readonly io: CliIo,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run(): Promise<void> {
    const chains = parseChains(this.flags.chains);
    const { env } = this.io;
    for (const flag of IGNORED_FLAGS.filter((name) => this.flags[name] !== undefined))
      this.output.notice(
        `The sandbox ignores --${flag}: it runs the mainnet flow on its own store, API and approval server`,
      );
    if (this.flags.path !== undefined && !env.TATUM_KMS_PASSWORD)
      this.output.notice(
        `The sandbox store ${this.flags.path} gets a random password: set TATUM_KMS_PASSWORD to open it afterwards`,
      );
    const run = await SandboxRun.start({
      chains,
      path: this.flags.path,
      // a store the user keeps (--path) opens with their TATUM_KMS_PASSWORD; a temp one gets a random one
      password: this.flags.path === undefined ? undefined : env.TATUM_KMS_PASSWORD,
      logEnv: {
        TATUM_KMS_LOG_FORMAT: env.TATUM_KMS_LOG_FORMAT,
        TATUM_KMS_LOG_LEVEL: env.TATUM_KMS_LOG_LEVEL,
        TATUM_KMS_DEBUG_MODE: env.TATUM_KMS_DEBUG_MODE,
      },
      stdin: this.io.stdin,
      log: this.io.stderr,
    });
    try {
      if (this.flags.json) this.output.text(renderJsonLines(run.rows));
      else this.output.text(renderTable(run.rows));
      const off = run.rows.filter((row) => !row.asExpected).map((row) => row.pendingId);
      if (off.length) {
        this.output.error(
          new KmsError(
            'SANDBOX_UNEXPECTED',
            `The sandbox cycle did not go as expected for ${off.join(', ')}`,
          ),
        );
      }
      if (this.flags.keep) {
        const kept = await run.keep();
        if (this.flags.json) this.output.jsonLines([{ kept }]);
        else this.output.text(keptText(kept, chains));
        const signal = await this.io.stopRequested();
        this.output.notice(`${signal}: stopping the sandbox`);
      }
    } finally {
      await run.close();
    }
  }

  @Option({
    flags: '--chains <chains>',
    description: `demo chains, comma-separated (default ${[...DEMO_CHAINS.keys()].join(',')})`,
  })
  parseChains(value: string): string {
    return value;
  }

  @Option({
    flags: '--json',
    description: 'one JSON line per pending transaction instead of the table',
  })
  parseJson(): boolean {
    return true;
  }

  @Option({
    flags: '--keep',
    description: 'keep the local API running (until Ctrl-C) and print how to point a daemon at it',
  })
  parseKeep(): boolean {
    return true;
  }
}

/** Flags of other commands that would change where the daemon signs or talks to: the sandbox has its own. */
const IGNORED_FLAGS = [
  'testnet',
  'storage',
  'aws',
  'azure',
  'vgs',
  'apiKey',
  'externalUrl',
  'externalUrlMethod',
  'chain',
  'policy',
] as const;

/** `--chains` as codes of DEMO_CHAINS (upper-cased, deduplicated); every demo chain when absent. */
export function parseChains(value: string | undefined): string[] {
  const known = [...DEMO_CHAINS.keys()];
  if (value === undefined) return known;
  const chains = [
    ...new Set(
      value
        .split(',')
        .map((chain) => chain.trim().toUpperCase())
        .filter(Boolean),
    ),
  ];
  const unknown = chains.filter((chain) => !DEMO_CHAINS.has(chain));
  if (chains.length === 0 || unknown.length) {
    throw new InvalidArgumentError(
      `--chains: the sandbox has demo transactions for ${known.join(', ')}${unknown.length ? `, not ${unknown.join(', ')}` : ''}`,
    );
  }
  return chains;
}

function keptText(kept: KeptSandbox, chains: readonly string[]): string {
  return [
    `The sandbox keeps running until Ctrl-C, with ${kept.pending} pending transactions (new ones, and the denied and bad ones left):`,
    `  TATUM_API_URL=${kept.apiUrl}  (the embedded Tatum-compatible API)`,
    `  approval server       ${kept.approvalUrl}`,
    `  this run's metrics    ${kept.metricsUrl}`,
    'Point a daemon at it; the env file holds TATUM_API_URL, TATUM_API_KEY and the store password (mode 0600, deleted when the sandbox stops):',
    `  tatum-kms daemon --envFile ${kept.envFile} --path ${kept.storePath} --externalUrl ${kept.approvalUrl} ` +
      `--externalUrlMethod POST --chain ${chains.join(',')} --runOnce`,
    '',
  ].join('\n');
}
