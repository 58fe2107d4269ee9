import type { PasswordSource } from '../wallet-store.port';
import {
  deriveKek,
  newScryptParams,
  sameKdf,
  type Kek,
  type ScryptCost,
  type ScryptParams,
} from './wallet-file.codec';

const MAX_KEKS = 4;

/**
 * The password of one store instance and the KEKs derived from it, so scrypt runs once per salt and
 * not once per read or write. The password is asked at most once; it is kept (in memory only) because
 * another process may rewrite the file under a new salt (first write, legacy conversion), which needs
 * a fresh derivation from the same password. Nothing here is ever logged or put in an error.
 */
export class KeyRing {
  private passwordValue?: Promise<string>;
  private readonly keks: Kek[] = [];
  private fresh?: Kek;

  constructor(
    private readonly source: PasswordSource,
    /** scrypt cost of KEKs under a new salt (default DEFAULT_SCRYPT_COST). */
    private readonly freshCost?: ScryptCost,
  ) {}

  /** The source's answer, memoised (a rejection too: the source is asked once per instance). */
  password(): Promise<string> {
    this.passwordValue ??= this.source.password();
    return this.passwordValue;
  }

  /** A KEK already derived for these parameters, if any (no scrypt). */
  known(kdf: ScryptParams): Kek | undefined {
    return this.keks.find((kek) => sameKdf(kek.kdf, kdf));
  }

  /** The KEK for these parameters, running scrypt only if it is not known yet. */
  async derive(kdf: ScryptParams): Promise<Kek> {
    return this.known(kdf) ?? this.remember(await deriveKek(await this.password(), kdf));
  }

  /** Derives, ahead of need and outside any lock, a KEK under a new salt for a file this instance creates. */
  async prepareFresh(): Promise<void> {
    this.fresh ??= await deriveKek(await this.password(), newScryptParams(this.freshCost));
  }

  /** The prepared fresh KEK, or undefined if `prepareFresh` has not run. It is not consumed until `remember`. */
  peekFresh(): Kek | undefined {
    return this.fresh;
  }

  /** Records a KEK now in use by the file (a fresh one is no longer fresh). */
  remember(kek: Kek): Kek {
    if (this.fresh === kek) this.fresh = undefined;
    if (!this.known(kek.kdf)) {
      this.keks.push(kek);
      if (this.keks.length > MAX_KEKS) this.keks.shift();
    }
    return kek;
  }

  /** After a successful password change: the new password and its KEK replace the old ones. */
  adopt(password: string, kek: Kek): void {
    this.passwordValue = Promise.resolve(password);
    this.keks.length = 0;
    this.fresh = undefined;
    this.keks.push(kek);
  }
}
