/**
 * Limits on the pending answer, so that a hostile or broken API cannot stall the daemon or exhaust
 * its memory (one 24 MiB serializedTransaction once took 130 s and 3.5 GB to fail). Generous for
 * real transactions: Tatum's largest (UTXO spends of hundreds of inputs, contract deployments) are a
 * few hundred KiB of JSON. Sizes count the characters of the item's JSON text, approximately.
 */
export const PENDING_LIMITS = {
  /** The whole answer of one `POST /v3/kms/pending/{chain}` (up to 25,000 ids): refused beyond. */
  answerBytes: 64 * 1024 * 1024,
  /** One item's serializedTransaction. */
  serializedTransaction: 1024 * 1024,
  /** One whole item, withdrawalResponses and unknown fields included. */
  item: 2 * 1024 * 1024,
  /** Nesting depth of one item (Tatum's deepest is 4: item > withdrawalResponses > entry > address). */
  depth: 32,
} as const;

/** What is wrong with an item's size, or undefined when it is within PENDING_LIMITS. */
export function pendingItemExcess(item: unknown): { field?: string; problem: string } | undefined {
  const serialized = (item as { serializedTransaction?: unknown } | null)?.serializedTransaction;
  if (typeof serialized === 'string' && serialized.length > PENDING_LIMITS.serializedTransaction) {
    return {
      field: 'serializedTransaction',
      problem: `is larger than ${mib(PENDING_LIMITS.serializedTransaction)}`,
    };
  }
  return measure(item);
}

/**
 * Walks the value without recursion (a deep value cannot overflow the stack), stopping as soon as
 * a limit is passed.
 */
function measure(root: unknown): { problem: string } | undefined {
  const stack: Array<[unknown, number]> = [[root, 1]];
  let size = 0;
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value === 'string') size += value.length + 2;
    else if (typeof value !== 'object' || value === null) size += 8;
    else {
      if (depth > PENDING_LIMITS.depth)
        return { problem: `nests deeper than ${PENDING_LIMITS.depth} levels` };
      size += 2;
      if (Array.isArray(value)) {
        for (const member of value) stack.push([member, depth + 1]);
        size += value.length;
      } else {
        for (const [name, member] of Object.entries(value)) {
          size += name.length + 4;
          stack.push([member, depth + 1]);
        }
      }
    }
    if (size > PENDING_LIMITS.item) return { problem: `is larger than ${mib(PENDING_LIMITS.item)}` };
  }
  return undefined;
}

function mib(bytes: number): string {
  return `${bytes / (1024 * 1024)} MiB`;
}
