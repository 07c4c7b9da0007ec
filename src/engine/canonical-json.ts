/**
 * JSON with object keys sorted at every level and empty (null or undefined) fields left out, so equal data
 * always hashes the same: the store may reorder keys, and it keeps an undefined field as null.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return Object.fromEntries(Object.keys(obj).sort().filter((k) => obj[k] !== undefined && obj[k] !== null).map((k) => [k, sortKeys(obj[k])]));
  }
  return value;
}
