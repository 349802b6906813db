/**
 * Deep-merge scenario inputs: `over` wins field by field; lists are replaced whole. Used to lay a
 * file or a link over a preset or the defaults without losing the fields it does not mention.
 * Keys are defined, never assigned, so a key named `__proto__` stays an ordinary (and, to the
 * resolver, unknown) field instead of replacing the result's prototype.
 */
export function mergeInput(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(base)) define(out, k, v);
  for (const [k, v] of Object.entries(over)) {
    const prev = Object.hasOwn(out, k) ? out[k] : undefined;
    define(out, k, isObject(v) && isObject(prev) ? mergeInput(prev, v) : v);
  }
  return out;
}

function define(o: Record<string, unknown>, k: string, value: unknown): void {
  Object.defineProperty(o, k, { value, enumerable: true, writable: true, configurable: true });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
