/**
 * The commit protocol under 10,000 random fault schedules: every message may be lost, duplicated,
 * delayed past later ones, and an attacker injects forged commits and aborts. Whatever happens, both
 * copies never run, and the destination never runs on memory that failed its check. The seed prints.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../prng';
import { DestinationSide, SourceSide } from './commit';
import { runSchedule } from './fault-schedule';

describe('commit protocol under faults', () => {
  it('should never run two copies, nor the destination on bad memory, over 10,000 fault schedules', () => {
    const seed = 20261125; // fixed, so a failure repeats; printed below
    console.log(`commit protocol: seed ${seed}`);
    const rng = new Rng(seed);
    let bothRunning = 0;
    let wrongMemory = 0;
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) {
      const r = runSchedule(rng, rng.float() < 0.8);
      bothRunning += r.bothRunning;
      wrongMemory += r.wrongMemory;
      outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1);
    }
    console.log(`commit protocol outcomes: ${[...outcomes].map(([k, v]) => `${k} ${v}`).join(', ')}`);
    expect({ bothRunning, wrongMemory }).toEqual({ bothRunning: 0, wrongMemory: 0 });
    // The schedules do reach every end: committed and running, and aborted with the source back.
    expect(outcomes.get('destroyed/running')).toBeGreaterThan(0);
    expect([...outcomes.keys()].some((k) => k.startsWith('resumed/'))).toBe(true);
  });

  it('should end in a running destination and a destroyed source when nothing is lost', () => {
    const src = new SourceSide();
    const dst = new DestinationSide();
    const [manifest] = src.start();
    const [ready] = dst.receive({ ...manifest!, matches: true });
    const [commit] = src.receive(ready!);
    const [done] = dst.receive(commit!);
    src.receive(done!);
    expect([src.state, dst.state]).toEqual(['destroyed', 'running']);
  });

  it.each([
    ['a forged commit', 'destination', { kind: 'commit', authentic: false }, 'receiving'],
    ['a forged abort', 'source', { kind: 'abort', authentic: false }, 'awaiting-ready'],
  ] as const)('should ignore %s and count it', (_what, side, m, state) => {
    const src = new SourceSide();
    const dst = new DestinationSide();
    src.start();
    const target = side === 'source' ? src : dst;
    expect(target.receive(m)).toEqual([]);
    expect(target.state).toBe(state);
    expect(target.rejected).toBe(1);
  });

  it('should let the source resume, and never the destination, when the manifest does not check out', () => {
    const src = new SourceSide();
    const dst = new DestinationSide();
    const [manifest] = src.start();
    const [abort] = dst.receive({ ...manifest!, matches: false });
    src.receive(abort!);
    expect([src.running, dst.running]).toEqual([true, false]);
  });
});
