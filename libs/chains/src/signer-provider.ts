import { Injectable, type Type } from '@nestjs/common';
import { ChainSigner } from './chain-signer.decorator';

/**
 * Turns a class generated for one table row into the Nest provider of `chain`: applies
 * `@ChainSigner(chain)` and `@Injectable()` and names it e.g. `EthSigner` for readable DI errors.
 * The class must be constructible without arguments (its row is bound in the subclass).
 */
export function asChainSignerProvider<T>(chain: string, signerClass: Type<T>): Type<T> {
  Object.defineProperty(signerClass, 'name', {
    value: `${chain.charAt(0)}${chain.slice(1).toLowerCase()}Signer`,
  });
  ChainSigner(chain)(signerClass);
  Injectable()(signerClass);
  return signerClass;
}
