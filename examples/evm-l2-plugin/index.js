'use strict';
/**
 * A KMS chain plugin: one Nest module providing the BASE signer. Load it with
 * TATUM_KMS_PLUGINS=kms-plugin-base (installed next to the KMS) or TATUM_KMS_PLUGINS=/path/to/it.
 * It requires only what the KMS gives every plugin: @kms/chains and @nestjs/common (the KMS's copies).
 */
const { Module } = require('@nestjs/common');
const { BASE_CHAIN } = require('./base-chain');
const { BaseSigner } = require('./base.signer');

class BaseChainModule {}
Module({ providers: [BaseSigner] })(BaseChainModule);

module.exports = { BaseChainModule, BaseSigner, BASE_CHAIN };
