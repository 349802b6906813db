/**
 * Hostile input never hurts: scenarios from files and messages, and query strings from links, built to
 * reach prototypes, allocate without bound or smuggle wrong types. Each generated input is resolved: no
 * uncaught exception, no change to any prototype, every refusal names its field. (The slowest refusal's time is printed, not asserted: `npm run bench` tracks it.)
 * The seeds are printed so a failure can be replayed.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveScenario, type FieldError } from './resolve-scenario';
import { SCENARIO_SCHEMA, type Field } from './scenario-schema';
import { resolveQuery } from './scenario-url';
import { mergeInput } from './merge-input';

const HOSTILE = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'isPrototypeOf'];

/** Every dotted path of the schema, lists written with an index. */
function schemaPaths(field: Field, prefix: string, out: string[]): string[] {
  if (field.t === 'obj') for (const [k, f] of Object.entries(field.fields)) schemaPaths(f, prefix ? `${prefix}.${k}` : k, out);
  else if (field.t === 'arr') schemaPaths(field.of, `${prefix}.0`, out);
  else out.push(prefix);
  return out;
}
const PATHS = schemaPaths(SCENARIO_SCHEMA, '', []);

const prototypesBefore = [Object.prototype, Array.prototype, Function.prototype, String.prototype, Number.prototype].map((p) => Object.getOwnPropertyNames(p).sort().join());
const prototypesUnchanged = (): void => {
  const now = [Object.prototype, Array.prototype, Function.prototype, String.prototype, Number.prototype].map((p) => Object.getOwnPropertyNames(p).sort().join());
  expect(now).toEqual(prototypesBefore);
  expect(({} as Record<string, unknown>).x).toBeUndefined();
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
};

/** Every error names a field: the message starts with it (or, for the whole input, says which). */
const namesItsField = (e: FieldError): void => {
  expect(e.field.length).toBeGreaterThan(0);
  if (e.field === '(scenario)' || e.field === '(link)') expect(e.message).toMatch(/^(the scenario|the link)/);
  else expect(e.message.startsWith(e.field)).toBe(true);
};

const value = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 30 }),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('12', 'true', '1e400', 'NaN', '-0', '', ' '),
  fc.array(fc.anything({ maxDepth: 1 }), { maxLength: 4 }),
  fc.object({ maxDepth: 1 }),
);
const key = fc.oneof(fc.constantFrom(...PATHS), fc.constantFrom(...HOSTILE), fc.constantFrom(...PATHS).map((p) => `${p}.${HOSTILE[p.length % HOSTILE.length]}`), fc.string({ maxLength: 20 }));

/** Build a nested input the way JSON.parse would: keys become own properties, even `__proto__`. */
function build(pairs: [string, unknown][]): unknown {
  const root: Record<string, unknown> = {};
  for (const [path, v] of pairs) {
    let node = root;
    const parts = path.split('.');
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const existing = Object.hasOwn(node, part) ? node[part] : undefined;
      const next = last ? v : typeof existing === 'object' && existing !== null ? existing : /^\d+$/.test(parts[i + 1] ?? '') ? [] : {};
      Object.defineProperty(node, part, { value: next, enumerable: true, writable: true, configurable: true });
      if (!last) node = next as Record<string, unknown>;
    });
  }
  return root;
}

let slowest = 0;
const timed = <T>(f: () => T): T => {
  const t0 = performance.now();
  const r = f();
  slowest = Math.max(slowest, performance.now() - t0);
  return r;
};

afterAll(() => {
  console.log(`hostile input: slowest refusal ${slowest.toFixed(2)} ms`);
});

describe('hostile scenarios (files, messages)', () => {
  it('should resolve 10,000 generated scenarios without throwing, polluting or naming nothing', () => {
    const seed = 20261201;
    console.log(`hostile scenarios: fast-check seed ${seed}`);
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 12 }), fc.boolean(), (pairs, viaJson) => {
        let input = build(pairs);
        if (viaJson) {
          try {
            input = JSON.parse(JSON.stringify(input));
          } catch {
            return; // cyclic or unrepresentable: not a file anyone could send
          }
        }
        const merged = typeof input === 'object' && input !== null && !Array.isArray(input) ? mergeInput({}, input as Record<string, unknown>) : input;
        const r = timed(() => resolveScenario(merged));
        if (!r.ok) r.errors.forEach(namesItsField);
        prototypesUnchanged();
      }),
      { numRuns: 10_000, seed },
    );
  });

  it('should refuse a four-billion-entry list without building it', () => {
    const huge: unknown[] = [];
    huge.length = 4_294_967_294;
    const r = timed(() => resolveScenario({ destinations: huge }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.message).toBe('destinations must have 1 to 8 entries; got 4294967294');
  });

  it('should refuse JSON with a __proto__ key as an unknown field, leaving every object alone', () => {
    const r = resolveScenario(JSON.parse('{"__proto__": {"polluted": 1}, "vm": {"constructor": {"prototype": {"polluted": 1}}}}'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.field)).toEqual(['__proto__', 'vm.constructor']);
    prototypesUnchanged();
  });

  it('should say what a file gave when text stands where a number is due', () => {
    const r = resolveScenario(JSON.parse('{"seed": "12"}'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.message).toBe('seed must be a number from 0 to 4294967295; got the text "12"');
  });
});

describe('hostile links (query strings)', () => {
  const part = fc.oneof(fc.constantFrom(...PATHS.flatMap((p) => p.split('.'))), fc.constantFrom(...HOSTILE), fc.constantFrom('4294967294', '8', '999', '-1', '0x1'), fc.string({ maxLength: 12 }));
  const qkey = fc.oneof(fc.constantFrom(...PATHS), fc.array(part, { minLength: 1, maxLength: 5 }).map((ps) => ps.join('.')));
  const qvalue = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('1', 'true', '1e309', 'aes-gcm', '4294967295', 'x'.repeat(300)));

  it('should resolve 10,000 generated query strings without throwing, polluting or naming nothing', () => {
    const seed = 20261202;
    console.log(`hostile links: fast-check seed ${seed}`);
    fc.assert(
      fc.property(fc.array(fc.tuple(qkey, qvalue), { maxLength: 10 }), (pairs) => {
        const q = new URLSearchParams(pairs).toString();
        const r = timed(() => resolveQuery(q));
        if (!r.ok) r.errors.forEach(namesItsField);
        prototypesUnchanged();
      }),
      { numRuns: 10_000, seed },
    );
  });

  it.each([
    ['__proto__.x=1', '__proto__.x'],
    ['constructor.prototype.x=1', 'constructor.prototype.x'],
    ['destinations.4294967294.speed=1', 'destinations.4294967294.speed'],
    ['vm.__proto__.polluted=1', 'vm.__proto__.polluted'],
  ])('should refuse %s naming %s, and touch no prototype', (query, field) => {
    const r = resolveQuery(query);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.field)).toEqual([field]);
    prototypesUnchanged();
  });

  it('should refuse an oversized link before reading it', () => {
    const r = resolveQuery(`seed=${'9'.repeat(9000)}`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.field).toBe('(link)');
  });
});
