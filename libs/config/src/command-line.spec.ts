import { parseCommandLine } from './command-line';
import { flagTable } from './kms-flags';

/** The command line as tatum-kms 8.0.1 (meow 13) reads it. */
describe('parseCommandLine', () => {
  it('takes flags before and after the command, and the command arguments in order', () => {
    expect(parseCommandLine(['--envFile=/x/.env', 'getaddress', 'id', '3', '--testnet'])).toEqual({
      command: 'getaddress',
      args: ['id', '3'],
      flags: { envFile: '/x/.env', testnet: true },
      help: false,
      version: false,
      unknown: [],
    });
    expect(parseCommandLine(['--testnet', 'generatewallet', 'BTC'])).toMatchObject({
      command: 'generatewallet',
      args: ['BTC'],
      flags: { testnet: true },
    });
  });

  it('accepts every flag on every command: a flag another command uses is no error', () => {
    expect(parseCommandLine(['generatewallet', 'BTC', '--period=5', '--chain', 'ETH'])).toMatchObject({
      command: 'generatewallet',
      args: ['BTC'],
      flags: { period: '5', chain: 'ETH' },
      unknown: [],
    });
  });

  it('reads kebab-case and camelCase alike', () => {
    const line = parseCommandLine([
      'daemon',
      '--run-once',
      '--external-url',
      'https://a.example',
      '--external-url-method=POST',
      '--transaction-ids=a,b',
      '--api-key',
      'k',
      '--env-file',
      '/e',
    ]);
    expect(line.flags).toEqual({
      runOnce: true,
      externalUrl: 'https://a.example',
      externalUrlMethod: 'POST',
      transactionIds: 'a,b',
      apiKey: 'k',
      envFile: '/e',
    });
  });

  it('reads booleans as --x, --x=false, --x false and --no-x; the last one wins', () => {
    expect(parseCommandLine(['export', '--testnet=false']).flags).toEqual({ testnet: false });
    expect(parseCommandLine(['export', '--testnet=true']).flags).toEqual({ testnet: true });
    expect(parseCommandLine(['export', '--no-testnet']).flags).toEqual({ testnet: false });
    expect(parseCommandLine(['export', '--testnet', 'false']).flags).toEqual({ testnet: false });
    expect(parseCommandLine(['--testnet', 'export']).flags).toEqual({ testnet: true });
    expect(parseCommandLine(['export', '--testnet', '--no-testnet']).flags).toEqual({ testnet: false });
    expect(parseCommandLine(['export', '--no-run-once']).flags).toEqual({ runOnce: false });
  });

  it('keeps unknown flags aside without taking a value, and negative numbers as arguments', () => {
    expect(parseCommandLine(['getaddress', 'id', '-1', '--frobnicate', 'x', '-q'])).toMatchObject({
      command: 'getaddress',
      args: ['id', '-1', 'x'],
      unknown: ['--frobnicate', '-q'],
    });
  });

  it('records --help/-h and --version/-V anywhere, and stops reading flags after --', () => {
    expect(parseCommandLine(['daemon', '-h'])).toMatchObject({ command: 'daemon', help: true });
    expect(parseCommandLine(['--version'])).toMatchObject({ command: undefined, version: true });
    expect(parseCommandLine(['removewallet', '--', '--path'])).toMatchObject({
      command: 'removewallet',
      args: ['--path'],
      flags: {},
    });
  });

  it('a string flag at the end, or before another flag, is empty (the configuration then rejects it)', () => {
    expect(parseCommandLine(['daemon', '--externalUrl']).flags).toEqual({ externalUrl: '' });
    expect(parseCommandLine(['daemon', '--path', '--testnet']).flags).toEqual({ path: '', testnet: true });
  });
});

describe('flagTable', () => {
  it('adds the flags an extension declares, and refuses to redefine the KMS own', () => {
    const table = flagTable({ hsm: 'boolean', hsmSlot: 'string' });
    expect(parseCommandLine(['export', '--hsm', '--hsm-slot', '3'], table).flags).toEqual({
      hsm: true,
      hsmSlot: '3',
    });
    expect(parseCommandLine(['export', '--hsm']).unknown).toEqual(['--hsm']);
    expect(() => flagTable({ path: 'boolean' })).toThrow(/--path is the KMS's own/);
  });
});
