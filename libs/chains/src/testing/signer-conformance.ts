import { KmsError } from '@kms/common';
import type { ChainNetwork } from '../chain-network.port';
import type { ChainSigner, SignRequest } from '../chain-signer.port';

/**
 * The signer conformance kit (`@kms/chains/testing`): the jest tests every `@ChainSigner`, built-in or
 * plugin, must pass. Call it at the top level of a spec:
 *
 *   signerConformance('BASE', () => new BaseSigner(), { expected: { mainnet: { address, privateKey } } });
 *
 * It checks, on mainnet and testnet: derivation round trips (a mnemonic gives the same address and key
 * every time, the key imports back to that address, an xpub derives the same addresses), generated
 * wallets and key pairs import back to their address, bad keys and mnemonics are refused with a
 * KmsError, malformed pending transactions (not JSON, wrong types, oversized) are refused with
 * INVALID_PENDING_TX before the network is asked, and no error message quotes a key or a mnemonic.
 */
export interface SignerConformanceFixtures {
  /** A valid BIP39 mnemonic that HD chains derive from (default: a fixed 12-word test mnemonic). */
  mnemonic?: string;
  /** What the mnemonic derives at index 0 (HD chains), to pin derivation to known vectors. */
  expected?: Partial<Record<'mainnet' | 'testnet', { address?: string; privateKey?: string }>>;
  /** More keys this chain must refuse (e.g. another network's WIF), besides the kit's own. */
  badKeys?: string[];
  /**
   * Pending transactions in the chain's own format whose fields have the wrong type or shape (e.g.
   * `{"to": 42}`), besides the kit's generic garbage; each must be refused with INVALID_PENDING_TX.
   */
  malformedTransactions?: string[];
  /** Networks to check (default both). */
  networks?: ConformanceNetwork[];
}

/** A fixed, public BIP39 test mnemonic: never a real wallet's. */
export const CONFORMANCE_MNEMONIC = 'urge pulp usage sister evidence arrest palm math please chief egg abuse';

/** Payloads no chain accepts: not JSON (or not the chain's text format), or JSON of the wrong type. */
const GARBAGE = [
  '',
  ' ',
  'not a transaction',
  '{"to":',
  '\u0000\u0001\u0002',
  'null',
  '42',
  'true',
  '"text"',
  '[]',
  '[1,2,3]',
  '{}',
];

/** Oversized payloads (1 MiB): junk in a JSON object, a huge number, a long hex string. */
const OVERSIZED = [
  JSON.stringify({ junk: 'x'.repeat(1 << 20) }),
  JSON.stringify({ to: 'x'.repeat(1 << 20), value: '9'.repeat(1 << 10), amount: '9'.repeat(1 << 10) }),
  'ab'.repeat(1 << 19),
];

/** A network that must not be reached: signers validate a payload before asking anything. */
class UnreachableNetwork implements ChainNetwork {
  readonly calls: string[] = [];
  tatum(method: string, path: string): Promise<unknown> {
    this.calls.push(`${method} ${path}`);
    return Promise.reject(new Error('conformance: the Tatum API was asked about a malformed transaction'));
  }
  node(node: string): Promise<never> {
    this.calls.push(`node ${node}`);
    return Promise.reject(new Error('conformance: a node was asked about a malformed transaction'));
  }
}

/** Awaits `promise`, which must reject with a KmsError, and returns that error. */
async function refusal(promise: Promise<unknown>): Promise<KmsError> {
  let outcome: unknown;
  try {
    await promise;
  } catch (error) {
    outcome = error;
  }
  if (!(outcome instanceof KmsError)) {
    const got = outcome === undefined ? 'it resolved' : `it threw ${String(outcome)}`;
    throw new Error(`expected a KmsError, but ${got}`);
  }
  return outcome;
}

/** Everything an error shows: message, stack, own fields and its causes. */
function shownBy(error: unknown, depth = 0): string {
  if (!(error instanceof Error) || depth > 5) return String(error);
  const fields = JSON.stringify({ ...error });
  return `${error.message}\n${error.stack ?? ''}\n${fields}\n${shownBy(error.cause, depth + 1)}`;
}

/** Fails when the error shows any of the secrets (secrets shorter than 6 characters are not secrets). */
function expectNoSecret(error: unknown, secrets: readonly string[]): void {
  const shown = shownBy(error);
  for (const secret of secrets) {
    if (secret.trim().length >= 6 && shown.includes(secret.trim())) {
      throw new Error(`an error message quotes a secret (${secret.length} characters)`);
    }
  }
}

/** The kit's checks, one per test; each resolves, or rejects saying what the signer got wrong. */
export interface ConformanceChecks {
  declaration(): Promise<void>;
  derivation(network: ConformanceNetwork): Promise<void>;
  generatedWallets(network: ConformanceNetwork): Promise<void>;
  badKeys(network: ConformanceNetwork): Promise<void>;
  badMnemonics(network: ConformanceNetwork): Promise<void>;
  malformedTransactions(network: ConformanceNetwork): Promise<void>;
}

export type ConformanceNetwork = 'mainnet' | 'testnet';

/** The checks of signerConformance on one signer, for specs that call them directly. */
export function conformanceChecks(
  signer: ChainSigner,
  fixtures: SignerConformanceFixtures = {},
): ConformanceChecks {
  const mnemonic = fixtures.mnemonic ?? CONFORMANCE_MNEMONIC;

  /** True when the chain derives from mnemonics (HD chains, SOL); false when it refuses them. */
  const hasMnemonicWallets = (testnet: boolean): Promise<boolean> =>
    signer.walletFromMnemonic(mnemonic, testnet).then(
      () => true,
      (error: unknown) => {
        if (error instanceof KmsError) return false;
        throw error;
      },
    );

  /** A valid private key of this chain and network (derived on HD chains, generated otherwise). */
  const validKey = async (testnet: boolean): Promise<string> =>
    signer.walletModel === 'hd'
      ? signer.derivePrivateKey(mnemonic, 0, testnet)
      : (await signer.generateKeyPair(testnet)).privateKey;

  return {
    async declaration() {
      expect(typeof signer.chain).toBe('string');
      expect(signer.chain).toMatch(/^[A-Z0-9_]+$/);
      expect(['hd', 'keyPair', 'secret']).toContain(signer.walletModel);
      expect(signer.tatum.broadcastPath).toMatch(/^[a-z0-9-]+$/);
      expect(typeof signer.tatum.offchainWithdrawals).toBe('boolean');
      if (signer.tatum.noncePath !== undefined) expect(signer.tatum.noncePath).toMatch(/^[a-z0-9-]+$/);
    },

    async derivation(network) {
      const testnet = network === 'testnet';
      if (!(await hasMnemonicWallets(testnet))) {
        // Chains without mnemonic wallets (XRP, XLM...) refuse every mnemonic with a KmsError.
        expect(signer.walletModel).not.toBe('hd');
        expectNoSecret(await refusal(signer.walletFromMnemonic(mnemonic, testnet)), [mnemonic]);
        return;
      }
      const wallet = await signer.walletFromMnemonic(mnemonic, testnet);
      expect(wallet.mnemonic).toBe(mnemonic);
      expect(await signer.walletFromMnemonic(mnemonic, testnet)).toEqual(wallet);
      const addresses: string[] = [];
      for (const index of [0, 1, 7]) {
        const address = await signer.deriveAddress({ mnemonic }, index, testnet);
        const key = await signer.derivePrivateKey(mnemonic, index, testnet);
        expect(await signer.deriveAddress({ mnemonic }, index, testnet)).toBe(address);
        expect(await signer.derivePrivateKey(mnemonic, index, testnet)).toBe(key);
        if (wallet.xpub !== undefined) {
          expect(await signer.deriveAddress({ xpub: wallet.xpub }, index, testnet)).toBe(address);
        }
        expect(await signer.importPrivateKey(key, testnet)).toMatchObject({ address });
        addresses.push(address);
      }
      expect(new Set(addresses).size).toBe(addresses.length);
      const expected = fixtures.expected?.[network];
      if (expected?.address !== undefined) expect(addresses[0]).toBe(expected.address);
      if (expected?.privateKey !== undefined) {
        expect(await signer.derivePrivateKey(mnemonic, 0, testnet)).toBe(expected.privateKey);
      }
    },

    async generatedWallets(network) {
      const testnet = network === 'testnet';
      const pair = await signer.generateKeyPair(testnet);
      const imported = await signer.importPrivateKey(pair.privateKey, testnet);
      expect(imported).toEqual(pair);
      expect(await signer.importPrivateKey(imported.privateKey, testnet)).toEqual(pair);
      const wallet = await signer.generateWallet(testnet);
      if ('mnemonic' in wallet) {
        expect(signer.walletModel).toBe('hd');
        const again = await signer.walletFromMnemonic(wallet.mnemonic, testnet);
        expect(again.xpub).toBe(wallet.xpub);
      } else {
        const secret = 'privateKey' in wallet ? wallet.privateKey : wallet.secret;
        expect((await signer.importPrivateKey(secret, testnet)).address).toBe(wallet.address);
      }
    },

    async badKeys(network) {
      const testnet = network === 'testnet';
      const key = await validKey(testnet);
      const badKeys = [
        '',
        '   ',
        'not-a-private-key',
        '0x',
        '0xzzzz',
        `${key}${key}`,
        `${key}00`,
        `${key.slice(0, -1)}!`,
        'k'.repeat(10_000),
        ...(fixtures.badKeys ?? []),
      ];
      for (const bad of badKeys) {
        const error = await refusal(signer.importPrivateKey(bad, testnet));
        expectNoSecret(error, [bad, key]);
      }
    },

    async badMnemonics(network) {
      const testnet = network === 'testnet';
      const words = mnemonic.split(' ');
      const badChecksum = [...words.slice(0, -1), words[0] === 'abandon' ? 'zoo' : 'abandon'].join(' ');
      const bad = [
        badChecksum,
        words.slice(0, 11).join(' '),
        `${mnemonic} extra`,
        'no such words here at all',
      ];
      for (const text of bad) {
        const error = await refusal(signer.walletFromMnemonic(text, testnet));
        expectNoSecret(error, [text, mnemonic, words.slice(0, 3).join(' ')]);
        if (await hasMnemonicWallets(testnet)) {
          expectNoSecret(await refusal(signer.derivePrivateKey(text, 0, testnet)), [text, mnemonic]);
        }
      }
    },

    async malformedTransactions(network) {
      const testnet = network === 'testnet';
      const key = await validKey(testnet);
      const payloads = [...GARBAGE, ...OVERSIZED, ...(fixtures.malformedTransactions ?? [])];
      for (const serializedTransaction of payloads) {
        const network = new UnreachableNetwork();
        const request: SignRequest = {
          serializedTransaction,
          keys: [key],
          withdrawal: false,
          testnet,
          network,
          beforeSubmit: () => Promise.reject(new Error('conformance: a malformed transaction was submitted')),
        };
        const error = await refusal(signer.signTransaction(request));
        const label = `${serializedTransaction.slice(0, 40)}${serializedTransaction.length > 40 ? '...' : ''}`;
        expect({ payload: label, code: error.code }).toEqual({
          payload: label,
          code: 'INVALID_PENDING_TX',
        });
        expect({ payload: label, networkCalls: network.calls }).toEqual({
          payload: label,
          networkCalls: [],
        });
        expectNoSecret(error, [key, mnemonic]);
        if (signer.describe) {
          const described = await refusal(
            signer.describe({ serializedTransaction, withdrawal: false, testnet }),
          );
          expect({ payload: label, code: described.code }).toEqual({
            payload: label,
            code: 'INVALID_PENDING_TX',
          });
        }
      }
    },
  };
}

/** Registers the conformance tests of one signer (see the module comment). */
export function signerConformance(
  name: string,
  makeSigner: () => ChainSigner | Promise<ChainSigner>,
  fixtures: SignerConformanceFixtures = {},
): void {
  const networks = fixtures.networks ?? ['mainnet', 'testnet'];

  describe(`${name} signer conformance`, () => {
    let checks: ConformanceChecks;
    beforeAll(async () => {
      checks = conformanceChecks(await makeSigner(), fixtures);
    });

    it('declares its chain, wallet model and Tatum API paths', () => checks.declaration());

    describe.each(networks)('%s', (network) => {
      it('derivation round trips: a mnemonic always gives the same addresses and keys, which import back', () =>
        checks.derivation(network));
      it('generated wallets and key pairs import back to their address', () =>
        checks.generatedWallets(network));
      it('refuses bad private keys with a KmsError that does not quote them', () => checks.badKeys(network));
      it('refuses bad mnemonics with a KmsError that does not quote them', () =>
        checks.badMnemonics(network));
      it('refuses malformed pending transactions with INVALID_PENDING_TX, before asking the network and without quoting a key', () =>
        checks.malformedTransactions(network));
    });
  });
}
