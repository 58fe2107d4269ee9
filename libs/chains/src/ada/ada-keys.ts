import { randomBytes } from 'node:crypto';
import type * as Cardano from '@emurgo/cardano-serialization-lib-nodejs';
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { mnemonicToEntropy } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import type { KeyPair } from '../chain-signer.port';
import { InvalidPrivateKeyError, InvalidXpubError } from '../chains.errors';
import { lazy } from '../lazy';

export type CardanoLib = typeof Cardano;

/** @emurgo/cardano-serialization-lib-nodejs (WASM, ~4 MB), loaded on the first ADA call. */
export const cardanoLib: () => Promise<CardanoLib> = lazy(
  () => import('@emurgo/cardano-serialization-lib-nodejs'),
);

const HARDENED = 0x80000000;

/**
 * m/1852'/1815'/0'/0, the external chain of account 0 (CIP-1852). Tatum's Cardano SDK v2
 * (`@tatumio/cardano`, cardano.sdk.wallet.ts, used by tatum-kms 8) derives its xpub here, not at the
 * account (m/1852'/1815'/0', the path its constants name), and key `i` is the soft child `i` of it.
 */
const CHAIN_PATH = [1852 + HARDENED, 1815 + HARDENED, 0 + HARDENED, 0];

/** Shelley network id: 1 mainnet, 0 every test network (Tatum's testnet is preprod). */
export function adaNetworkId(testnet: boolean): number {
  return testnet ? 0 : 1;
}

/**
 * The xpub of a canonical mnemonic as Tatum writes it: hex of the 64-byte BIP32-Ed25519 public key of
 * m/1852'/1815'/0'/0 (public key || chain code), 128 hex digits. The root key is Icarus-style, from
 * the BIP39 entropy with an empty password (`Bip32PrivateKey.from_bip39_entropy(entropy, '')`), so it
 * does not depend on the network.
 */
export function adaXpub(cardano: CardanoLib, canonicalMnemonic: string): string {
  return withChainKey(cardano, canonicalMnemonic, (chain) => {
    const xpub = chain.to_public();
    try {
      return bytesToHex(xpub.as_bytes());
    } finally {
      xpub.free();
    }
  });
}

/** The 64-byte extended private key (kL || kR) of m/1852'/1815'/0'/0/{index}. Wipe it after use. */
export function adaPrivateKeyBytes(
  cardano: CardanoLib,
  canonicalMnemonic: string,
  index: number,
): Uint8Array {
  return withChainKey(cardano, canonicalMnemonic, (chain) => {
    const child = chain.derive(index);
    const raw = child.to_raw_key();
    try {
      return Uint8Array.from(raw.as_bytes());
    } finally {
      raw.free();
      child.free();
    }
  });
}

/**
 * Address `index` of an xpub (see adaXpub): the enterprise address of its soft child `index`. Throws
 * InvalidXpubError (never quoting the text) unless it is 128 hex digits whose first half is an
 * ed25519 point.
 */
export function adaAddressOfXpub(
  cardano: CardanoLib,
  xpub: unknown,
  index: number,
  testnet: boolean,
): string {
  const parent = cardano.Bip32PublicKey.from_bytes(parseXpub(xpub));
  try {
    const child = parent.derive(index);
    try {
      return adaEnterpriseAddress(cardano, child.to_raw_key(), testnet);
    } finally {
      child.free();
    }
  } finally {
    parent.free();
  }
}

/**
 * The address Tatum gives a key: the enterprise address (no stake part, CIP-19 type 6) of its public
 * key, bech32 `addr1...` / `addr_test1...`. Tatum's SDK asks a Rosetta node (`construction/derive`,
 * whose default is this address type); it is computed here.
 */
export function adaEnterpriseAddress(
  cardano: CardanoLib,
  publicKey: Cardano.PublicKey,
  testnet: boolean,
): string {
  const credential = cardano.Credential.from_keyhash(publicKey.hash());
  return cardano.EnterpriseAddress.new(adaNetworkId(testnet), credential).to_address().to_bech32();
}

/**
 * The 64-byte extended ed25519 key (kL || kR) of a private key in Tatum's format: 128 hex digits, as
 * `generatePrivateKeyFromMnemonic` of Tatum's SDK v2 returns. The 256-digit 128-byte form of Tatum's
 * SDK v1 (kL || kR || public key || chain code, `Bip32PrivateKey.from_128_xprv`) is accepted too when its
 * public key is that of kL. kL must be a clamped BIP32-Ed25519 scalar. InvalidPrivateKeyError
 * otherwise, never quoting the text. Wipe the result after use.
 */
export function parseAdaPrivateKey(cardano: CardanoLib, text: unknown): Uint8Array {
  const expected = 'a 64-byte extended ed25519 key in hex (128 hex digits)';
  if (typeof text !== 'string') throw new InvalidPrivateKeyError('ADA', expected);
  const hex = text.trim();
  if (!/^[0-9a-fA-F]*$/.test(hex) || (hex.length !== 128 && hex.length !== 256)) {
    throw new InvalidPrivateKeyError('ADA', expected);
  }
  const bytes = hexToBytes(hex.toLowerCase());
  const key = bytes.slice(0, 64);
  try {
    // BIP32-Ed25519 scalars are multiples of 8 with bit 254 set and bit 255 clear.
    if ((key[0] & 0x07) !== 0 || (key[31] & 0xc0) !== 0x40) {
      throw new InvalidPrivateKeyError('ADA', `${expected} whose first half is a clamped ed25519 scalar`);
    }
    if (bytes.length === 128 && !equalBytes(publicKeyOf(cardano, key), bytes.subarray(64, 96))) {
      throw new InvalidPrivateKeyError(
        'ADA',
        'a 128-byte key whose public key part belongs to its private part',
      );
    }
    return key;
  } catch (error) {
    key.fill(0);
    throw error;
  } finally {
    bytes.fill(0);
  }
}

/** The canonical form (lowercase hex of kL || kR) and enterprise address of an extended key. */
export function adaKeyPair(cardano: CardanoLib, extendedKey: Uint8Array, testnet: boolean): KeyPair {
  const privateKey = cardano.PrivateKey.from_extended_bytes(extendedKey);
  const publicKey = privateKey.to_public();
  try {
    return {
      address: adaEnterpriseAddress(cardano, publicKey, testnet),
      privateKey: bytesToHex(extendedKey),
    };
  } finally {
    publicKey.free();
    privateKey.free();
  }
}

/**
 * A random extended key: 64 random bytes, the first half clamped as a BIP32-Ed25519 root scalar.
 * Wipe it after use.
 */
export function randomAdaPrivateKey(): Uint8Array {
  const key = new Uint8Array(randomBytes(64));
  key[0] &= 0xf8;
  key[31] &= 0x1f;
  key[31] |= 0x40;
  return key;
}

function publicKeyOf(cardano: CardanoLib, extendedKey: Uint8Array): Uint8Array {
  const privateKey = cardano.PrivateKey.from_extended_bytes(extendedKey);
  const publicKey = privateKey.to_public();
  try {
    return publicKey.as_bytes();
  } finally {
    publicKey.free();
    privateKey.free();
  }
}

function parseXpub(xpub: unknown): Uint8Array {
  if (typeof xpub !== 'string' || !/^[0-9a-fA-F]+$/.test(xpub.trim())) {
    throw new InvalidXpubError('expected an ADA xpub: 128 hex digits (public key and chain code)');
  }
  const hex = xpub.trim();
  if (hex.length === 256) {
    throw new InvalidXpubError(
      'this is a Tatum SDK v1 ADA xpub (spend and stake keys, base addresses), which Tatum no longer derives; ' +
        'create the wallet again from its mnemonic to get the current xpub',
    );
  }
  if (hex.length !== 128) {
    throw new InvalidXpubError('expected an ADA xpub: 128 hex digits (public key and chain code)');
  }
  const bytes = hexToBytes(hex.toLowerCase());
  try {
    ed25519.Point.fromBytes(bytes.subarray(0, 32));
  } catch (cause) {
    throw new InvalidXpubError('its public key is not an ed25519 point', cause);
  }
  return bytes;
}

/** Runs `use` with the chain key m/1852'/1815'/0'/0 of a mnemonic, then frees every key made. */
function withChainKey<T>(
  cardano: CardanoLib,
  canonicalMnemonic: string,
  use: (chain: Cardano.Bip32PrivateKey) => T,
): T {
  const entropy = mnemonicToEntropy(canonicalMnemonic, wordlist);
  const keys: Cardano.Bip32PrivateKey[] = [];
  try {
    let key = cardano.Bip32PrivateKey.from_bip39_entropy(entropy, new Uint8Array(0));
    keys.push(key);
    for (const index of CHAIN_PATH) {
      key = key.derive(index);
      keys.push(key);
    }
    return use(key);
  } finally {
    entropy.fill(0);
    for (const key of keys) key.free();
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
