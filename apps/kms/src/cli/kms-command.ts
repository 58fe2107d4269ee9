import { CommandRunner, Option } from 'nest-commander';

/**
 * Base of every command: declares the global flags of tatum-kms so that `--help` lists them and
 * commander accepts them anywhere. The storage flags (`--storage` and each vault's password flag) are
 * added by runCli from the storage providers (storage-options.ts). Their values are read once by main.ts into the KmsConfig (flags
 * shape the configuration before Nest boots), so the parsers here only pass them through.
 */
export abstract class KmsCommand extends CommandRunner {
  @Option({ flags: '--testnet', description: 'use the testnet of the chain (mainnet by default)' })
  parseTestnet(): boolean {
    return true;
  }

  @Option({ flags: '--path <path>', description: 'wallet file (default ~/.tatumrc/wallet.dat)' })
  parsePath(value: string): string {
    return value;
  }

  @Option({
    flags: '--envFile <path>',
    description: 'file of environment variables (default ~/.tatumrc/.env)',
  })
  parseEnvFile(value: string): string {
    return value;
  }

  @Option({
    flags: '--apiKey <apiKey>',
    description:
      'Tatum API key. A flag value is visible to every user of the machine (ps, /proc): prefer TATUM_API_KEY in the environment or in the env file',
  })
  parseApiKey(value: string): string {
    return value;
  }
}
