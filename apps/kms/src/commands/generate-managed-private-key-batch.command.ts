import { Command } from 'nest-commander';
import { CliOutput } from '../cli/cli-output';
import { KmsCommand } from '../cli/kms-command';
import { parseCount } from '../cli/parse-index';
import { WalletManager } from '../wallets/wallet-manager.service';

const MAX_BATCH = 1_000_000;

@Command({
  name: 'generatemanagedprivatekeybatch',
  arguments: '<chain> <count>',
  description:
    'Generate and store <count> private keys in one write; prints one {signatureId, address} line each',
})
export class GenerateManagedPrivateKeyBatchCommand extends KmsCommand {
  constructor(
    private readonly wallets: WalletManager,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run([chain, rawCount]: string[]): Promise<void> {
    const count = parseCount(rawCount, MAX_BATCH);
    const terminal = this.output.progressStream;
    // the progress bar's library loads only when there is a terminal to draw on
    const progress = terminal ? await import('cli-progress') : undefined;
    const bar =
      terminal && progress
        ? new progress.SingleBar(
            { stream: terminal as NodeJS.WritableStream },
            progress.Presets.shades_classic,
          )
        : undefined;
    bar?.start(count, 0);
    try {
      const stored = await this.wallets.generateManagedPrivateKeyBatch(chain, count, (done) =>
        bar?.update(done),
      );
      bar?.stop();
      this.output.jsonLines(stored);
    } finally {
      bar?.stop();
    }
  }
}
