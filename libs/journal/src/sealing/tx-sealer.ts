import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCallback } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCallback) as (
  password: string,
  salt: Buffer,
  length: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/**
 * scrypt cost of the sealing key: the wallet store's own key cost (its N; r = 8, p = 1), so the journal
 * is no cheaper a password oracle than the store, and at most the default N = 2^16 (bounded start-up).
 * Derived once per process (and once per salt when opening), on libuv's thread pool, not on the event
 * loop. A seal names its cost: `js1` is N = 2^16, `js2.<log2 N>` any other N from 2^10 (the smallest
 * a wallet file accepts) up; an N out of that range is refused before any derivation.
 */
const DEFAULT_LOG2_N = 16;
const MIN_LOG2_N = 10;
const costOf = (log2N: number) => ({ N: 2 ** log2N, r: 8, p: 1, maxmem: 128 * 1024 * 1024 });
/** Salts of other processes (restarts, replicas) whose keys are kept for opening. */
const MAX_KEYS = 64;

/**
 * Seals the signed bytes the journal keeps (AES-256-GCM), so the journal file or database holds no
 * usable transaction in clear. The key is scrypt(store password, salt); each process draws its own
 * random salt and writes it into every sealed value, so any process that knows the store password
 * (a restart, another replica) can open what another sealed, and no key material sits in the journal.
 * The pending id and chain are bound as associated data: a sealed value moved to another id does not
 * open. Format: `js1.<salt>.<iv>.<ciphertext+tag>` (base64url; N = 2^16), or
 * `js2.<log2 N>.<salt>.<iv>.<ciphertext+tag>` for a store whose key costs less. Older versions read js1
 * only, which is what a store of the default cost keeps writing.
 */
export class TxSealer {
  private readonly keys = new Map<string, Promise<Buffer>>();

  private constructor(
    private readonly password: string,
    private readonly salt: Buffer,
    /** log2 of the scrypt N of this process's own seals. */
    private readonly log2N: number,
  ) {}

  /**
   * A sealer for this process: a fresh salt, its key derivation started now in the background (the
   * first seal waits for it; a start is not delayed by it). `storeKeyCost` is the unlocked store's
   * key cost (WalletStore.keyCost); without it, the default.
   */
  static async fromPassword(password: string, storeKeyCost?: { N: number }): Promise<TxSealer> {
    const sealer = new TxSealer(password, randomBytes(16), sealingLog2N(storeKeyCost));
    sealer.keyOf(sealer.salt, sealer.log2N).catch(() => undefined); // told by the first seal() that needs it
    return sealer;
  }

  async seal(plain: string, binding: { chain: string; pendingId: string }): Promise<string> {
    const key = await this.keyOf(this.salt, this.log2N);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(aadOf(binding));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    const version = this.log2N === DEFAULT_LOG2_N ? ['js1'] : ['js2', String(this.log2N)];
    return [...version, this.salt, iv, body]
      .map((part) => (typeof part === 'string' ? part : b64(part)))
      .join('.');
  }

  /** The plain text, or an Error (never quoting the value) when it is damaged, moved or of another password. */
  async open(sealed: string, binding: { chain: string; pendingId: string }): Promise<string> {
    const [version, ...fields] = sealed.split('.');
    const log2N = version === 'js1' ? DEFAULT_LOG2_N : version === 'js2' ? Number(fields.shift()) : NaN;
    const [salt, iv, body, ...rest] = fields;
    const knownCost = Number.isInteger(log2N) && log2N >= MIN_LOG2_N && log2N <= DEFAULT_LOG2_N;
    if (!knownCost || rest.length || !salt || !iv || !body) {
      throw new Error('the sealed transaction is not in a known format');
    }
    const saltBytes = Buffer.from(salt, 'base64url');
    const bodyBytes = Buffer.from(body, 'base64url');
    if (saltBytes.length !== 16 || bodyBytes.length < 16)
      throw new Error('the sealed transaction is damaged');
    const key = await this.keyOf(saltBytes, log2N);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(aadOf(binding));
      decipher.setAuthTag(bodyBytes.subarray(bodyBytes.length - 16));
      return Buffer.concat([
        decipher.update(bodyBytes.subarray(0, bodyBytes.length - 16)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new Error(
        'the sealed transaction does not open: damaged, recorded for another id, or sealed under another store password',
      );
    }
  }

  private keyOf(salt: Buffer, log2N: number): Promise<Buffer> {
    const id = `${log2N}:${salt.toString('hex')}`;
    let key = this.keys.get(id);
    if (!key) {
      if (this.keys.size >= MAX_KEYS) this.keys.delete(this.keys.keys().next().value!);
      key = scrypt(this.password, salt, 32, costOf(log2N));
      this.keys.set(id, key);
    }
    return key;
  }
}

/** log2 of the sealing N for a store key of cost `storeKeyCost` (unknown: the default 2^16). */
function sealingLog2N(storeKeyCost?: { N: number }): number {
  const log2N = storeKeyCost ? Math.floor(Math.log2(storeKeyCost.N)) : DEFAULT_LOG2_N;
  return Number.isFinite(log2N) ? Math.min(DEFAULT_LOG2_N, Math.max(MIN_LOG2_N, log2N)) : DEFAULT_LOG2_N;
}

function aadOf({ chain, pendingId }: { chain: string; pendingId: string }): Buffer {
  return Buffer.from(JSON.stringify(['kms-journal-v1', chain.toUpperCase(), pendingId]));
}

function b64(bytes: Buffer): string {
  return bytes.toString('base64url');
}
