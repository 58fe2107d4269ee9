import type { ChainSigner, SignRequest } from '../chain-signer.port';
import { InvalidMnemonicError, InvalidPrivateKeyError, InvalidTransactionError } from '../chains.errors';
import { findEvmChain } from '../evm/evm-chains';
import { EvmSigner } from '../evm/evm.signer';
import { conformanceChecks } from './signer-conformance';

/**
 * The kit is not vacuous: the ETH signer passes every check, and a signer broken in one way (echoing a
 * secret, throwing a plain Error, accepting garbage, asking the network first, deriving unstably)
 * fails the check that covers it.
 */
function ethSigner(overrides: Partial<ChainSigner> = {}): ChainSigner {
  return Object.assign(new EvmSigner(findEvmChain('ETH')!), overrides);
}

describe('signer conformance kit', () => {
  it('passes a conforming signer', async () => {
    const checks = conformanceChecks(ethSigner());
    await checks.declaration();
    await checks.derivation('mainnet');
    await checks.generatedWallets('testnet');
    await checks.badKeys('mainnet');
    await checks.badMnemonics('mainnet');
    await checks.malformedTransactions('testnet');
  });

  it('fails a declaration without a usable broadcast path', async () => {
    const signer = ethSigner();
    Object.defineProperty(signer, 'tatum', { value: { broadcastPath: 'A B', offchainWithdrawals: false } });
    await expect(conformanceChecks(signer).declaration()).rejects.toThrow();
  });

  it('fails unstable derivation', async () => {
    let calls = 0;
    const real = ethSigner();
    const signer = ethSigner({
      deriveAddress: (wallet, index, testnet) => real.deriveAddress(wallet, index + (calls++ % 2), testnet),
    });
    await expect(conformanceChecks(signer).derivation('mainnet')).rejects.toThrow();
  });

  it('fails a bad-key error that quotes the key, or that is not a KmsError', async () => {
    const echoing = ethSigner({
      importPrivateKey: (key) => Promise.reject(new InvalidPrivateKeyError('ETH', `not ${key}`)),
    });
    await expect(conformanceChecks(echoing).badKeys('mainnet')).rejects.toThrow(/quotes a secret/);
    const plain = ethSigner({ importPrivateKey: () => Promise.reject(new Error('bad key')) });
    await expect(conformanceChecks(plain).badKeys('mainnet')).rejects.toThrow(/expected a KmsError/);
  });

  it('fails a bad-mnemonic error that quotes the mnemonic', async () => {
    const signer = ethSigner({
      walletFromMnemonic: (mnemonic) => Promise.reject(new InvalidMnemonicError(`"${mnemonic}"`)),
    });
    await expect(conformanceChecks(signer).badMnemonics('mainnet')).rejects.toThrow(/quotes a secret/);
  });

  it('fails a signer that accepts garbage, refuses it with another code, or quotes the key', async () => {
    const accepting = ethSigner({ signTransaction: () => Promise.resolve('0xsigned'), describe: undefined });
    await expect(conformanceChecks(accepting).malformedTransactions('mainnet')).rejects.toThrow(
      /expected a KmsError, but it resolved/,
    );
    const otherCode = ethSigner({
      signTransaction: () => Promise.reject(new InvalidPrivateKeyError('ETH', 'hex')),
    });
    await expect(conformanceChecks(otherCode).malformedTransactions('mainnet')).rejects.toThrow(
      /INVALID_PENDING_TX/,
    );
    const quoting = ethSigner({
      signTransaction: (request: SignRequest) =>
        Promise.reject(new InvalidTransactionError('ETH', `cannot sign with ${request.keys[0]}`)),
    });
    await expect(conformanceChecks(quoting).malformedTransactions('mainnet')).rejects.toThrow(
      /quotes a secret/,
    );
  });

  it('fails a signer that asks the network before validating the payload', async () => {
    const real = ethSigner();
    const signer = ethSigner({
      signTransaction: async (request: SignRequest) => {
        await request.network.tatum('GET', '/v3/ethereum/transaction/count/0x0').catch(() => undefined);
        return real.signTransaction(request);
      },
    });
    await expect(conformanceChecks(signer).malformedTransactions('mainnet')).rejects.toThrow(/networkCalls/);
  });
});
