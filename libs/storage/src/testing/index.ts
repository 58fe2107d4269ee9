/**
 * The storage library's test kit (`@kms/storage/testing`, for specs only; not in the build): the
 * in-memory vault and the vault contract suite a new vault runs with one call.
 */
export { InMemoryVault } from '../vault/in-memory.vault';
export { vaultContract } from './vault-contract';
