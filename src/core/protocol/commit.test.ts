/**
 * The commit protocol under 10,000 random fault schedules: every message may be lost, duplicated,
 * delayed past later ones, and an attacker injects forged commits and aborts. Whatever happens, both
 * copies never run, and the destination never runs on memory that failed its check. The seed prints.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../prng';
import { DestinationSide, safe, SourceSide, type Message } from './commit';

interface InFlight {
  to: 'source' | 'destination';
  m: Message;
  at: number;
}

function runSchedule(rng: Rng, memoryVerified: boolean): { bothRunning: number; wrongMemory: number; outcome: string } {
  const src = new SourceSide();
  const dst = new DestinationSide();
  const loss = rng.float() * 0.6;
  const dup = rng.float() * 0.3;
  const forge = rng.float() * 0.2;
  let queue: InFlight[] = [];
  let now = 0;
  let bothRunning = 0;
  let wrongMemory = 0;
  const post = (to: 'source' | 'destination', msgs: Message[]): void => {
    for (const m of msgs) {
      // The destination's answer to a manifest says whether its memory checked out.
      const sent = m.kind === 'manifest' ? { ...m, matches: memoryVerified } : m;
      if (rng.float() < loss) continue;
      const copies = rng.float() < dup ? 2 : 1;
      for (let c = 0; c < copies; c++) queue.push({ to, m: sent, at: now + 1 + rng.int(5) });
    }
  };
  post('destination', src.start());
  for (let step = 0; step < 400; step++) {
    now++;
    // Forged messages from the attacker: commit to the destination, abort to the source, and vice versa.
    if (rng.float() < forge) queue.push({ to: rng.float() < 0.5 ? 'destination' : 'source', m: { kind: rng.float() < 0.5 ? 'commit' : 'abort', authentic: false }, at: now });
    const due = queue.filter((q) => q.at <= now);
    queue = queue.filter((q) => q.at > now);
    for (const q of due.sort(() => rng.float() - 0.5)) {
      if (q.to === 'source') post('destination', src.receive(q.m));
      else post('source', dst.receive(q.m));
    }
    if (now % 7 === 0) {
      post('destination', src.timeout());
      post('source', dst.timeout());
    }
    const s = safe(src, dst, memoryVerified);
    if (s.bothRunning) bothRunning++;
    if (s.wrongMemory) wrongMemory++;
  }
  return { bothRunning, wrongMemory, outcome: `${src.state}/${dst.state}` };
}

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
