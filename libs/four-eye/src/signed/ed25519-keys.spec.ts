import { generateKeyPairSync } from 'node:crypto';
import { ed25519Scheme } from './approval-wire';
import {
  ed25519PrivateKey,
  newEd25519Key,
  parseEd25519PublicKey,
  publicKeyPem,
  rawPublicKey,
} from './ed25519-keys';

describe('Ed25519 approval keys', () => {
  it('a stored seed gives back the key whose public half was printed', () => {
    const { seedHex, publicKey } = newEd25519Key();
    expect(rawPublicKey(ed25519PrivateKey(seedHex))).toBe(publicKey);
  });

  it('reads a public key as base64, hex or PEM, and refuses anything else', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const base64 = rawPublicKey(privateKey);
    const hex = Buffer.from(base64, 'base64').toString('hex');
    for (const form of [base64, hex, publicKeyPem(privateKey), ` ${base64}\n`]) {
      expect(rawPublicKey(parseEd25519PublicKey(form)!)).toBe(base64);
    }
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({
      type: 'spki',
      format: 'pem',
    });
    for (const bad of ['', 'not-a-key', base64.slice(0, 20), hex.slice(2), String(rsa)]) {
      expect(parseEd25519PublicKey(bad)).toBeUndefined();
    }
  });

  it('answers verify only with the server key, over the exact bytes', () => {
    const kms = generateKeyPairSync('ed25519');
    const server = generateKeyPairSync('ed25519');
    const other = generateKeyPairSync('ed25519');
    const asServer = ed25519Scheme(server.privateKey, kms.publicKey); // the server's side of the same scheme
    const asKms = ed25519Scheme(kms.privateKey, server.publicKey);
    const body = Buffer.from('{"decision":"APPROVE"}');
    const header = asServer.sign(body);
    expect(asKms.verify(body, header)).toBe(true);
    expect(asKms.verify(Buffer.from('{"decision":"APPROVE" }'), header)).toBe(false);
    expect(asKms.verify(body, ed25519Scheme(other.privateKey, kms.publicKey).sign(body))).toBe(false);
    expect(asKms.verify(body, undefined)).toBe(false);
    expect(asKms.verify(body, 'hmac-sha256=' + '0'.repeat(64))).toBe(false);
  });
});
