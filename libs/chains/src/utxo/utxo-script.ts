const OP_0 = 0x00;
const OP_DUP = 0x76;
const OP_HASH160 = 0xa9;
const OP_EQUALVERIFY = 0x88;
const OP_CHECKSIG = 0xac;
const PUSH_20 = 0x14;

/** A previous output we know how to spend with one key. */
export interface KeyHashScript {
  readonly type: 'p2pkh' | 'p2wpkh';
  readonly pubKeyHash: Uint8Array;
}

/** P2PKH (`OP_DUP OP_HASH160 <20> OP_EQUALVERIFY OP_CHECKSIG`) or P2WPKH (`OP_0 <20>`); otherwise undefined. */
export function keyHashScript(script: Uint8Array): KeyHashScript | undefined {
  if (
    script.length === 25 &&
    script[0] === OP_DUP &&
    script[1] === OP_HASH160 &&
    script[2] === PUSH_20 &&
    script[23] === OP_EQUALVERIFY &&
    script[24] === OP_CHECKSIG
  ) {
    return { type: 'p2pkh', pubKeyHash: script.slice(3, 23) };
  }
  if (script.length === 22 && script[0] === OP_0 && script[1] === PUSH_20) {
    return { type: 'p2wpkh', pubKeyHash: script.slice(2) };
  }
  return undefined;
}

/** The P2PKH script of a key hash: the scriptPubKey of a P2PKH output and the BIP143 scriptCode of P2WPKH. */
export function p2pkhScript(pubKeyHash: Uint8Array): Buffer {
  return Buffer.from([OP_DUP, OP_HASH160, PUSH_20, ...pubKeyHash, OP_EQUALVERIFY, OP_CHECKSIG]);
}

/** `<signature> <public key>`: the unlocking script of P2PKH (both pushes are under 76 bytes). */
export function p2pkhScriptSig(signature: Uint8Array, publicKey: Uint8Array): Buffer {
  return Buffer.from([signature.length, ...signature, publicKey.length, ...publicKey]);
}
