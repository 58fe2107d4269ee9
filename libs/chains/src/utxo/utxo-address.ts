import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { lazy } from '../lazy';
import { loadBitcoinjs as bitcoinjs } from './bitcoinjs';
import type { UtxoAddressType, UtxoNetwork } from './utxo-chains';

const cashaddr = lazy(() => import('cashaddrjs'));

/**
 * The address of a compressed public key: P2WPKH (bech32), P2PKH (base58check) or CashAddr P2PKH.
 * bitcoinjs-lib and cashaddrjs are loaded on the first call.
 */
export async function utxoAddress(
  type: UtxoAddressType,
  publicKey: Uint8Array,
  network: UtxoNetwork,
): Promise<string> {
  switch (type) {
    case 'p2wpkh': {
      const { payments } = await bitcoinjs();
      return payments.p2wpkh({ pubkey: Buffer.from(publicKey), network }).address!;
    }
    case 'p2pkh': {
      const { payments } = await bitcoinjs();
      return payments.p2pkh({ pubkey: Buffer.from(publicKey), network }).address!;
    }
    case 'cashaddr': {
      const { encode } = await cashaddr();
      return encode(network.cashAddrPrefix!, 'P2PKH', ripemd160(sha256(publicKey)));
    }
  }
}
