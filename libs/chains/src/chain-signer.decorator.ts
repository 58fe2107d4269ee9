import { DiscoveryService } from '@nestjs/core';

/**
 * Marks a provider as the signer of one chain: `@ChainSigner('ETH') class EthSigner implements ChainSigner`.
 * The ChainRegistry finds every decorated provider at boot; two signers for one chain abort the boot.
 */
export const ChainSigner = DiscoveryService.createDecorator<string>();
