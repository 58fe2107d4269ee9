import { BTC_DEMO } from './btc.demo';
import type { DemoChain } from './demo-chain';
import { ETH_DEMO } from './eth.demo';
import { SOL_DEMO } from './sol.demo';
import { TRON_DEMO } from './tron.demo';
import { XRP_DEMO } from './xrp.demo';

export type { DemoChain, DemoPending, DemoWallet, SignedDemo, Verification } from './demo-chain';

/** The chains the sandbox has demo transactions and checks for, in their default order. */
export const DEMO_CHAINS: ReadonlyMap<string, DemoChain> = new Map(
  [ETH_DEMO, BTC_DEMO, SOL_DEMO, TRON_DEMO, XRP_DEMO].map((demo) => [demo.chain, demo]),
);
