import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { sha3_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { encodeTransactionEnvelope, encodeTransactionPayload, encodeTxIdFromVoucher } from '@onflow/sdk';
import { applyFault, type HttpFault, parseJson, readBody, sendJson } from './http-fake';

/**
 * A fake Flow Access API (REST, https://developers.flow.com/http-api) on 127.0.0.1 that checks
 * transactions as a real network would, independently of the product code: the REST body becomes an
 * @onflow/sdk voucher, whose payload / envelope encodings (domain tag included) are hashed per key
 * (SHA3-256 or SHA2-256) and verified with @noble/curves (high-s accepted, as on Flow).
 *
 *   GET  /v1/blocks?height=final|sealed      the current block (advanceBlocks moves it; the last
 *                                            600 ids are valid reference blocks)
 *   GET  /v1/accounts/{address}              balance and keys (any query), 404 when unknown
 *   POST /v1/transactions                    400 {code, message} unless well formed, signed and
 *                                            authorized; then the proposal key's sequence number += 1
 *   GET  /v1/transactions/{id}               the accepted transaction
 *   GET  /v1/transaction_results/{id}        `sealAfterPolls` Pending answers, then Sealed (or the
 *                                            failure / expiry scripted by failNextExecution / expireNext)
 *
 * Faults are scripted as in FakeTatumApi: `failNext(/\/v1\/transactions$/, '500')`.
 */
export class FakeFlowAccessNode {
  /** Every request, in arrival order (faulted ones included). */
  readonly requests: FlowRecordedRequest[] = [];
  /** Accepted transactions: their id and the POST body as received. */
  readonly submitted: Array<{ id: string; body: FlowRestTransaction }> = [];
  /** Pending answers of GET /v1/transaction_results/{id} before the final one (Infinity: never final). */
  sealAfterPolls = 1;

  private readonly accounts = new Map<string, Required<FakeFlowKey>[]>();
  private readonly blocks: Array<{ id: string; parentId: string; height: number; timestamp: string }> = [];
  private readonly results = new Map<string, TxState>();
  private nextFate: Fate = { kind: 'success' };
  private faults: Array<{ matcher: FlowMatcher; fault: FlowFault; remaining: number }> = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {
    this.blocks.push({ id: randomHex(32), parentId: randomHex(32), height: 1000, timestamp: now() });
  }

  static async start(): Promise<FakeFlowAccessNode> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const node = new FakeFlowAccessNode(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('connection', (socket) => {
      node.sockets.add(socket);
      socket.once('close', () => node.sockets.delete(socket));
    });
    server.on('request', (req, res) => {
      node.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { code: 500, message: String(error) });
      });
    });
    return node;
  }

  /** Stops listening and destroys every connection, hanging ones included. */
  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  /** The 128-hex public key (uncompressed secp256k1, without 04) of a 64-hex private key. */
  static publicKeyOf(privateKeyHex: string): string {
    return bytesToHex(secp256k1.getPublicKey(hexToBytes(strip0x(privateKeyHex)), false).slice(1));
  }

  /** Creates (or replaces) an account; a key's index is its position in `keys`. */
  addAccount(address: string, keys: FakeFlowKey[]): void {
    this.accounts.set(
      addressOrThrow(address),
      keys.map((key) => {
        const publicKey = strip0x(key.publicKey)
          .toLowerCase()
          .replace(/^04(?=[0-9a-f]{128}$)/, '');
        if (!/^[0-9a-f]{128}$/.test(publicKey)) throw new Error(`bad public key ${key.publicKey}`);
        return {
          publicKey,
          hashAlgorithm: key.hashAlgorithm ?? 'SHA3_256',
          weight: key.weight ?? 1000,
          sequenceNumber: key.sequenceNumber ?? 0,
          revoked: key.revoked ?? false,
        };
      }),
    );
  }

  sequenceNumber(address: string, keyIndex: number): number {
    const key = this.accounts.get(addressOrThrow(address))?.[keyIndex];
    if (!key) throw new Error(`no key ${keyIndex} on ${address}`);
    return key.sequenceNumber;
  }

  /** The id of the current (final and sealed) block. */
  get latestBlockId(): string {
    return this.blocks[this.blocks.length - 1].id;
  }

  /** Adds `n` blocks; only the last 600 ids stay valid reference blocks. */
  advanceBlocks(n = 1): void {
    for (let i = 0; i < n; i++) {
      const parent = this.blocks[this.blocks.length - 1];
      this.blocks.push({
        id: randomHex(32),
        parentId: parent.id,
        height: parent.height + 1,
        timestamp: now(),
      });
    }
    this.blocks.splice(0, Math.max(0, this.blocks.length - 600));
  }

  /** The next accepted transaction ends Sealed with status_code 1 and this error_message. */
  failNextExecution(errorMessage: string): void {
    this.nextFate = { kind: 'failure', errorMessage };
  }

  /** The next accepted transaction ends Expired. */
  expireNext(): void {
    this.nextFate = { kind: 'expired' };
  }

  /** The next `times` matching requests get `fault` instead of their answer (Infinity: all of them). */
  failNext(matcher: FlowMatcher, fault: FlowFault, times = 1): void {
    this.faults.push({ matcher, fault, remaining: times });
  }

  clearFaults(): void {
    this.faults = [];
  }

  // --- serving ----------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req).catch(() => undefined);
    if (raw === undefined) return;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const request: FlowRecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: parseJson(raw),
      at: Date.now(),
    };
    this.requests.push(request);
    const rule = this.faults.find((r) => r.remaining > 0 && matches(r.matcher, request));
    if (rule) {
      rule.remaining--;
      return applyFault(rule.fault, req, res, (r) => sendError(r, 500, 'Injected fault'));
    }
    if (raw !== '' && request.body === undefined) return sendError(res, 400, 'invalid JSON body');
    const answer = this.answer(request);
    sendJson(res, answer.status, answer.body);
  }

  private answer({ method, path, query, body }: FlowRecordedRequest): Answer {
    let match: RegExpExecArray | null;
    if (method === 'GET' && path === '/v1/blocks') {
      if (query.height !== 'final' && query.height !== 'sealed')
        return error(400, 'this fake serves only height=final or height=sealed');
      const block = this.blocks[this.blocks.length - 1];
      const header = {
        id: block.id,
        parent_id: block.parentId,
        height: String(block.height),
        timestamp: block.timestamp,
      };
      return { status: 200, body: [{ header, _expandable: {} }] };
    }
    if (method === 'GET' && (match = /^\/v1\/accounts\/([^/]+)$/.exec(path))) {
      const address = parseAddress(match[1]);
      const keys = address && this.accounts.get(address);
      if (!keys) return error(404, `account ${match[1]} not found`);
      return {
        status: 200,
        body: { address, balance: '100000000', keys: keys.map(restKey), _expandable: {} },
      };
    }
    if (method === 'POST' && path === '/v1/transactions') return this.submit(body);
    if (method === 'GET' && (match = /^\/v1\/transactions\/([0-9a-fA-F]{64})$/.exec(path))) {
      const state = this.results.get(match[1].toLowerCase());
      return state ? { status: 200, body: state.answer } : error(404, 'transaction not found');
    }
    if (method === 'GET' && (match = /^\/v1\/transaction_results\/([^/]+)$/.exec(path))) {
      const state = this.results.get(match[1].toLowerCase());
      return state ? { status: 200, body: this.poll(state) } : error(404, 'transaction not found');
    }
    return error(404, `Cannot ${method} ${path}`);
  }

  private poll(state: TxState): unknown {
    const done = state.done || ++state.polls > this.sealAfterPolls;
    state.done = done;
    const { kind } = state.fate;
    const result = (status: string, execution: string, statusCode: number, errorMessage: string) => ({
      block_id: state.blockId,
      collection_id: state.collectionId,
      execution,
      status,
      status_code: statusCode,
      error_message: errorMessage,
      computation_used: execution === 'Pending' ? '0' : '10',
      events: [],
      _links: {},
    });
    if (!done) return result('Pending', 'Pending', 0, '');
    if (kind === 'expired') return result('Expired', 'Pending', 0, '');
    if (state.fate.kind === 'failure') return result('Sealed', 'Failure', 1, state.fate.errorMessage);
    return result('Sealed', 'Success', 0, '');
  }

  private submit(body: unknown): Answer {
    let checked: { id: string; proposer: Required<FakeFlowKey> };
    try {
      checked = this.check(body);
    } catch (e) {
      if (e instanceof Rejection) return error(400, e.message);
      throw e;
    }
    if (this.results.has(checked.id)) return error(400, `transaction ${checked.id} already submitted`);
    checked.proposer.sequenceNumber++;
    const answer = { ...(body as object), id: checked.id, _expandable: {}, _links: {} };
    this.submitted.push({ id: checked.id, body: body as FlowRestTransaction });
    const blockId = this.latestBlockId;
    this.results.set(checked.id, {
      polls: 0,
      done: false,
      fate: this.nextFate,
      blockId,
      collectionId: randomHex(32),
      answer,
    });
    this.nextFate = { kind: 'success' };
    return { status: 200, body: answer };
  }

  /** Checks a POST /v1/transactions body as a Flow network would; throws Rejection. */
  private check(body: unknown): { id: string; proposer: Required<FakeFlowKey> } {
    const tx = object(body, 'body');
    const script = base64(tx.script, 'script');
    const cadence = Buffer.from(script).toString('utf8');
    if (!Buffer.from(cadence, 'utf8').equals(script)) reject('script is not valid UTF-8');
    const args = array(tx.arguments, 'arguments').map((arg, i) => {
      const text = Buffer.from(base64(arg, `arguments[${i}]`)).toString('utf8');
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        reject(`arguments[${i}] is not JSON-Cadence`);
      }
      // The SDK encodes arguments with JSON.stringify: other byte forms cannot be verified here.
      if (JSON.stringify(value) !== text) reject(`arguments[${i}] is not compact JSON (this fake needs it)`);
      return value as { type: string; value: string };
    });
    const refBlock = string(tx.reference_block_id, 'reference_block_id').toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(refBlock)) reject('reference_block_id must be 64 hex digits');
    const computeLimit = uint(tx.gas_limit, 'gas_limit');
    if (computeLimit < 1 || computeLimit > 9999) reject('gas_limit must be between 1 and 9999');
    const payer = address(tx.payer, 'payer');
    const pk = object(tx.proposal_key, 'proposal_key');
    const proposalKey = {
      address: address(pk.address, 'proposal_key.address'),
      keyId: uint(pk.key_index, 'proposal_key.key_index'),
      sequenceNum: uint(pk.sequence_number, 'proposal_key.sequence_number'),
    };
    const authorizers = array(tx.authorizers, 'authorizers').map((a, i) => address(a, `authorizers[${i}]`));
    const sigs = (field: string, value: unknown) =>
      array(value, field).map((raw, i) => {
        const sig = object(raw, `${field}[${i}]`);
        const bytes = base64(sig.signature, `${field}[${i}].signature`);
        if (bytes.length !== 64) reject(`${field}[${i}].signature must be 64 bytes (r||s)`);
        return {
          address: address(sig.address, `${field}[${i}].address`),
          keyId: uint(sig.key_index, `${field}[${i}].key_index`),
          sig: bytesToHex(bytes),
        };
      });
    const payloadSigs = sigs('payload_signatures', tx.payload_signatures);
    const envelopeSigs = sigs('envelope_signatures', tx.envelope_signatures);

    if (!this.blocks.some((block) => block.id === refBlock))
      reject(`reference block ${refBlock} is unknown or expired`);
    const account = (addr: string, role: string) =>
      this.accounts.get(addr) ?? reject(`${role} account ${addr} does not exist`);
    account(proposalKey.address, 'proposer');
    account(payer, 'payer');
    authorizers.forEach((a) => account(a, 'authorizer'));
    const signers = new Set([proposalKey.address, payer, ...authorizers]);
    for (const sig of [...payloadSigs, ...envelopeSigs]) {
      account(sig.address, 'signer');
      if (!signers.has(sig.address)) reject(`${sig.address} signed but is not proposer, payer or authorizer`);
    }
    const proposer = this.accounts.get(proposalKey.address)![proposalKey.keyId];
    if (!proposer) reject(`proposal key ${proposalKey.keyId} of ${proposalKey.address} does not exist`);
    if (proposer.revoked) reject(`proposal key ${proposalKey.keyId} of ${proposalKey.address} is revoked`);
    if (proposer.sequenceNumber !== proposalKey.sequenceNum)
      reject(
        `invalid proposal key: ${proposalKey.address} key ${proposalKey.keyId} has sequence number ` +
          `${proposer.sequenceNumber}, got ${proposalKey.sequenceNum}`,
      );

    const voucher = {
      cadence,
      refBlock,
      computeLimit,
      arguments: args,
      proposalKey,
      payer,
      authorizers,
      payloadSigs,
      envelopeSigs,
    };
    const seen = new Set<string>();
    const weights = (kind: 'payload' | 'envelope', list: typeof payloadSigs) => {
      const message = hexToBytes(
        kind === 'payload' ? encodeTransactionPayload(voucher) : encodeTransactionEnvelope(voucher),
      );
      const total = new Map<string, number>();
      for (const { address: addr, keyId, sig } of list) {
        const who = `${addr} key ${keyId}`;
        if (seen.has(`${addr}/${keyId}`)) reject(`duplicate signature by ${who}`);
        seen.add(`${addr}/${keyId}`);
        const key = this.accounts.get(addr)![keyId] ?? reject(`${kind} signature by ${who}: no such key`);
        if (key.revoked) reject(`${kind} signature by ${who}: the key is revoked`);
        const digest = key.hashAlgorithm === 'SHA2_256' ? sha256(message) : sha3_256(message);
        if (!verify(sig, digest, key.publicKey)) reject(`invalid ${kind} signature by ${who}`);
        total.set(addr, (total.get(addr) ?? 0) + key.weight);
      }
      return total;
    };
    const payloadWeights = weights('payload', payloadSigs);
    const envelopeWeights = weights('envelope', envelopeSigs);
    for (const authorizer of authorizers) {
      if (authorizer !== payer && (payloadWeights.get(authorizer) ?? 0) < 1000)
        reject(`authorizer ${authorizer} lacks payload signatures of total weight 1000`);
    }
    if ((envelopeWeights.get(payer) ?? 0) < 1000)
      reject(`payer ${payer} lacks envelope signatures of total weight 1000`);
    const byProposalKey = (sig: { address: string; keyId: number }) =>
      sig.address === proposalKey.address && sig.keyId === proposalKey.keyId;
    if (!payloadSigs.some(byProposalKey) && !envelopeSigs.some(byProposalKey))
      reject(
        `the proposal key (${proposalKey.address} key ${proposalKey.keyId}) signed neither payload nor envelope`,
      );
    return { id: encodeTxIdFromVoucher(voucher), proposer };
  }
}

export interface FakeFlowKey {
  /** 128 hex: uncompressed secp256k1 without the 04 prefix. */
  publicKey: string;
  hashAlgorithm?: 'SHA3_256' | 'SHA2_256';
  weight?: number;
  sequenceNumber?: number;
  revoked?: boolean;
}

/** A POST /v1/transactions body (as received: it may carry more fields). */
export interface FlowRestTransaction {
  /** base64 */
  script: string;
  /** base64 of each argument's JSON-Cadence */
  arguments: string[];
  reference_block_id: string;
  gas_limit: string;
  payer: string;
  proposal_key: { address: string; key_index: string; sequence_number: string };
  authorizers: string[];
  payload_signatures: FlowRestSignature[];
  envelope_signatures: FlowRestSignature[];
  [field: string]: unknown;
}

/** signature: base64 of r||s (64 bytes). */
export interface FlowRestSignature {
  address: string;
  key_index: string;
  signature: string;
}

export interface FlowRecordedRequest {
  method: string;
  /** Without the query string. */
  path: string;
  /** The query parameters, e.g. { height: 'final' }. */
  query: Record<string, string>;
  /** The parsed JSON body; undefined when empty or not JSON. */
  body: unknown;
  at: number;
}

/** A RegExp tested against the path, or a predicate on the recorded request. */
export type FlowMatcher = RegExp | ((request: FlowRecordedRequest) => boolean);

/** As FakeTatumApi's Fault: '500', 'hang' (until stop()), 'close', 'malformed-json' or any answer. */
export type FlowFault = HttpFault;

type Fate = { kind: 'success' } | { kind: 'expired' } | { kind: 'failure'; errorMessage: string };
type TxState = {
  polls: number;
  done: boolean;
  fate: Fate;
  blockId: string;
  collectionId: string;
  answer: unknown;
};
type Answer = { status: number; body: unknown };

class Rejection extends Error {}

function reject(message: string): never {
  throw new Rejection(message);
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    reject(`${field} must be an object`);
  return value as Record<string, unknown>;
}

function array(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) reject(`${field} must be an array`);
  return value;
}

function string(value: unknown, field: string): string {
  if (typeof value !== 'string') reject(`${field} must be a string`);
  return value;
}

/** A uint64 as the REST API writes it: a decimal string. */
function uint(value: unknown, field: string): number {
  if (typeof value !== 'string' || !/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
    reject(`${field} must be a decimal string`);
  return Number(value);
}

function base64(value: unknown, field: string): Buffer {
  const bytes = Buffer.from(string(value, field), 'base64');
  if (bytes.toString('base64') !== value) reject(`${field} must be base64`);
  return bytes;
}

function address(value: unknown, field: string): string {
  return parseAddress(string(value, field)) ?? reject(`${field} must be 16 hex digits`);
}

function parseAddress(value: string): string | undefined {
  return /^(0x)?[0-9a-fA-F]{16}$/.test(value) ? strip0x(value).toLowerCase() : undefined;
}

function addressOrThrow(value: string): string {
  const parsed = parseAddress(value);
  if (!parsed) throw new Error(`bad Flow address ${value}`);
  return parsed;
}

function verify(sigHex: string, digest: Uint8Array, publicKey: string): boolean {
  try {
    return secp256k1.verify(hexToBytes(sigHex), digest, hexToBytes(`04${publicKey}`), {
      lowS: false,
      prehash: false,
      format: 'compact',
    });
  } catch {
    return false;
  }
}

function restKey(key: Required<FakeFlowKey>, index: number): unknown {
  return {
    index: String(index),
    public_key: `0x${key.publicKey}`,
    signing_algorithm: 'ECDSA_secp256k1',
    hashing_algorithm: key.hashAlgorithm,
    sequence_number: String(key.sequenceNumber),
    weight: String(key.weight),
    revoked: key.revoked,
  };
}

function strip0x(hex: string): string {
  return hex.startsWith('0x') ? hex.slice(2) : hex;
}

function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

function now(): string {
  return new Date().toISOString();
}

function error(status: number, message: string): Answer {
  return { status, body: { code: status, message } };
}

function matches(matcher: FlowMatcher, request: FlowRecordedRequest): boolean {
  return matcher instanceof RegExp ? matcher.test(request.path) : matcher(request);
}

function sendError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { code: status, message });
}
