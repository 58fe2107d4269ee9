'use strict';
const { Injectable } = require('@nestjs/common');
const { ChainSigner, EvmSigner } = require('@kms/chains');
const { BASE_CHAIN } = require('./base-chain');

/**
 * The signer of BASE: the KMS's own EVM signer bound to Base's row. It derives keys and addresses like
 * ETH, and signs legacy (EIP-155) or, when the pending transaction sets maxFeePerGas, EIP-1559
 * transactions for chain id 8453 (84532 on testnet), asking a missing nonce from
 * /v3/base/transaction/count and a missing gas price or limit from Base's node.
 * Equivalent to TypeScript's `@ChainSigner('BASE') @Injectable() class BaseSigner extends EvmSigner`.
 */
class BaseSigner extends EvmSigner {
  constructor() {
    super(BASE_CHAIN);
  }
}
ChainSigner(BASE_CHAIN.chain)(BaseSigner);
Injectable()(BaseSigner);

module.exports = { BaseSigner };
