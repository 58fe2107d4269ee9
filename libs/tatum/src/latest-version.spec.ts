import { compareVersions, LatestVersionNotice, parseLatestVersion } from './latest-version';

describe('parseLatestVersion', () => {
  it('splits version, level and message (which may contain ;)', () => {
    expect(parseLatestVersion('8.1.0;CRITICAL;Upgrade; signing fix')).toEqual({
      version: '8.1.0',
      level: 'CRITICAL',
      message: 'Upgrade; signing fix',
    });
    expect(parseLatestVersion(['8.1.0'])).toEqual({ version: '8.1.0', level: '', message: '' });
  });

  it('ignores an absent or empty header and strips control characters', () => {
    expect(parseLatestVersion(undefined)).toBeUndefined();
    expect(parseLatestVersion(';INFO;x')).toBeUndefined();
    expect(parseLatestVersion('9.0.0;info;line\nforged log line')?.message).toBe('line forged log line');
  });
});

describe('compareVersions', () => {
  it.each([
    ['1.0.0', '1.0.0', 0],
    ['1.0.1', '1.0.0', 1],
    ['1.10.0', '1.9.9', 1],
    ['2.0.0', '10.0.0', -1],
    ['v1.2.3', '1.2.3', 0],
    ['1.0.0-rc.1', '1.0.0', -1],
    ['1.0.0-rc.2', '1.0.0-rc.10', -1],
    ['1.0.0-alpha', '1.0.0-alpha.1', -1],
    ['1.0.0-1', '1.0.0-alpha', -1],
    ['1.0.0+build', '1.0.0', 0],
  ])('%s vs %s -> %d', (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
  });

  it('returns undefined for something that is not a version', () => {
    expect(compareVersions('latest', '1.0.0')).toBeUndefined();
    expect(compareVersions('1.0', '1.0.0')).toBeUndefined();
  });
});

describe('LatestVersionNotice', () => {
  it('warns once per interval, only for a newer version', () => {
    const warnings: string[] = [];
    let now = 0;
    const notice = new LatestVersionNotice(
      '1.0.0',
      (message) => warnings.push(message),
      () => now,
    );
    notice.observe('0.9.0;INFO;old');
    notice.observe('1.0.1;INFO;new');
    notice.observe('1.0.2;INFO;newer');
    now = 59_999;
    notice.observe('1.0.2;INFO;newer');
    now = 60_000;
    notice.observe('1.0.2;INFO;newer');
    expect(warnings).toEqual([
      'A newer KMS version 1.0.1 is available (this is 1.0.0) [INFO]: new',
      'A newer KMS version 1.0.2 is available (this is 1.0.0) [INFO]: newer',
    ]);
  });
});
