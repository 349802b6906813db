/**
 * The papers' findings (findings/*.ts), one test each, on each paper's testbed: a finding recorded as
 * holding must hold, and one recorded as differing must still differ — when the model changes so that
 * it holds, this fails and the README's list of findings known to differ must lose it.
 */
import { describe, expect, it } from 'vitest';
import { FINDINGS, runner } from './index';

const run = runner();

describe('the papers’ findings', () => {
  it('should have unique ids, a quote, a tolerance and, when one differs, why', () => {
    expect(new Set(FINDINGS.map((f) => f.id)).size).toBe(FINDINGS.length);
    for (const f of FINDINGS) {
      expect(f.claim.length).toBeGreaterThan(20);
      expect(f.tolerance.length).toBeGreaterThan(5);
      if (f.expected === 'differs') expect(f.why?.length ?? 0).toBeGreaterThan(20);
    }
  });

  for (const f of FINDINGS) {
    it(`${f.paper}, ${f.where}: ${f.id} should ${f.expected === 'holds' ? 'hold' : 'still differ (known, in the README)'}`, () => {
      const r = f.check(run);
      expect({ id: f.id, holds: r.holds, model: r.model }).toEqual({ id: f.id, holds: f.expected === 'holds', model: r.model });
    });
  }
});
