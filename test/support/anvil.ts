import type { ChainNetwork, NodeRestAnswer, NodeRestRequest, NodeRpcRequest } from '@kms/chains';
import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';

/**
 * A real EVM node for e2e specs: foundry's `anvil`, from the `@foundry-rs/anvil` devDependency. The
 * npm package is a wrapper whose binary lives in a platform package (optional dependency), e.g.
 * `@foundry-rs/anvil-linux-amd64/bin/anvil`; we spawn that binary directly (no node wrapper in
 * between), so `stop()` signals anvil itself. `ANVIL_BIN` overrides the path.
 */
export function anvilBinary(): string {
  if (process.env.ANVIL_BIN) return process.env.ANVIL_BIN;
  const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch as string] ?? process.arch;
  const exe = process.platform === 'win32' ? 'anvil.exe' : 'anvil';
  return require.resolve(`@foundry-rs/anvil-${process.platform}-${arch}/bin/${exe}`);
}

export interface AnvilOptions {
  /** EIP-155 chain id of the node (default 1, ETH mainnet in our table). */
  chainId?: number;
  /** More command-line flags, e.g. ['--hardfork', 'cancun']. */
  args?: string[];
  /** How long to wait for the first `eth_chainId` answer (default 20 s). */
  startTimeoutMs?: number;
}

/** A JSON-RPC `error` answer of the node. */
export class AnvilRpcError extends Error {
  constructor(
    readonly method: string,
    readonly code: number | undefined,
    message: string,
  ) {
    super(`anvil ${method}: ${message}`);
  }
}

export interface AnvilReceipt {
  transactionHash: string;
  status: string;
  type: string;
  from: string;
  to: string | null;
  contractAddress: string | null;
  gasUsed: string;
  effectiveGasPrice: string;
  logs: Array<{ address: string; topics: string[]; data: string }>;
}

/** One anvil process on 127.0.0.1 and a JSON-RPC client for it. Always `stop()` it. */
export class Anvil {
  private output = '';
  private exited: Promise<void>;
  private rpcId = 0;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly chainId: number,
  ) {
    const keep = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-4000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** Starts anvil on a free port and resolves once it answers `eth_chainId` with the right id. */
  static async start(options: AnvilOptions = {}): Promise<Anvil> {
    const chainId = options.chainId ?? 1;
    // The port is free when probed; another process may take it before anvil binds, so retry.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const args = [
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--chain-id',
        String(chainId),
        ...(options.args ?? []),
      ];
      const child = spawn(anvilBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
      const anvil = new Anvil(child, `http://127.0.0.1:${port}`, chainId);
      try {
        await anvil.waitReady(options.startTimeoutMs ?? 20_000);
        return anvil;
      } catch (error) {
        await anvil.stop();
        if (attempt >= 3 || !/address already in use/i.test(anvil.output)) throw error;
      }
    }
  }

  /** Sends SIGTERM, then SIGKILL after 5 s; resolves when the process is gone. Idempotent. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
      await this.exited;
      clearTimeout(timer);
    }
  }

  /** One JSON-RPC call; an `error` answer throws AnvilRpcError. */
  rpc<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    const body = JSON.stringify({ jsonrpc: '2.0', id: ++this.rpcId, method, params });
    return new Promise<T>((resolve, reject) => {
      // agent: false: one connection per call, so no keep-alive socket outlives the spec.
      const req = httpRequest(
        this.url,
        { method: 'POST', agent: false, headers: { 'content-type': 'application/json' }, timeout: 10_000 },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            try {
              const reply = JSON.parse(text) as { result?: T; error?: { code?: number; message?: string } };
              if (reply.error)
                reject(new AnvilRpcError(method, reply.error.code, reply.error.message ?? 'error'));
              else resolve(reply.result as T);
            } catch {
              reject(
                new Error(`anvil ${method}: HTTP ${res.statusCode}, not JSON-RPC: ${text.slice(0, 200)}`),
              );
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`anvil ${method}: timed out`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  async setBalance(address: string, wei: bigint): Promise<void> {
    await this.rpc('anvil_setBalance', [toHexAddress(address), `0x${wei.toString(16)}`]);
  }

  async balance(address: string): Promise<bigint> {
    return BigInt(await this.rpc<string>('eth_getBalance', [toHexAddress(address), 'latest']));
  }

  async nonce(address: string): Promise<number> {
    return Number(await this.rpc<string>('eth_getTransactionCount', [toHexAddress(address), 'latest']));
  }

  /** `eth_sendRawTransaction`; returns the transaction hash. */
  sendRawTransaction(txData: string): Promise<string> {
    return this.rpc<string>('eth_sendRawTransaction', [txData]);
  }

  /** The receipt of a transaction, waiting for it to be mined (anvil automines by default). */
  async receipt(hash: string, timeoutMs = 10_000): Promise<AnvilReceipt> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const receipt = await this.rpc<AnvilReceipt | null>('eth_getTransactionReceipt', [hash]);
      if (receipt) return receipt;
      if (Date.now() > deadline) throw new Error(`anvil: no receipt for ${hash} after ${timeoutMs} ms`);
      await sleep(50);
    }
  }

  /** Sends a signed transaction and returns its receipt once mined. */
  async sendAndMine(txData: string): Promise<AnvilReceipt> {
    return this.receipt(await this.sendRawTransaction(txData));
  }

  /** A SigningNetwork answered by this node (see AnvilSigningNetwork). */
  network(): AnvilSigningNetwork {
    return new AnvilSigningNetwork(this);
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(
          `anvil exited (${this.child.exitCode ?? this.child.signalCode}) while starting: ${this.output}`,
        );
      }
      try {
        const id = await this.rpc<string>('eth_chainId');
        if (Number(id) !== this.chainId)
          throw new Error(`anvil answers chain id ${id}, expected ${this.chainId}`);
        return;
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('anvil answers')) throw error;
        if (Date.now() > deadline)
          throw new Error(`anvil did not answer within ${timeoutMs} ms: ${this.output}`);
        await sleep(50);
      }
    }
  }
}

/**
 * The daemon's ChainNetwork, answered by anvil instead of the Tatum API: the nonce endpoint = pending
 * `eth_getTransactionCount`, the fee endpoint = `eth_gasPrice` for each speed, node calls = the node
 * itself. `calls` records 'nonce', 'gasPrice' or the node method of every call, in order.
 */
export class AnvilSigningNetwork implements ChainNetwork {
  readonly calls: string[] = [];

  constructor(private readonly anvil: Anvil) {}

  async tatum(method: 'GET' | 'POST', path: string): Promise<unknown> {
    const nonce = /^\/v3\/[^/]+\/transaction\/count\/([^/]+)$/.exec(path);
    if (method === 'GET' && nonce) {
      this.calls.push('nonce');
      const address = toHexAddress(decodeURIComponent(nonce[1]));
      return Number(await this.anvil.rpc<string>('eth_getTransactionCount', [address, 'pending']));
    }
    if (method === 'GET' && /^\/v3\/blockchain\/fee\/ETH$/.test(path)) {
      this.calls.push('gasPrice');
      const price = BigInt(await this.anvil.rpc<string>('eth_gasPrice')).toString();
      return { slow: price, medium: price, fast: price };
    }
    throw new Error(`anvil stands for the Tatum API's nonce and ETH fee only, not ${method} ${path}`);
  }

  node(node: string, request: NodeRpcRequest): Promise<unknown>;
  node(node: string, request: NodeRestRequest): Promise<NodeRestAnswer>;
  async node(_node: string, request: NodeRpcRequest | NodeRestRequest): Promise<unknown> {
    if (!('rpc' in request)) throw new Error('anvil speaks JSON-RPC only');
    if (request.rpc === 'eth_gasPrice') this.calls.push('gasPrice');
    else this.calls.push(request.rpc);
    return this.anvil.rpc(request.rpc, (request.params ?? []) as unknown[]);
  }
}

/**
 * Starts one anvil for the enclosing `describe` (beforeAll) and stops it afterwards (afterAll).
 * Returns a getter, valid inside tests.
 */
export function useAnvil(options: AnvilOptions = {}): () => Anvil {
  let anvil: Anvil | undefined;
  beforeAll(
    async () => {
      anvil = await Anvil.start(options);
    },
    (options.startTimeoutMs ?? 20_000) + 10_000,
  );
  afterAll(async () => {
    await anvil?.stop();
  });
  return () => {
    if (!anvil) throw new Error('anvil is not running: use it inside a test');
    return anvil;
  };
}

/** `xdc...` addresses (XDC) as the 0x form the node understands. */
export function toHexAddress(address: string): string {
  return address.replace(/^xdc/i, '0x');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------------------------------
// A minimal ERC-20 for e2e specs, assembled here (no compiler): balances in a Solidity-style mapping at
// slot 0 (keccak256(abi.encode(holder, 0))); `transfer(address,uint256)` (reverts when the balance is
// short, emits Transfer, returns true) and `balanceOf(address)`; anything else reverts. The creation
// code credits the whole supply to the deployer.
// ---------------------------------------------------------------------------------------------------

// prettier-ignore
const OPCODES: Record<string, number> = {
  ADD: 0x01, SUB: 0x03, LT: 0x10, EQ: 0x14, SHR: 0x1c, SHA3: 0x20, CALLER: 0x33, CALLDATALOAD: 0x35,
  CODECOPY: 0x39, MSTORE: 0x52, SLOAD: 0x54, SSTORE: 0x55, JUMP: 0x56, JUMPI: 0x57, JUMPDEST: 0x5b,
  DUP1: 0x80, DUP2: 0x81, DUP3: 0x82, DUP4: 0x83, SWAP1: 0x90, LOG3: 0xa3, RETURN: 0xf3, REVERT: 0xfd,
};

/**
 * A tiny two-pass assembler: `NAME` (opcode), `PUSHn 0x..` (n-byte immediate), `label:` (JUMPDEST),
 * `@label` (PUSH2 of the label's offset). Returns hex without 0x.
 */
function assemble(source: string[]): string {
  const size = (token: string): number => {
    if (token.startsWith('@')) return 3;
    if (token.startsWith('PUSH')) return 1 + Number(token.slice(4).split(' ')[0]);
    return 1;
  };
  const labels = new Map<string, number>();
  let offset = 0;
  for (const token of source) {
    if (token.endsWith(':')) labels.set(token.slice(0, -1), offset);
    offset += size(token);
  }
  const hex = (value: bigint, bytes: number) => {
    const text = value.toString(16).padStart(bytes * 2, '0');
    if (text.length > bytes * 2) throw new Error(`immediate ${value} does not fit in ${bytes} bytes`);
    return text;
  };
  return source
    .map((token) => {
      if (token.endsWith(':')) return hex(BigInt(OPCODES.JUMPDEST), 1);
      if (token.startsWith('@')) {
        const target = labels.get(token.slice(1));
        if (target === undefined) throw new Error(`unknown label ${token}`);
        return `61${hex(BigInt(target), 2)}`;
      }
      if (token.startsWith('PUSH')) {
        const [op, immediate] = token.split(' ');
        const bytes = Number(op.slice(4));
        return hex(BigInt(0x5f + bytes), 1) + hex(BigInt(immediate), bytes);
      }
      const opcode = OPCODES[token];
      if (opcode === undefined) throw new Error(`unknown opcode ${token}`);
      return hex(BigInt(opcode), 1);
    })
    .join('');
}

/** Leaves keccak256(abi.encode(<address on top of the stack>, 0)) on the stack; uses memory 0..64. */
// prettier-ignore
const BALANCE_SLOT = ['PUSH1 0x00', 'MSTORE', 'PUSH1 0x00', 'PUSH1 0x20', 'MSTORE', 'PUSH1 0x40', 'PUSH1 0x00', 'SHA3'];
const TRANSFER_TOPIC = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';

// prettier-ignore
const ERC20_RUNTIME = assemble([
  'PUSH1 0x00', 'CALLDATALOAD', 'PUSH1 0xe0', 'SHR', // selector
  'DUP1', 'PUSH4 0xa9059cbb', 'EQ', '@transfer', 'JUMPI',
  'DUP1', 'PUSH4 0x70a08231', 'EQ', '@balanceOf', 'JUMPI',
  'fail:', 'PUSH1 0x00', 'DUP1', 'REVERT',

  'balanceOf:', 'PUSH1 0x04', 'CALLDATALOAD', ...BALANCE_SLOT, 'SLOAD',
  'PUSH1 0x00', 'MSTORE', 'PUSH1 0x20', 'PUSH1 0x00', 'RETURN',

  'transfer:', 'CALLER', ...BALANCE_SLOT, // [fromSlot]
  'DUP1', 'SLOAD', 'PUSH1 0x24', 'CALLDATALOAD', // [amount, fromBalance, fromSlot]
  'DUP1', 'DUP3', 'LT', '@fail', 'JUMPI', // fromBalance < amount: revert
  'DUP1', 'DUP3', 'SUB', 'DUP4', 'SSTORE', // balances[from] = fromBalance - amount
  'PUSH1 0x04', 'CALLDATALOAD', ...BALANCE_SLOT, // [toSlot, amount, ...]
  'DUP1', 'SLOAD', 'DUP3', 'ADD', 'SWAP1', 'SSTORE', // balances[to] += amount
  'PUSH1 0x00', 'MSTORE', // memory[0] = amount
  'PUSH1 0x04', 'CALLDATALOAD', 'CALLER', `PUSH32 ${TRANSFER_TOPIC}`, 'PUSH1 0x20', 'PUSH1 0x00', 'LOG3',
  'PUSH1 0x01', 'PUSH1 0x00', 'MSTORE', 'PUSH1 0x20', 'PUSH1 0x00', 'RETURN',
]);

/** Creation code (0x-hex) of the minimal ERC-20; the deployer receives `supply` tokens. */
export function minimalErc20CreationCode(supply: bigint): string {
  const runtimeBytes = ERC20_RUNTIME.length / 2;
  // prettier-ignore
  const constructor = (runtimeOffset: number) =>
    assemble([
      `PUSH32 0x${supply.toString(16)}`, 'CALLER', ...BALANCE_SLOT, 'SSTORE',
      `PUSH2 0x${runtimeBytes.toString(16)}`, 'DUP1', `PUSH2 0x${runtimeOffset.toString(16)}`, 'PUSH1 0x00', 'CODECOPY',
      'PUSH1 0x00', 'RETURN',
    ]);
  const offset = constructor(0).length / 2;
  return `0x${constructor(offset)}${ERC20_RUNTIME}`;
}

/** The 0x-hex runtime code, e.g. for `anvil_setCode`. */
export const MINIMAL_ERC20_RUNTIME = `0x${ERC20_RUNTIME}`;
export { TRANSFER_TOPIC as ERC20_TRANSFER_TOPIC };

const word = (value: bigint | string) => BigInt(value).toString(16).padStart(64, '0');

/** Calldata of `transfer(to, amount)`. */
export function erc20TransferData(to: string, amount: bigint): string {
  return `0xa9059cbb${word(toHexAddress(to))}${word(amount)}`;
}

/** `balanceOf(holder)` through `eth_call`. */
export async function erc20BalanceOf(anvil: Anvil, token: string, holder: string): Promise<bigint> {
  const data = `0x70a08231${word(toHexAddress(holder))}`;
  return BigInt(await anvil.rpc<string>('eth_call', [{ to: token, data }, 'latest']));
}
