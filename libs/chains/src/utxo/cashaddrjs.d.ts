/** The subset of cashaddrjs (untyped) that we use. */
declare module 'cashaddrjs' {
  export type CashAddrType = 'P2PKH' | 'P2SH';
  export function encode(prefix: string, type: CashAddrType, hash: Uint8Array): string;
  export function decode(address: string): { prefix: string; type: CashAddrType; hash: Uint8Array };
}
