import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { ChainSigner as ChainSignerDecorator } from './chain-signer.decorator';
import type { ChainSigner } from './chain-signer.port';
import { DuplicateChainSignerError, UnsupportedChainError } from './chains.errors';

/** Finds every `@ChainSigner` provider at boot and looks them up by chain symbol (case-insensitive). */
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

  register(chain: string, signer: ChainSigner): void {
    const key = chain.toUpperCase();
    if (this.signers.has(key)) throw new DuplicateChainSignerError(key);
    this.signers.set(key, signer);
  }

  get(chain: string): ChainSigner {
    const signer = this.signers.get(String(chain).toUpperCase());
    if (!signer) throw new UnsupportedChainError(chain, this.chains());
    return signer;
  }

  has(chain: string): boolean {
    return this.signers.has(String(chain).toUpperCase());
  }

  chains(): string[] {
    return [...this.signers.keys()].sort();
  }
}
