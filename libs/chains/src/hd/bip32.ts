import { HDKey } from '@scure/bip32';
import { InvalidXpubError } from '../chains.errors';
import { mnemonicToSeed } from './mnemonic';

/** BIP32 serialization version bytes of extended keys. */
export interface Bip32Versions {
  public: number;
  private: number;
}

/** `xpub`/`xprv`: Bitcoin mainnet, and every account chain on both networks. */
export const XPUB_VERSIONS: Bip32Versions = { public: 0x0488b21e, private: 0x0488ade4 };
/** `tpub`/`tprv`: Bitcoin-like testnets. */
export const TPUB_VERSIONS: Bip32Versions = { public: 0x043587cf, private: 0x04358394 };

/**
 * The account-level node at `path` (e.g. m/44'/60'/0'/0) of a canonical mnemonic. It holds private
 * data: call `wipePrivateData()` once the key or xpub has been read.
 */
export async function accountNodeFromMnemonic(
  canonical: string,
  path: string,
  versions: Bip32Versions,
): Promise<HDKey> {
  const seed = await mnemonicToSeed(canonical);
  try {
    const master = HDKey.fromMasterSeed(seed, versions);
    const account = master.derive(path);
    master.wipePrivateData();
    return account;
  } finally {
    seed.fill(0);
  }
}

/** Private key of non-hardened child `index` of the account node at `path`. */
export async function derivePrivateKeyBytes(
  canonical: string,
  path: string,
  versions: Bip32Versions,
  index: number,
): Promise<Uint8Array> {
  const account = await accountNodeFromMnemonic(canonical, path, versions);
  const child = account.deriveChild(index);
  account.wipePrivateData();
  const key = Uint8Array.from(child.privateKey!);
  child.wipePrivateData();
  return key;
}

/** The xpub of a canonical mnemonic at `path`. */
export async function xpubFromMnemonic(
  canonical: string,
  path: string,
  versions: Bip32Versions,
): Promise<string> {
  const account = await accountNodeFromMnemonic(canonical, path, versions);
  const xpub = account.publicExtendedKey;
  account.wipePrivateData();
  return xpub;
}

/**
 * Compressed public key of non-hardened child `index` of an extended PUBLIC key with the given version
 * bytes. A malformed key, another network's version, or an extended private key: InvalidXpubError
 * (the key itself is never echoed).
 */
export function childPublicKeyFromXpub(xpub: string, versions: Bip32Versions, index: number): Uint8Array {
  let node: HDKey;
  try {
    node = HDKey.fromExtendedKey(xpub, versions);
  } catch (cause) {
    throw new InvalidXpubError('not an extended public key of this chain and network', cause);
  }
  if (node.privateKey) {
    node.wipePrivateData();
    throw new InvalidXpubError('an extended private key was given where an xpub is expected');
  }
  return node.deriveChild(index).publicKey!;
}
