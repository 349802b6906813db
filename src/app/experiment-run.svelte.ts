/**
 * Runs an experiment in a pool of simulation workers (one per core, via Comlink): points are dealt in
 * small batches so results appear as they finish, the page stays responsive, and cancel stops the pool
 * at once (its workers are terminated). The newest experiment supersedes an older one.
 */
import { checkExperiment, expandExperiment, type ExperimentSpec, type PointResult } from '../core/index';
import { WorkerGroup } from './worker-bridge';

/**
 * Points per message: small enough that the last worker to finish is not left with a long batch while
 * the others idle (runs differ 50× in cost: a capped 3DES pre-copy against an idle guest), large
 * enough that a 2,000-point sweep is not 2,000 round trips.
 */
export function batchSize(points: number, workers: number): number {
  return Math.max(1, Math.min(8, Math.floor(points / (workers * 16))));
}

export class ExperimentRun {
  results = $state.raw<PointResult[]>([]);
  done = $state(0);
  total = $state(0);
  running = $state(false);
  errors = $state.raw<string[]>([]);
  wallMs = $state<number | null>(null);
  #group: WorkerGroup | null = null;
  #ticket = 0;

  async start(spec: ExperimentSpec, workers = Math.max(1, Math.min(8, globalThis.navigator?.hardwareConcurrency ?? 2))): Promise<void> {
    this.cancel();
    const ticket = ++this.#ticket;
    this.errors = checkExperiment(spec);
    this.results = [];
    this.wallMs = null;
    if (this.errors.length) return;
    const points = expandExperiment(spec);
    this.total = points.length;
    this.done = 0;
    this.running = true;
    const group = (this.#group = new WorkerGroup());
    const t0 = performance.now();
    let next = 0;
    const size = batchSize(points.length, workers);
    const collected: PointResult[] = [];
    const lane = async (i: number): Promise<void> => {
      const api = group.spawn('sim', `experiment-${i}`);
      while (next < points.length && ticket === this.#ticket) {
        const batch = points.slice(next, (next += size));
        const got = await api.points(batch, spec.y);
        if (ticket !== this.#ticket) return;
        collected.push(...got);
        this.results = collected.slice();
        this.done = collected.length;
      }
    };
    try {
      await Promise.race([Promise.all(Array.from({ length: Math.min(workers, points.length) }, (_, i) => lane(i))), group.crashed]);
      if (ticket === this.#ticket) this.wallMs = performance.now() - t0;
    } catch (e) {
      if (ticket === this.#ticket) this.errors = [(e as Error).message];
    } finally {
      if (ticket === this.#ticket) {
        this.running = false;
        group.terminateAll();
      }
    }
  }

  cancel(): void {
    this.#ticket++;
    this.#group?.terminateAll();
    this.#group = null;
    this.running = false;
  }
}
