/**
 * A stored wallet, exactly as tatum-kms keeps it in its wallet map (field names are the file format).
 * Unknown extra fields found in an existing file are kept as they are.
 */
export interface MnemonicWallet {
  mnemonic: string;
  /** account-level extended public key; absent for chains without BIP32 xpubs (SOL, EGLD). */
  xpub?: string;
  chain: string;
  testnet: boolean;
}

export interface PrivateKeyWallet {
  privateKey: string;
  address?: string;
  chain: string;
  testnet: boolean;
}

/** XRP, XLM, ALGO: the chain's own secret format (family seed, secret seed, 25-word mnemonic). */
export interface SecretWallet {
  secret: string;
  address: string;
  chain: string;
  testnet: boolean;
}

export type WalletEntry = MnemonicWallet | PrivateKeyWallet | SecretWallet;

/** The whole store: signatureId (uuid v4) -> entry. */
export type WalletMap = Record<string, WalletEntry>;

export interface StoredWallet {
  id: string;
  entry: WalletEntry;
}

export type WalletKind = 'mnemonic' | 'privateKey' | 'secret';

export function walletKind(entry: WalletEntry): WalletKind {
  if ('mnemonic' in entry && typeof entry.mnemonic === 'string') return 'mnemonic';
  if ('secret' in entry && typeof entry.secret === 'string') return 'secret';
  return 'privateKey';
}

export function isMnemonicWallet(entry: WalletEntry): entry is MnemonicWallet {
  return walletKind(entry) === 'mnemonic';
}

/**
 * True when two entries hold the same fields and values, whatever their key order or origin (JSON,
 * structuredClone, another realm): what migration and import mean by "identical".
 */
export function sameEntry(a: WalletEntry | undefined, b: WalletEntry | undefined): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null)
    return `{${Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'undefined';
}
