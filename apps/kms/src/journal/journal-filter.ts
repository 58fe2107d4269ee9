import { InvalidArgumentError } from '@kms/common';
import type { JournalFilter } from '@kms/journal';

const KINDS = ['claimed', 'signed', 'resealed', 'broadcast', 'failed', 'refused', 'denied'] as const;
const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * `journal list` flags as a JournalFilter: --since an ISO-8601 date/time or an age (`30m`, `12h`,
 * `7d`), --chain a chain, --outcome one kind of entry. InvalidArgumentError for anything else.
 */
export function journalFilter(
  flags: { since?: string; chain?: string; outcome?: string },
  now = Date.now(),
): JournalFilter {
  const filter: JournalFilter = {};
  if (flags.since !== undefined) {
    const age = /^(\d{1,9})([smhd])$/.exec(flags.since.trim());
    const since = age ? new Date(now - Number(age[1]) * UNITS[age[2]]) : new Date(flags.since);
    if (!/\d/.test(flags.since) || Number.isNaN(since.getTime())) {
      throw new InvalidArgumentError(
        '--since must be an ISO-8601 date/time or an age such as 30m, 12h or 7d',
      );
    }
    filter.since = since;
  }
  if (flags.chain !== undefined) {
    if (!/^[A-Za-z0-9_]{1,20}$/.test(flags.chain))
      throw new InvalidArgumentError('--chain must be one chain, e.g. ETH');
    filter.chain = flags.chain.toUpperCase();
  }
  if (flags.outcome !== undefined) {
    if (!(KINDS as readonly string[]).includes(flags.outcome)) {
      throw new InvalidArgumentError(`--outcome must be one of ${KINDS.join(', ')}`);
    }
    filter.outcome = flags.outcome as JournalFilter['outcome'];
  }
  return filter;
}
