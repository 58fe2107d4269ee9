/**
 * The metric label of a call to the Tatum API, from its method and path: a fixed vocabulary, so no
 * id, address or key ever becomes a label.
 */
export function tatumOperation(method: string, path: string): string {
  if (/^\/v3\/kms\/pending\//.test(path)) return 'pending';
  if (path === '/v3/tatum/kms/batch') return 'report_errors';
  if (/^\/v3\/offchain\/withdrawal\/broadcast$/.test(path)) return 'offchain_broadcast';
  if (/^\/v3\/[^/]+(\/[^/]+)?\/broadcast$/.test(path)) return 'broadcast';
  if (/\/transaction\/count\//.test(path)) return 'nonce';
  if (/^\/v3\/blockchain\/fee\//.test(path)) return 'fee';
  if (/\/node\//.test(path)) return 'node';
  return method === 'GET' ? 'other_read' : 'other_write';
}
