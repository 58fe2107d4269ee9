import { flagTable, type FlagTable, type KmsFlags } from './kms-flags';

/** One command line, read the way tatum-kms (meow 13) reads it. */
export interface CommandLine {
  /** The first positional argument, if any. */
  command?: string;
  /** The positional arguments after the command. */
  args: string[];
  flags: KmsFlags;
  /** `--help` / `-h` anywhere. */
  help: boolean;
  /** `--version` / `-V` anywhere. */
  version: boolean;
  /** Flags no command knows, as written (ignored, as tatum-kms ignores them). */
  unknown: string[];
}

const FALSE = /^(false|0|no|off)$/i;

/** `--external-url` and `--externalUrl` name the same flag. */
function camelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

function flagName(name: string, table: FlagTable): string | undefined {
  const camel = camelCase(name);
  return Object.hasOwn(table, camel) ? camel : undefined;
}

/**
 * Splits argv (without node and the script) into the command, its arguments and the flags:
 * - a flag may come before or after the command, camelCase or kebab-case (`--run-once`);
 * - `--name=value` or `--name value` for string flags; `--name`, `--name=false`, `--name false`,
 *   `--no-name` for boolean ones; the last occurrence wins;
 * - `--` ends the flags; `-h`/`--help` and `-V`/`--version` are recorded, never taken as arguments;
 * - a negative number (`-1`) is an argument, so that the command can reject it clearly;
 * - an unknown flag is kept in `unknown` and takes no value.
 * `table` names the flags known (default: the KMS's own, `flagTable()`).
 */
export function parseCommandLine(argv: readonly string[], table: FlagTable = flagTable()): CommandLine {
  const positionals: string[] = [];
  const flags: Record<string, string | boolean> = {};
  const unknown: string[] = [];
  let help = false;
  let version = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    if (arg === '-V' || arg === '--version') {
      version = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-' || /^-\d/.test(arg)) {
      positionals.push(arg);
      continue;
    }
    const [, rawName, inline] = /^--?([^=]*)(?:=(.*))?$/s.exec(arg) ?? [];
    const negated =
      inline === undefined && rawName.startsWith('no-') ? flagName(rawName.slice(3), table) : undefined;
    if (negated && table[negated] === 'boolean') {
      flags[negated] = false;
      continue;
    }
    const name = arg.startsWith('--') ? flagName(rawName, table) : undefined;
    if (!name) {
      unknown.push(arg);
      continue;
    }
    if (table[name] === 'boolean') {
      const next = argv[i + 1];
      if (inline !== undefined) flags[name] = !FALSE.test(inline);
      else if (next !== undefined && /^(true|false)$/i.test(next)) flags[name] = /^true$/i.test(argv[++i]);
      else flags[name] = true;
      continue;
    }
    if (inline !== undefined) flags[name] = inline;
    else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) flags[name] = argv[++i];
    else flags[name] = '';
  }
  const [command, ...args] = positionals;
  return { command, args, flags: flags as KmsFlags, help, version, unknown };
}
