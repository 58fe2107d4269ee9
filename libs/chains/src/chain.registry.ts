import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { ChainSigner as ChainSignerDecorator } from './chain-signer.decorator';
import type { ChainSigner } from './chain-signer.port';
import { DuplicateChainSignerError, InvalidChainSignerError, UnsupportedChainError } from './chains.errors';
import { sdkAliasesOf, sdkAliasTarget } from './sdk-aliases';

/** A Tatum API path segment (`/v3/{segment}/broadcast`). */
const PATH_SEGMENT = /^[A-Za-z0-9_-]{1,40}$/;

/**
 * Finds every `@ChainSigner` provider at boot and looks them up by chain symbol (case-insensitive).
 * A name of Tatum's SDK that stands for another chain (`USDT`, `ETH_BASE`, `CUSD`..., see
 * sdk-aliases.ts) resolves to that chain's signer, unless a signer is registered under the name itself.
 */
@Injectable()
export class ChainRegistry implements OnModuleInit {
  private readonly signers = new Map<string, ChainSigner>();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders({ metadataKey: ChainSignerDecorator.KEY })) {
      const chain = this.discovery.getMetadataByDecorator(ChainSignerDecorator, wrapper);
      if (!chain || !wrapper.instance) continue;
      this.register(chain, wrapper.instance as ChainSigner);
    }
  }

  /**
   * Adds a signer; DuplicateChainSignerError for a chain that has one, InvalidChainSignerError when
   * its `tatum` declaration is missing or not a path segment (every chain broadcasts through it).
   */
  register(chain: string, signer: ChainSigner): void {
    const key = chain.toUpperCase();
    if (this.signers.has(key)) throw new DuplicateChainSignerError(key);
    const tatum = (signer as Partial<ChainSigner>).tatum;
    if (!tatum || typeof tatum.broadcastPath !== 'string' || !PATH_SEGMENT.test(tatum.broadcastPath)) {
      throw new InvalidChainSignerError(key, 'declares no valid tatum.broadcastPath');
    }
    if (tatum.noncePath !== undefined && !PATH_SEGMENT.test(tatum.noncePath)) {
      throw new InvalidChainSignerError(key, 'declares an invalid tatum.noncePath');
    }
    if (typeof tatum.offchainWithdrawals !== 'boolean') {
      throw new InvalidChainSignerError(key, 'does not declare tatum.offchainWithdrawals (true or false)');
    }
    this.signers.set(key, signer);
  }

  /** The signer of a chain or SDK alias; UnsupportedChainError when there is none. */
  get(chain: string): ChainSigner {
    const signer = this.lookup(chain);
    if (!signer) throw new UnsupportedChainError(chain, this.chains());
    return signer;
  }

  has(chain: string): boolean {
    return this.lookup(chain) !== undefined;
  }

  /**
   * Every name a wallet of `chain` may be stored under: the chain itself, then the SDK aliases that
   * resolve to its signer (wallet files written by tatum-kms keep the name they were made with).
   */
  storedNames(chain: string): string[] {
    const signer = this.get(chain);
    const aliases = sdkAliasesOf(signer.chain).filter((alias) => this.lookup(alias) === signer);
    return [signer.chain, ...aliases];
  }

  private lookup(chain: string): ChainSigner | undefined {
    const key = String(chain).toUpperCase();
    const own = this.signers.get(key);
    if (own) return own;
    const target = sdkAliasTarget(key);
    return target === undefined ? undefined : this.signers.get(target);
  }

  chains(): string[] {
    return [...this.signers.keys()].sort();
  }
}
