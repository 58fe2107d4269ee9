import { inspect } from 'node:util';
import { isHttpUrl } from '@kms/config';

/**
 * `settings` with `secrets` masked when logged or serialised (JSON.stringify, util.inspect), so a
 * provider's settings object can be held by its clients without a credential ever reaching a log.
 */
export function maskedSettings<T extends object>(settings: T, secrets: ReadonlyArray<keyof T>): T {
  const shown = (): Record<string, unknown> => {
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(settings))
      copy[key] = secrets.includes(key as keyof T) && value ? '***' : value;
    return copy;
  };
  Object.defineProperty(settings, 'toJSON', { value: shown, enumerable: false });
  Object.defineProperty(settings, inspect.custom, { value: shown, enumerable: false });
  return settings;
}

/** The value of `name`, or undefined when unset or empty (an empty variable means "not set"). */
export const envValue = (
  env: Readonly<Record<string, string | undefined>>,
  name: string,
): string | undefined => (env[name] === undefined || env[name] === '' ? undefined : env[name]);

/** `true`, `1`, `yes`, `on` (any case) are on; anything else is off. */
export const envFlag = (value?: string): boolean => /^(1|true|yes|on)$/i.test(value ?? '');

/** The problem of a URL setting that is set but not an http(s) URL, naming the variable only. */
export function urlProblem(variable: string, value: string | undefined): string[] {
  return value !== undefined && !isHttpUrl(value) ? [`${variable} must be an http(s) URL`] : [];
}
