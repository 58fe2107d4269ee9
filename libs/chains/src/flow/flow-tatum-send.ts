import { setTimeout as sleep } from 'node:timers/promises';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import type { ResubmitRequest, SignRequest } from '../chain-signer.port';
import { InvalidTransactionError } from '../chains.errors';
import { type OnChainFlowKey, FlowAccessNode } from './flow-access';
import { flowPublicKeyHex, parseFlowPrivateKey } from './flow-keys';
import { flowNetworkOf, type FlowSigningNetwork } from './flow-network';
import {
  type FlowHashAlgorithm,
  type FlowRestTransaction,
  type FlowSignature,
  type FlowTransaction,
  toRestTransaction,
} from './flow-pending-tx';
import { TATUM_FLOW_GAS_LIMIT, type FlowTemplateTransaction } from './flow-tatum-pending';
import {
  canonicalOrder,
  flowDigest,
  flowEnvelopeMessage,
  flowPayloadMessage,
  flowTransactionId,
} from './flow-transaction';
import { FlowAccountKeyError, FlowSubmissionError } from './flow.errors';

export interface FlowSealOptions {
  /** How long to wait for a submitted transaction to be sealed. */
  timeoutMs: number;
  /** Pause between two result requests while waiting. */
  pollIntervalMs: number;
}

/** A transaction submitted for a pending id and not yet seen sealed. */
interface Submission {
  txId: string;
  at: number;
}

/**
 * A transaction whose reference block is older than 600 blocks (about 10 minutes) can never be
 * included; past this age an earlier submission the node does not know is safely forgotten.
 */
const FORGET_UNKNOWN_AFTER_MS = 15 * 60_000;

/** A key that signs one role: ours (local) or one of Tatum's (through /v3/flow/sign). */
interface RoleKey {
  address: string;
  keyIndex: bigint;
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/**
 * Sends Tatum FLOW transactions the way Tatum's SDK does (`flowSignKMSTransaction`), remembering per
 * pending id what it submitted, so a transaction that was not seen sealed is never sent twice by
 * this process.
 */
export class FlowTatumSender {
  private readonly submissions = new Map<string, Submission>();

  constructor(private readonly seal: FlowSealOptions) {}

  /**
   * Builds `template` with Tatum's proposal key (`GET /v3/flow/proposal/false`) and payer
   * (`.../true`), signs it as the authorizer with `request.keys[0]` (the account key that is this
   * wallet's key; Tatum's SDK assumed index 0), lets Tatum sign the proposal and the envelope
   * (`POST /v3/flow/sign`), submits it to the access node, waits until it is sealed and gives the
   * proposal key back (`POST /v3/flow/broadcast {txData, proposalKey}`) whatever happened after Tatum
   * lent it. Returns the transaction id: the txData tatum-kms hands to /v3/flow/broadcast.
   * Throws InvalidTransactionError, FlowAccountKeyError, FlowSubmissionError or what the network raised.
   */
  async send(template: FlowTemplateTransaction, request: SignRequest): Promise<string> {
    if (request.keys.length === 0) {
      throw new InvalidTransactionError('FLOW', 'no private key was resolved to sign it');
    }
    const flow = flowNetworkOf(request.network);
    const node = new FlowAccessNode(flow, request.testnet);
    const earlier = request.pendingId === undefined ? undefined : this.submissions.get(request.pendingId);
    if (earlier) {
      const settled = await this.settleEarlier(node, request.pendingId!, earlier);
      if (settled !== undefined) return settled;
    }
    const privateKey = parseFlowPrivateKey(request.keys[0]);
    try {
      const authorizer = await authorizerKey(node, template.account, privateKey);
      const referenceBlockId = await node.finalBlockId();
      const proposer = tatumKey(await flow.flowTatumKey(false), 'proposal');
      let submittedId = '';
      try {
        const payer = tatumKey(await flow.flowTatumKey(true), 'payer');
        const tx = await signed(
          unsigned(
            template,
            referenceBlockId,
            proposer.address,
            proposer.keyIndex,
            await sequenceOf(node, proposer),
            payer.address,
          ),
          {
            authorizer: localKey(template.account, authorizer, privateKey),
            proposer: tatumSigner(flow, proposer, false),
            payer: tatumSigner(flow, payer, true),
          },
        );
        const txId = flowTransactionId(tx);
        // Recorded (the daemon's journal) before it can reach the chain: a restart resends these bytes.
        const recorded: RecordedFlowTransaction = {
          body: toRestTransaction(tx),
          txId,
          proposalKeyIndex: Number(proposer.keyIndex),
        };
        await request.beforeSubmit?.({ signedTx: JSON.stringify(recorded), txId });
        await this.submit(node, tx, txId, request.pendingId);
        submittedId = txId;
        try {
          await this.waitSealed(node, txId);
        } catch (error) {
          // FAILED and EXPIRED are final: the next attempt builds a new one. TIMEOUT stays remembered.
          if (error instanceof FlowSubmissionError && error.failure !== 'TIMEOUT')
            this.forget(request.pendingId);
          throw error;
        }
        this.forget(request.pendingId);
        return txId;
      } finally {
        // As Tatum's SDK: the proposal key goes back whatever happened, and a failed release is
        // ignored: it is not the transaction's failure.
        await flow.flowReleaseProposalKey(submittedId, Number(proposer.keyIndex)).catch(() => undefined);
      }
    } finally {
      privateKey.fill(0);
    }
  }

  /**
   * A transaction recorded through beforeSubmit (see ChainSigner.resubmit): its id once sealed; sent
   * again with the same body while the access node does not know it; FAILED, EXPIRED (never signed
   * again) or TIMEOUT otherwise. The proposal key Tatum lent for it is given back once it settles.
   */
  async resubmit(signedTx: string, request: ResubmitRequest): Promise<string> {
    const recorded = parseRecorded(signedTx);
    const flow = flowNetworkOf(request.network);
    const node = new FlowAccessNode(flow, request.testnet);
    const result = await node.result(recorded.txId).catch(() => undefined);
    if (result?.errorMessage && (result.status === 'Executed' || result.status === 'Sealed')) {
      throw new FlowSubmissionError(
        'FAILED',
        recorded.txId,
        `failed on chain: ${result.errorMessage.slice(0, 300)}`,
      );
    }
    if (result?.status === 'Sealed') return recorded.txId;
    if (result?.status === 'Expired') {
      throw new FlowSubmissionError(
        'EXPIRED',
        recorded.txId,
        'the transaction recorded for this pending transaction expired before a block took it; it is never signed again, so the pending transaction needs an operator',
      );
    }
    try {
      if (result === undefined || result.status === 'Unknown') {
        const answeredId = await node.submit(recorded.body);
        if (answeredId !== recorded.txId) {
          throw new FlowSubmissionError(
            'NODE_ANSWER',
            answeredId,
            `the access node computed another id than ${recorded.txId}`,
          );
        }
      }
      await this.waitSealed(node, recorded.txId);
      return recorded.txId;
    } finally {
      await flow.flowReleaseProposalKey(recorded.txId, recorded.proposalKeyIndex).catch(() => undefined);
    }
  }

  private forget(pendingId: string | undefined): void {
    if (pendingId !== undefined) this.submissions.delete(pendingId);
  }

  private async submit(
    node: FlowAccessNode,
    tx: FlowTransaction,
    txId: string,
    pendingId?: string,
  ): Promise<void> {
    const remember = (id: string) => {
      if (pendingId !== undefined) this.submissions.set(pendingId, { txId: id, at: Date.now() });
    };
    let answeredId: string;
    try {
      answeredId = await node.submit(toRestTransaction(tx));
    } catch (error) {
      // Only a refusal (4xx) is sure not to have taken it; no answer, a 5xx or an odd answer may
      // hide a transaction that lands, so it is remembered and no second one is sent meanwhile.
      if (!(error instanceof FlowSubmissionError && error.failure === 'REJECTED')) remember(txId);
      throw error;
    }
    remember(answeredId);
    if (answeredId !== txId) {
      throw new FlowSubmissionError(
        'NODE_ANSWER',
        answeredId,
        `the access node computed another id than ${txId}`,
      );
    }
  }

  /** Resolves when sealed without error; FAILED, EXPIRED or TIMEOUT otherwise. */
  private async waitSealed(node: FlowAccessNode, txId: string): Promise<void> {
    const deadline = Date.now() + this.seal.timeoutMs;
    for (;;) {
      const result = await node.result(txId).catch(() => undefined);
      if (result?.errorMessage && (result.status === 'Executed' || result.status === 'Sealed')) {
        throw new FlowSubmissionError(
          'FAILED',
          txId,
          `failed on chain: ${result.errorMessage.slice(0, 300)}`,
        );
      }
      if (result?.status === 'Sealed') return;
      if (result?.status === 'Expired') {
        throw new FlowSubmissionError('EXPIRED', txId, 'it expired before a block took it; it never will');
      }
      if (Date.now() >= deadline) {
        throw new FlowSubmissionError(
          'TIMEOUT',
          txId,
          `not sealed within ${Math.round(this.seal.timeoutMs / 1000)} s; it may still be, and is checked before any new attempt`,
        );
      }
      await sleep(this.seal.pollIntervalMs);
    }
  }

  /**
   * An earlier submission for the same pending id: its txId when it is now sealed; undefined when a
   * new attempt is safe (it expired, or is unknown long past expiry); FAILED or TIMEOUT otherwise.
   */
  private async settleEarlier(
    node: FlowAccessNode,
    pendingId: string,
    earlier: Submission,
  ): Promise<string | undefined> {
    const result = await node.result(earlier.txId);
    const forget = () => this.forget(pendingId);
    if (result?.errorMessage && (result.status === 'Executed' || result.status === 'Sealed')) {
      forget();
      throw new FlowSubmissionError(
        'FAILED',
        earlier.txId,
        `failed on chain: ${result.errorMessage.slice(0, 300)}`,
      );
    }
    if (result?.status === 'Sealed') {
      forget();
      return earlier.txId;
    }
    const unknown = result === undefined || result.status === 'Unknown';
    if (result?.status === 'Expired' || (unknown && Date.now() - earlier.at > FORGET_UNKNOWN_AFTER_MS)) {
      forget();
      return undefined;
    }
    throw new FlowSubmissionError(
      'TIMEOUT',
      earlier.txId,
      `submitted earlier for this pending transaction and not sealed yet (${result?.status ?? 'unknown to the access node'}); no second one is sent`,
    );
  }
}

/** What FlowTatumSender hands to beforeSubmit: the signed REST body, its id and the lent proposal key. */
interface RecordedFlowTransaction {
  body: FlowRestTransaction;
  txId: string;
  proposalKeyIndex: number;
}

function parseRecorded(signedTx: string): RecordedFlowTransaction {
  let recorded: Partial<RecordedFlowTransaction> | null = null;
  try {
    recorded = JSON.parse(signedTx) as Partial<RecordedFlowTransaction>;
  } catch {
    // told below
  }
  if (
    typeof recorded?.body !== 'object' ||
    recorded.body === null ||
    typeof recorded.txId !== 'string' ||
    !/^[0-9a-f]{64}$/.test(recorded.txId) ||
    !Number.isSafeInteger(recorded.proposalKeyIndex)
  ) {
    throw new FlowSubmissionError(
      'NODE_ANSWER',
      undefined,
      'the recorded transaction is not a FLOW transaction',
    );
  }
  return recorded as RecordedFlowTransaction;
}

/**
 * The account key that is this wallet's key: active, ECDSA secp256k1, SHA3-256 or SHA2-256, with
 * weight 1000 (full authority). FlowAccountKeyError when the account has none.
 */
async function authorizerKey(
  node: FlowAccessNode,
  account: string,
  privateKey: Uint8Array,
): Promise<OnChainFlowKey> {
  const keys = await node.accountKeys(account);
  if (keys === undefined)
    throw new FlowAccountKeyError(account, 'the access node does not know this account');
  const publicKey = flowPublicKeyHex(secp256k1.getPublicKey(privateKey, false));
  const ours = keys.filter(
    (key) =>
      !key.revoked &&
      key.publicKey === publicKey &&
      key.signingAlgorithm === 'ECDSA_secp256k1' &&
      (key.hashAlgorithm === 'SHA3_256' || key.hashAlgorithm === 'SHA2_256'),
  );
  const full = ours.find((key) => key.weight >= 1000);
  if (full) return full;
  throw new FlowAccountKeyError(
    account,
    ours.length > 0
      ? "this wallet's key has a weight below 1000 on it, too little to authorize alone"
      : "none of its active ECDSA_secp256k1 keys is this wallet's key",
  );
}

async function sequenceOf(
  node: FlowAccessNode,
  proposer: { address: string; keyIndex: bigint },
): Promise<bigint> {
  const key = (await node.accountKeys(proposer.address))?.find((k) => BigInt(k.index) === proposer.keyIndex);
  if (!key) {
    throw new FlowSubmissionError(
      'NODE_ANSWER',
      undefined,
      `Tatum's proposal key 0x${proposer.address}/${proposer.keyIndex} is not on chain`,
    );
  }
  return key.sequenceNumber;
}

function unsigned(
  template: FlowTemplateTransaction,
  referenceBlockId: Uint8Array,
  proposerAddress: string,
  proposerKeyIndex: bigint,
  sequenceNumber: bigint,
  payer: string,
): FlowTransaction {
  return {
    script: new TextEncoder().encode(template.script),
    arguments: template.arguments.map((arg) => new TextEncoder().encode(JSON.stringify(arg))),
    referenceBlockId,
    gasLimit: TATUM_FLOW_GAS_LIMIT,
    proposalKey: { address: proposerAddress, keyIndex: proposerKeyIndex, sequenceNumber },
    payer,
    authorizers: [template.account],
    payloadSignatures: [],
    envelopeSignatures: [],
  };
}

/**
 * Signs as fcl does: every distinct (address, key) among proposer and authorizer, except the payer's,
 * signs the payload; then the payer signs the envelope. Where roles share a key, the authorizer's
 * (ours) signs before Tatum's payer, and the payer before the proposer.
 */
async function signed(
  tx: FlowTransaction,
  roles: { authorizer: RoleKey; proposer: RoleKey; payer: RoleKey },
): Promise<FlowTransaction> {
  const id = (key: RoleKey) => `${key.address}-${key.keyIndex}`;
  const signerOf = (key: RoleKey): RoleKey =>
    [roles.authorizer, roles.payer, roles.proposer].find((candidate) => id(candidate) === id(key))!;
  const inside = [roles.proposer, roles.authorizer].filter(
    (key, i, all) => id(key) !== id(roles.payer) && all.findIndex((k) => id(k) === id(key)) === i,
  );
  const payloadMessage = flowPayloadMessage(tx);
  const payloadSignatures: FlowSignature[] = await Promise.all(
    inside.map(async (key) => ({
      address: key.address,
      keyIndex: key.keyIndex,
      signature: await signerOf(key).sign(payloadMessage),
    })),
  );
  const withPayload = { ...tx, payloadSignatures: canonicalOrder(tx, payloadSignatures) };
  const payer = signerOf(roles.payer);
  const envelope = await payer.sign(flowEnvelopeMessage(withPayload));
  return {
    ...withPayload,
    envelopeSignatures: [
      { address: roles.payer.address, keyIndex: roles.payer.keyIndex, signature: envelope },
    ],
  };
}

function localKey(account: string, key: OnChainFlowKey, privateKey: Uint8Array): RoleKey {
  const hash = key.hashAlgorithm as FlowHashAlgorithm;
  return {
    address: account,
    keyIndex: BigInt(key.index),
    sign: async (message) => secp256k1.sign(flowDigest(message, hash), privateKey, { prehash: false }),
  };
}

function tatumSigner(
  flow: FlowSigningNetwork,
  key: { address: string; keyIndex: bigint },
  isPayer: boolean,
): RoleKey {
  return {
    ...key,
    sign: async (message) => {
      const answer = (await flow.flowTatumSign(bytesToHex(message), isPayer)) as {
        signature?: unknown;
      } | null;
      const signature = typeof answer?.signature === 'string' ? answer.signature.replace(/^0x/i, '') : '';
      if (!/^[0-9a-f]{128}$/i.test(signature)) {
        throw new FlowSubmissionError(
          'NODE_ANSWER',
          undefined,
          'Tatum answered /v3/flow/sign without a 64-byte signature',
        );
      }
      return hexToBytes(signature.toLowerCase());
    },
  };
}

/** `{address, keyId}` of GET /v3/flow/proposal/{isPayer}. */
function tatumKey(answer: unknown, role: 'proposal' | 'payer'): { address: string; keyIndex: bigint } {
  const { address, keyId } = (answer ?? {}) as { address?: unknown; keyId?: unknown };
  const keyIndex = typeof keyId === 'string' && /^\d{1,10}$/.test(keyId) ? Number(keyId) : keyId;
  if (
    typeof address !== 'string' ||
    !/^(?:0x)?[0-9a-f]{16}$/i.test(address) ||
    !Number.isSafeInteger(keyIndex) ||
    (keyIndex as number) < 0
  ) {
    throw new FlowSubmissionError(
      'NODE_ANSWER',
      undefined,
      `Tatum answered /v3/flow/proposal without a usable ${role} key`,
    );
  }
  return { address: address.replace(/^0x/i, '').toLowerCase(), keyIndex: BigInt(keyIndex as number) };
}
