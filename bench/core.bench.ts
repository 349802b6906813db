/**
 * Speed of the simulation core (a benchmark, not a test: it prints figures). Targets from the issues:
 * ≥ 20 M simulated page transfers/s; a 1 GiB pre-copy of 30 rounds in < 0.5 s.
 */
import { mustResolve, simulate, type ScenarioInput } from '../src/core/index';

interface Case {
  name: string;
  input: ScenarioInput;
}

const cases: Case[] = [
  { name: '1 GiB write-intensive pre-copy, AES (converges)', input: { workload: { kind: 'write', workingSetMiB: 128 } } },
  { name: '1 GiB write-intensive pre-copy, 3DES, 30 rounds', input: { workload: { kind: 'write', workingSetMiB: 128 }, cipher: '3des' } },
  { name: '1 GiB post-copy, write-intensive, AES', input: { workload: { kind: 'write', workingSetMiB: 128 }, migration: { algorithm: 'postcopy' } } },
];

const mib = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MiB`;
const filter = process.argv[2];
for (const c of cases) {
  if (filter && !c.name.includes(filter)) continue;
  const s = mustResolve(c.input);
  simulate(s); // warm-up: JIT
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  const runs = 5;
  let best = Infinity;
  let transfers = 0;
  let rounds = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = simulate(s);
    best = Math.min(best, performance.now() - t0);
    transfers = r.trace.sends.page.length;
    rounds = r.metrics.rounds.length;
  }
  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(
    `${c.name}\n  wall ${best.toFixed(1)} ms (best of ${runs}), ${rounds} rounds, ${transfers.toLocaleString('en')} page transfers, ` +
      `${((transfers / best) * 1000 / 1e6).toFixed(1)} M transfers/s, peak RSS ${mib(peak)} (start ${mib(before)})`,
  );
}
