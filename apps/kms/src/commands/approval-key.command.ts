import { Command } from 'nest-commander';
import { ensureApprovalKey, publicKeyPem, rawPublicKey } from '@kms/four-eye';
import { InjectWalletStore, type WalletStore } from '@kms/storage';
import { KmsCommand } from '../cli/kms-command';
import { CliOutput } from '../cli/cli-output';

/**
 * Prints the public half of the KMS's Ed25519 approval key (created and stored on first use), for
 * the approval server to verify signed approval requests. The private half never leaves the store.
 */
@Command({
  name: 'approvalkey',
  description:
    'Print the public key of the KMS approval key for signed approvals with Ed25519 (created in the store the first time)',
})
export class ApprovalKeyCommand extends KmsCommand {
  constructor(
    @InjectWalletStore() private readonly store: WalletStore,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run(): Promise<void> {
    const { signatureId, key, created } = await ensureApprovalKey(this.store);
    this.output.json({ publicKey: rawPublicKey(key), publicKeyPem: publicKeyPem(key), signatureId, created });
  }
}
