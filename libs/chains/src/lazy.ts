/**
 * Loads a module on the first call and memoizes the promise. Heavy chain libraries (bitcoinjs-lib,
 * cashaddrjs, and later ethers, @solana/web3.js) go through this, so importing `@kms/chains` stays
 * cheap: a CLI command pays only for the chain it uses. A failed load is retried on the next call.
 */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => {
    loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    });
    return loaded;
  };
}
