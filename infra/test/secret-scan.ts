import { isSecretWire, MOCK_SECRET_MARKER } from './harness';

/** Paths under `value` where a mock secret appears in plain text (outside a secret wrapper). */
export function findPlainSecrets(value: unknown, path = ''): string[] {
  if (isSecretWire(value)) return [];
  if (typeof value === 'string') return value.includes(MOCK_SECRET_MARKER) ? [path || '(root)'] : [];
  if (Array.isArray(value)) return value.flatMap((item, index) => findPlainSecrets(item, `${path}[${index}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => findPlainSecrets(item, path ? `${path}.${key}` : key));
  }
  return [];
}
