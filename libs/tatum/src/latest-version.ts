/** `x-ttm-kms-latest-version: <version>;<LEVEL>;<message>`, sent by the API with pending answers. */
export const LATEST_VERSION_HEADER = 'x-ttm-kms-latest-version';

export interface LatestVersionAnnouncement {
  version: string;
  level: string;
  message: string;
}

/** Printable, single-line, bounded: the header comes from the network and ends up in a log line. */
const clean = (text: string, max: number): string =>
  text
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim()
    .slice(0, max);

/** Parses the header; undefined when absent or without a version. The message may contain ';'. */
export function parseLatestVersion(
  header: string | string[] | undefined,
): LatestVersionAnnouncement | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const [version = '', level = '', ...message] = value.split(';');
  const parsed = {
    version: clean(version, 40),
    level: clean(level, 20).toUpperCase(),
    message: clean(message.join(';'), 300),
  };
  return parsed.version ? parsed : undefined;
}

const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * Semantic-version order of a and b: negative, 0 or positive; undefined when either is not a version.
 * A pre-release sorts before its release (1.0.0-rc.1 < 1.0.0); build metadata is ignored.
 */
export function compareVersions(a: string, b: string): number | undefined {
  const left = SEMVER.exec(a.trim());
  const right = SEMVER.exec(b.trim());
  if (!left || !right) return undefined;
  for (let part = 1; part <= 3; part++) {
    const difference = Number(left[part]) - Number(right[part]);
    if (difference !== 0) return Math.sign(difference);
  }
  return comparePreRelease(left[4], right[4]);
}

function comparePreRelease(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  const left = a.split('.');
  const right = b.split('.');
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    if (left[i] === undefined) return -1;
    if (right[i] === undefined) return 1;
    if (left[i] === right[i]) continue;
    const numeric = /^\d+$/.test(left[i]) && /^\d+$/.test(right[i]);
    if (numeric) return Math.sign(Number(left[i]) - Number(right[i]));
    if (/^\d+$/.test(left[i])) return -1;
    if (/^\d+$/.test(right[i])) return 1;
    return left[i] < right[i] ? -1 : 1;
  }
  return 0;
}

/**
 * Warns when the API announces a version newer than ours, at most once per interval (a minute by
 * default) however many answers carry the header; an older, equal or unparsable version is ignored.
 */
export class LatestVersionNotice {
  private lastWarnedAt?: number;

  constructor(
    private readonly currentVersion: string,
    private readonly warn: (message: string) => void,
    private readonly now: () => number = Date.now,
    private readonly intervalMs = 60_000,
  ) {}

  observe(header: string | string[] | undefined): void {
    const announced = parseLatestVersion(header);
    if (!announced || !((compareVersions(announced.version, this.currentVersion) ?? 0) > 0)) return;
    const now = this.now();
    if (this.lastWarnedAt !== undefined && now - this.lastWarnedAt < this.intervalMs) return;
    this.lastWarnedAt = now;
    const level = announced.level ? ` [${announced.level}]` : '';
    const message = announced.message ? `: ${announced.message}` : '';
    this.warn(
      `A newer KMS version ${announced.version} is available (this is ${this.currentVersion})${level}${message}`,
    );
  }
}
