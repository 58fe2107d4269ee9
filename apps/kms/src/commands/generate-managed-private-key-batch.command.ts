import { SingleBar, Presets } from 'cli-progress';
import { Command } from 'nest-commander';
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
  constructor(private readonly wallets: WalletManager) {
    super();
  }

  async run([chain, rawCount]: string[]): Promise<void> {
    const count = parseCount(rawCount, MAX_BATCH);
    const bar = process.stderr.isTTY
      ? new SingleBar({ stream: process.stderr }, Presets.shades_classic)
      : undefined;
    bar?.start(count, 0);
    try {
      const stored = await this.wallets.generateManagedPrivateKeyBatch(chain, count, (done) =>
        bar?.update(done),
      );
      bar?.stop();
      process.stdout.write(stored.map((line) => `${JSON.stringify(line)}\n`).join(''));
    } finally {
      bar?.stop();
    }
  }
}
