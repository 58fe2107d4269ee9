import { listing, type AnyStorageProvider } from '@kms/storage';

/** One option as `--help` lists it. */
export interface HelpOption {
  flags: string;
  description: string;
}

/**
 * The storage flags every command accepts, as `--help` lists them, derived from the providers:
 * `--storage <type>` naming each type (the first is the default), then each vault's password flag.
 */
export function storageOptions(providers: readonly AnyStorageProvider[]): HelpOption[] {
  const [first, ...rest] = providers.map(({ type }) => type);
  return [
    {
      flags: '--storage <type>',
      description: `wallet store: ${listing([`${first} (default)`, ...rest])}; or TATUM_KMS_STORAGE`,
    },
    ...providers.flatMap(({ passwordFlag }) =>
      passwordFlag ? [{ flags: `--${passwordFlag.name}`, description: passwordFlag.description }] : [],
    ),
  ];
}
