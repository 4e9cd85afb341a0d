// Dot paths into scenario documents: list entries by id where they have one, by index otherwise.

/** A path as a list of keys and indices, before formatting. */
export type RawPath = readonly PropertyKey[];

/** The value at `path` inside `doc`, or undefined. */
export function valueAt(doc: unknown, path: RawPath): unknown {
  let cur: unknown = doc;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key as string];
  }
  return cur;
}

/**
 * Format `path` the way errors and sweep flags name places: `venues.lendA.assets.ETH.ltv`,
 * `populations[1].count`. A list entry with a string `id` is named by it.
 */
export function formatPath(doc: unknown, path: RawPath): string {
  let out = '';
  let cur: unknown = doc;
  for (const key of path) {
    if (typeof key === 'number') {
      const entry = Array.isArray(cur) ? (cur[key] as unknown) : undefined;
      const entryId =
        entry !== null && typeof entry === 'object' ? (entry as { id?: unknown }).id : undefined;
      out += typeof entryId === 'string' && entryId !== '' ? `.${entryId}` : `[${key}]`;
      cur = entry;
    } else {
      out += `${out === '' ? '' : '.'}${String(key)}`;
      cur =
        cur !== null && typeof cur === 'object'
          ? (cur as Record<string, unknown>)[String(key)]
          : undefined;
    }
  }
  return out.startsWith('.') ? out.slice(1) : out;
}
