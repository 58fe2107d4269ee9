import { Inject } from '@nestjs/common';
import { Command, Option } from 'nest-commander';
import { ChainRegistry, orderedSummary } from '@kms/chains';
import { InvalidArgumentError } from '@kms/common';
import { InjectKmsConfig, type KmsConfig, type KmsFlags } from '@kms/config';
import { evaluatePolicy, InMemoryUsage } from '@kms/policy';
import { policySummary } from '@kms/signing';
import { parsePendingItems } from '@kms/tatum';
import { CliOutput } from '../cli/cli-output';
import { CLI_FLAGS } from '../cli/cli.module';
import { KmsCommand } from '../cli/kms-command';
import { readPolicyFile } from '../policy/read-policy-file';

/**
 * `policy check <file> [--pending <json>]`: validates a signing policy (every problem with its line)
 * and, given a pending transaction as the Tatum API serves it, says what the policy decides for it
 * and which rule decided, with the chain's summary it decided on. Nothing is signed; no store is
 * opened (rolling windows count as empty).
 */
@Command({
  name: 'policy',
  arguments: '<action> <file>',
  description:
    'policy check <file> [--pending <json>]: validate a signing policy and evaluate it on a pending transaction',
})
export class PolicyCommand extends KmsCommand {
  constructor(
    private readonly chains: ChainRegistry,
    @InjectKmsConfig() private readonly config: KmsConfig,
    @Inject(CLI_FLAGS) private readonly flags: KmsFlags,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run([action, file]: string[]): Promise<void> {
    if (action !== 'check')
      throw new InvalidArgumentError(`Unknown policy action "${action}": use policy check <file>`);
    const policy = readPolicyFile(file);
    const pendingJson = this.flags.pending;
    if (pendingJson === undefined) {
      this.output.json({
        valid: true,
        rules: policy.rules.map((rule) => ({ name: rule.name, action: rule.action, line: rule.line })),
      });
      return;
    }
    let item: unknown;
    try {
      item = JSON.parse(pendingJson);
    } catch {
      throw new InvalidArgumentError('--pending must be a pending transaction as JSON');
    }
    const chain =
      typeof (item as { chain?: unknown })?.chain === 'string' ? (item as { chain: string }).chain : '';
    const signer = this.chains.get(chain);
    const batch = parsePendingItems([item], signer.chain);
    if (batch.invalid.length) throw batch.invalid[0].error;
    const tx = batch.transactions[0];
    const summary = await signer.describe?.({
      pendingId: tx.id,
      serializedTransaction: tx.serializedTransaction,
      testnet: this.config.testnet,
      withdrawal: Boolean(tx.withdrawalId),
    });
    const wallet = tx.hashes[0] ?? tx.signatures?.[0]?.id ?? '';
    const decision = await evaluatePolicy(
      policy,
      {
        chain: signer.chain,
        wallet,
        summary: policySummary(summary),
      },
      new InMemoryUsage(),
    );
    this.output.json({ valid: true, decision, summary: summary ? orderedSummary(summary) : null });
  }

  @Option({
    flags: '--pending <json>',
    description: 'a pending transaction (JSON) to evaluate the policy on',
  })
  parsePending(value: string): string {
    return value;
  }
}
