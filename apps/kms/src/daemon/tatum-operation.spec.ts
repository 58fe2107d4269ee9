import { tatumOperation } from './tatum-operation';

describe('tatumOperation', () => {
  it.each([
    ['POST', '/v3/kms/pending/ETH', 'pending'],
    ['POST', '/v3/tatum/kms/batch', 'report_errors'],
    ['POST', '/v3/offchain/withdrawal/broadcast', 'offchain_broadcast'],
    ['POST', '/v3/ethereum/broadcast', 'broadcast'],
    ['POST', '/v3/bitcoin/broadcast', 'broadcast'],
    ['GET', '/v3/polygon/transaction/count/0xabc', 'nonce'],
    ['GET', '/v3/blockchain/fee/ETH', 'fee'],
    ['POST', '/v3/blockchain/node/ETH/***', 'node'],
    ['GET', '/v3/blockchain/node/VET/***/accounts/0xabc', 'node'],
    ['GET', '/v3/flow/account/0xabc', 'other_read'],
    ['POST', '/v3/something/else', 'other_write'],
  ])('%s %s is %s', (method, path, operation) => {
    expect(tatumOperation(method, path)).toBe(operation);
  });
});
