import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCallback } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCallback) as (
  password: string,
  salt: Buffer,
  length: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/**
 * scrypt cost of the sealing key: the wallet file's (N = 2^16), so the journal is no cheaper a
 * password oracle than the wallet file. Derived once per process (and once per salt when opening),
 * on libuv's thread pool, not on the event loop.
 */
const COST = { N: 2 ** 16, r: 8, p: 1, maxmem: 128 * 1024 * 1024 };
const VERSION = 'js1';
/** Salts of other processes (restarts, replicas) whose keys are kept for opening. */
const MAX_KEYS = 64;

/**
 * Seals the signed bytes the journal keeps (AES-256-GCM), so the journal file or database holds no
 * usable transaction in clear. The key is scrypt(store password, salt); each process draws its own
 * random salt and writes it into every sealed value, so any process that knows the store password
 * (a restart, another replica) can open what another sealed, and no key material sits in the journal.
 * The pending id and chain are bound as associated data: a sealed value moved to another id does not
 * open. Format: `js1.<salt>.<iv>.<ciphertext+tag>` (base64url).
 */
export class TxSealer {
  private readonly keys = new Map<string, Promise<Buffer>>();

  private constructor(
    private readonly password: string,
    private readonly salt: Buffer,
  ) {}

  /**
   * A sealer for this process: a fresh salt, its key derivation started now in the background (the
   * first seal waits for it; a start is not delayed by it).
   */
  static async fromPassword(password: string): Promise<TxSealer> {
    const sealer = new TxSealer(password, randomBytes(16));
    sealer.keyOf(sealer.salt).catch(() => undefined); // told by the first seal() that needs it
    return sealer;
  }

  async seal(plain: string, binding: { chain: string; pendingId: string }): Promise<string> {
    const key = await this.keyOf(this.salt);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(aadOf(binding));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return [VERSION, this.salt, iv, body]
      .map((part) => (typeof part === 'string' ? part : b64(part)))
      .join('.');
  }

  /** The plain text, or an Error (never quoting the value) when it is damaged, moved or of another password. */
  async open(sealed: string, binding: { chain: string; pendingId: string }): Promise<string> {
    const [version, salt, iv, body, ...rest] = sealed.split('.');
    if (version !== VERSION || rest.length || !salt || !iv || !body) {
      throw new Error('the sealed transaction is not in a known format');
    }
    const saltBytes = Buffer.from(salt, 'base64url');
    const bodyBytes = Buffer.from(body, 'base64url');
    if (saltBytes.length !== 16 || bodyBytes.length < 16)
      throw new Error('the sealed transaction is damaged');
    const key = await this.keyOf(saltBytes);
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

  private keyOf(salt: Buffer): Promise<Buffer> {
    const id = salt.toString('hex');
    let key = this.keys.get(id);
    if (!key) {
      if (this.keys.size >= MAX_KEYS) this.keys.delete(this.keys.keys().next().value!);
      key = scrypt(this.password, salt, 32, COST);
      this.keys.set(id, key);
    }
    return key;
  }
}

function aadOf({ chain, pendingId }: { chain: string; pendingId: string }): Buffer {
  return Buffer.from(JSON.stringify(['kms-journal-v1', chain.toUpperCase(), pendingId]));
}

function b64(bytes: Buffer): string {
  return bytes.toString('base64url');
}
