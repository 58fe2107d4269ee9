import { base58 } from '@scure/base';
import type * as SolanaWeb3 from '@solana/web3.js';
import type {
  DescribeRequest,
  SummaryAmount,
  TransactionKind,
  TransactionSummary,
} from '../chain-signer.port';
import { amount } from '../transaction-summary';
import { parseSolanaPending } from './solana-transaction';

/** lamports: 10^-9 SOL. */
const SOL_DECIMALS = 9;

const SYSTEM_PROGRAM = '11111111111111111111111111111111';
const TOKEN_PROGRAMS = new Set([
  'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA',
  'TokenzQdBNbLqP5VEhdkAS6EPFLC1PMSBkesDJU9dPeeq',
]);
const ASSOCIATED_TOKEN_PROGRAM = 'ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL';
const MEMO_PROGRAMS = new Set([
  'MemoSq4gqABAXKb96qo1hKgqcWwTn2BzPrrSMFi3HPR',
  'Memo1UhkJRfHyvLMcVeY3avLHFknxx3Bu5hTUz5HSs',
]);
const COMPUTE_BUDGET_PROGRAM = 'ComputeBudget111111111111111111111111111111';

/** One instruction with its program and accounts as base58 and its data as bytes. */
interface Instruction {
  readonly program: string;
  readonly accounts: readonly string[];
  readonly data: Uint8Array;
}

/** How much each kind weighs when instructions of several kinds are mixed (the highest wins). */
const KIND_RANK: Record<TransactionKind, number> = {
  transfer: 0,
  'token-transfer': 1,
  approve: 2,
  'contract-call': 3,
  unknown: 4,
};

/**
 * What a SOL pending transaction signs, from parseSolanaPending (the message the signer signs, with
 * only the blockhash replaced). Per instruction: System Transfer, TransferWithSeed and CreateAccount
 * (lamports to the account); SPL Token (and Token-2022) Transfer, TransferChecked, Approve and
 * ApproveChecked. The recipient of a token transfer is the destination token account; when the same
 * transaction creates that account as an associated token account, its owner is the recipient and
 * its mint the asset. A Transfer names no mint: the asset is then `SPL`, noted. Memo and compute
 * budget instructions change nothing described; any other program makes it a contract call
 * (`contract` the program, `data` its instruction data in hex). `from` is the fee payer and the
 * accounts value leaves; the fee depends on the network (not in the payload).
 */
export async function describeSolanaTransaction(request: DescribeRequest): Promise<TransactionSummary> {
  const { message } = await parseSolanaPending(request.serializedTransaction);
  const instructions = message.instructions.map((ix) => instructionOf(message, ix));
  const feePayer = message.accountKeys[0].toBase58();
  // associated token accounts created here: token account -> its owner and mint
  const created = new Map<string, { owner: string; mint: string }>();
  for (const ix of instructions) {
    if (ix.program === ASSOCIATED_TOKEN_PROGRAM && ix.data.length <= 1 && ix.accounts.length >= 4) {
      created.set(ix.accounts[1], { owner: ix.accounts[2], mint: ix.accounts[3] });
    }
  }

  let kind: TransactionKind = 'transfer';
  const raise = (next: TransactionKind) => {
    if (KIND_RANK[next] > KIND_RANK[kind]) kind = next;
  };
  const from = [feePayer];
  const to: string[] = [];
  const amounts: SummaryAmount[] = [];
  const notes = new Set<string>();
  const calls: Instruction[] = [];
  const pay = (source: string, recipient: string, value: SummaryAmount) => {
    if (!from.includes(source)) from.push(source);
    to.push(recipient);
    amounts.push(value);
  };

  for (const ix of instructions) {
    if (ix.program === SYSTEM_PROGRAM) {
      const system = systemTransfer(ix);
      if (system) pay(system.from, system.to, amount('SOL', system.lamports, SOL_DECIMALS));
      else {
        raise('unknown');
        notes.add('a System program instruction other than a transfer: not decoded');
      }
    } else if (TOKEN_PROGRAMS.has(ix.program)) {
      const token = tokenInstruction(ix);
      if (token === undefined) {
        raise('contract-call');
        calls.push(ix);
        notes.add('an SPL Token instruction other than a transfer or approval: not decoded');
        continue;
      }
      const account = created.get(token.destination);
      const mint = token.mint ?? account?.mint;
      if (mint === undefined) notes.add('an SPL Transfer names no mint: the asset is shown as SPL');
      const recipient = account?.owner ?? token.destination;
      if (account === undefined) notes.add('a token recipient is its token account, not a wallet address');
      raise(token.approve ? 'approve' : 'token-transfer');
      pay(token.authority, recipient, amount(mint ?? 'SPL', token.amount, token.decimals));
    } else if (ix.program === ASSOCIATED_TOKEN_PROGRAM || ix.program === COMPUTE_BUDGET_PROGRAM) {
      continue;
    } else if (MEMO_PROGRAMS.has(ix.program)) {
      notes.add(`memo ${Buffer.from(ix.data).toString('utf8')}`);
    } else {
      raise('contract-call');
      calls.push(ix);
    }
  }

  const summary: TransactionSummary = { chain: 'SOL', kind, from, to, amounts };
  if (calls.length > 0) {
    summary.contract = calls[0].program;
    summary.data = Buffer.from(calls[0].data).toString('hex');
    if (calls.some((call) => call.program !== calls[0].program) || calls.length > 1) {
      notes.add('several program calls: contract and data show the first');
    }
    notes.add('a program call: what it moves is not decoded');
  }
  if (notes.size > 0) summary.notes = [...notes];
  return summary;
}

function instructionOf(message: SolanaWeb3.Message, ix: SolanaWeb3.CompiledInstruction): Instruction {
  return {
    program: message.accountKeys[ix.programIdIndex].toBase58(),
    accounts: ix.accounts.map((index) => message.accountKeys[index].toBase58()),
    data: base58.decode(ix.data),
  };
}

/** System Transfer (2), TransferWithSeed (11) and CreateAccount (0): lamports from -> to. */
function systemTransfer(ix: Instruction): { from: string; to: string; lamports: bigint } | undefined {
  const view = new DataView(ix.data.buffer, ix.data.byteOffset, ix.data.byteLength);
  if (ix.data.length < 12) return undefined;
  const tag = view.getUint32(0, true);
  const lamports = view.getBigUint64(4, true);
  if (tag === 2 && ix.data.length === 12 && ix.accounts.length >= 2) {
    return { from: ix.accounts[0], to: ix.accounts[1], lamports };
  }
  if (tag === 11 && ix.accounts.length >= 3) return { from: ix.accounts[0], to: ix.accounts[2], lamports };
  if (tag === 0 && ix.data.length === 52 && ix.accounts.length >= 2) {
    return { from: ix.accounts[0], to: ix.accounts[1], lamports };
  }
  return undefined;
}

interface TokenInstruction {
  readonly approve: boolean;
  /** The destination token account (the delegate for an approval). */
  readonly destination: string;
  /** The owner (or delegate) signing for the source account. */
  readonly authority: string;
  readonly amount: bigint;
  readonly mint?: string;
  readonly decimals?: number;
}

/** SPL Transfer (3), Approve (4), TransferChecked (12), ApproveChecked (13). */
function tokenInstruction(ix: Instruction): TokenInstruction | undefined {
  const { data, accounts } = ix;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const amountAt1 = () => view.getBigUint64(1, true);
  switch (data[0]) {
    case 3:
    case 4:
      if (data.length !== 9 || accounts.length < 3) return undefined;
      return {
        approve: data[0] === 4,
        destination: accounts[1],
        authority: accounts[2],
        amount: amountAt1(),
      };
    case 12:
    case 13:
      if (data.length !== 10 || accounts.length < 4) return undefined;
      return {
        approve: data[0] === 13,
        destination: accounts[2],
        authority: accounts[3],
        amount: amountAt1(),
        mint: accounts[1],
        decimals: data[9],
      };
    default:
      return undefined;
  }
}
