/**
 * A managed secret store (AWS Secrets Manager, Azure Key Vault, VGS) as the vault wallet store sees
 * it: named string secrets with string tags. Adapters translate the service's errors into
 * VaultError (never including a credential or a secret value) and retry throttling within bounds.
 */
export interface SecretVault {
  /** The secret's current value, or undefined when it does not exist (or is deleted). */
  get(name: string): Promise<string | undefined>;
  /** Creates or overwrites a secret with these tags. */
  put(name: string, value: string, tags: Readonly<Record<string, string>>): Promise<void>;
  /**
   * Optional: creates or overwrites many secrets in few calls (VGS stores 20 values per request and
   * records them in its index in one write). All or nothing: on failure it removes what it wrote
   * (best effort) and throws. The vault store uses it for batches when offered, else `put` each.
   */
  putMany?(
    secrets: ReadonlyArray<{ name: string; value: string; tags: Readonly<Record<string, string>> }>,
  ): Promise<void>;
  /**
   * Optional: creates the secret only if no secret of that name exists, atomically (AWS CreateSecret,
   * VGS under its index lock); true if it was created. The vault store creates its data key with it,
   * so two processes making the first write into an empty vault cannot both create one. Without it
   * the store falls back to put + read back.
   */
  createIfAbsent?(name: string, value: string, tags: Readonly<Record<string, string>>): Promise<boolean>;
  /** Deletes a secret (immediately where the service allows); a missing secret is not an error. */
  delete(name: string): Promise<void>;
  /**
   * Names and tags of the secrets whose name starts with `prefix` and whose tags include every pair
   * of `tags`, without reading their values; pages through the service's listing.
   */
  list(
    prefix: string,
    tags?: Readonly<Record<string, string>>,
  ): AsyncIterable<{ name: string; tags: Record<string, string> }>;
  /** Non-secret facts for checkconfig/report, e.g. `{ type: <the provider's type>, location: <region or host> }`. */
  describe(): { type: string; location: string };
  /** Number of API calls made so far (benchmarks report it). */
  readonly calls: number;
}

/** Tags the vault wallet store puts on every wallet secret, so listing needs no decryption. */
export const WALLET_TAGS = { kind: 'kms-wallet' } as const;
