/**
 * Deep-merge scenario inputs: `over` wins field by field; lists are replaced whole. Used to lay a
 * file or a link over a preset or the defaults without losing the fields it does not mention.
 */
export function mergeInput(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const prev = out[k];
    out[k] = isObject(v) && isObject(prev) ? mergeInput(prev, v) : v;
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
