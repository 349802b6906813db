/**
 * One random fault schedule for the commit protocol: every message may be lost, duplicated, delayed
 * past later ones, and an attacker injects forged commits and aborts (Zhang & Chen's timing, replay and
 * resumption-order attacks). Counts the steps at which both copies ran, or the destination ran on
 * memory that failed its check. Shared by the protocol's tests and the paper's finding.
 */
import type { Rng } from '../prng';
import { DestinationSide, safe, SourceSide, type Message } from './commit';

interface InFlight {
  to: 'source' | 'destination';
  m: Message;
  at: number;
}

export function runSchedule(rng: Rng, memoryVerified: boolean): { bothRunning: number; wrongMemory: number; outcome: string } {
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

