import Module from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import type { DynamicModule, Type } from '@nestjs/common';
import { KmsError, printable } from '@kms/common';
import type { AnyStorageProvider } from '@kms/storage';

/** A plugin (TATUM_KMS_PLUGINS / --plugins) that cannot be used: the run stops before anything else. */
export class PluginLoadError extends KmsError {
  constructor(plugin: string, detail: string) {
    super('PLUGIN_LOAD_FAILED', `Plugin ${JSON.stringify(plugin)} ${detail}`);
  }
}

export type PluginModule = Type<unknown> | DynamicModule;

/**
 * Loads the plugins named by TATUM_KMS_PLUGINS / --plugins, in order: a path (`./x`, `../x`, `/x`,
 * relative to `cwd`) or an npm package name, resolved from `cwd` (where it is installed next to the
 * KMS). Each must export a Nest module (a class decorated `@Module`, or a DynamicModule), as its
 * default export or as named exports; every exported module is used. `@kms/chains`, `@kms/common` and
 * `@nestjs/common` required by a plugin are this KMS's own copies (its peer dependencies), so its
 * `@ChainSigner` classes are found and a plugin unpacked anywhere needs no node_modules of its own.
 * Throws PluginLoadError naming the first plugin that cannot be resolved, throws while loading, or
 * exports no module.
 */
/** What the plugins bring: Nest modules (chain signers) and storage providers (vaults). */
export interface LoadedPlugins {
  modules: PluginModule[];
  /** Each plugin's `storageProviders` export: provider descriptors, as libs/storage/src/<vault>/ declare them. */
  storageProviders: AnyStorageProvider[];
}

export function loadPlugins(specs: readonly string[], cwd: string): LoadedPlugins {
  if (specs.length === 0) return { modules: [], storageProviders: [] };
  shareKmsLibraries();
  const modules: PluginModule[] = [];
  const storageProviders: AnyStorageProvider[] = [];
  for (const spec of specs) {
    let exported: unknown;
    try {
      const isPath = spec.startsWith('.') || isAbsolute(spec);
      const file = isPath ? resolve(cwd, spec) : require.resolve(spec, { paths: [cwd] });
      exported = require(file);
    } catch (error) {
      throw new PluginLoadError(spec, `could not be loaded: ${firstLine(error)}`);
    }
    const found = nestModulesOf(exported);
    const providers = storageProvidersOf(spec, exported);
    if (found.length === 0 && providers.length === 0) {
      throw new PluginLoadError(
        spec,
        'exports no Nest module (a class decorated @Module, or a DynamicModule) and no storageProviders',
      );
    }
    modules.push(...found);
    storageProviders.push(...providers);
  }
  return { modules, storageProviders };
}

/** The plugin's `storageProviders` export, each checked for the shape a provider descriptor has. */
function storageProvidersOf(spec: string, exported: unknown): AnyStorageProvider[] {
  const list = (exported as { storageProviders?: unknown } | null)?.storageProviders;
  if (list === undefined) return [];
  const valid =
    Array.isArray(list) &&
    list.every(
      (provider: { type?: unknown; load?: unknown; parse?: unknown; settings?: unknown }) =>
        typeof provider?.type === 'string' &&
        typeof provider.load === 'function' &&
        typeof provider.parse === 'function' &&
        Array.isArray(provider.settings),
    );
  if (!valid)
    throw new PluginLoadError(spec, 'exports storageProviders that are not storage provider descriptors');
  return list as AnyStorageProvider[];
}

function nestModulesOf(exported: unknown): PluginModule[] {
  const candidates =
    exported !== null && typeof exported === 'object'
      ? [exported, ...Object.values(exported as Record<string, unknown>)]
      : [exported];
  const modules = new Set<PluginModule>();
  for (const candidate of candidates) if (isNestModule(candidate)) modules.add(candidate);
  return [...modules];
}

function isNestModule(value: unknown): value is PluginModule {
  if (typeof value === 'function') {
    return ['imports', 'providers', 'controllers', 'exports'].some(
      (key) => Reflect.getMetadata(key, value) !== undefined,
    );
  }
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { module?: unknown }).module === 'function' &&
    isNestModule((value as { module: unknown }).module)
  );
}

/**
 * The first line of what a plugin's loading threw (its own code, or Node's "Cannot find module ..."):
 * the operator needs it to fix the plugin, and it holds none of this KMS's secrets.
 */
function firstLine(error: unknown): string {
  if ((error as { code?: unknown })?.code === 'MODULE_NOT_FOUND') {
    const missing = /Cannot find module '([^']+)'/.exec(String((error as Error).message))?.[1];
    return `cannot find module ${JSON.stringify(printable(missing ?? '?', 200))} (install it next to the KMS, or give its path)`;
  }
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return printable(text.split('\n')[0], 300);
}

let shared = false;

/**
 * Resolves a plugin's `require('@kms/chains')`, `@kms/common` and `@nestjs/common` to the files this
 * KMS runs: one Nest, one registry of signers, one KmsError class.
 */
function shareKmsLibraries(): void {
  if (shared) return;
  shared = true;
  // The libraries sit at the same place relative to this file in the sources and in dist/.
  const libs = resolve(__dirname, '../../../../libs');
  const own: Record<string, string> = {
    '@kms/chains': require.resolve(resolve(libs, 'chains/src')),
    '@kms/common': require.resolve(resolve(libs, 'common/src')),
    '@kms/storage': require.resolve(resolve(libs, 'storage/src')),
    '@nestjs/common': require.resolve('@nestjs/common'),
  };
  const loader = Module as unknown as {
    _resolveFilename(request: string, parent: unknown, ...rest: unknown[]): string;
  };
  const original = loader._resolveFilename;
  loader._resolveFilename = function (request: string, parent: unknown, ...rest: unknown[]): string {
    return own[request] ?? original.call(this, request, parent, ...rest);
  };
}
