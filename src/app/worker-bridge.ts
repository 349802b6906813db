/**
 * The one way the app starts a worker: spawn it, wrap it with Comlink, turn a crash into a rejection
 * the owner can race its work against, and terminate it (or all of a group) when done. The worker
 * scripts are named here once, as Vite needs them: `new Worker(new URL(…, import.meta.url))`.
 */
import { wrap, type Remote } from 'comlink';
import type { HostApi } from '../../workers/host/api';
import type { BenchApi } from '../../workers/bench.worker';
import type { SimApi } from '../../workers/sim.worker';

export const WORKER_SCRIPTS = {
  host: (name: string) => new Worker(new URL('../../workers/host.worker.ts', import.meta.url), { type: 'module', name }),
  bench: (name: string) => new Worker(new URL('../../workers/bench.worker.ts', import.meta.url), { type: 'module', name }),
  sim: (name: string) => new Worker(new URL('../../workers/sim.worker.ts', import.meta.url), { type: 'module', name }),
} as const;

interface Apis {
  host: HostApi;
  bench: BenchApi;
  sim: SimApi;
}

/** A group of workers that live and die together (a run's hosts, a sweep's pool). */
export class WorkerGroup {
  readonly #workers = new Map<string, Worker>();
  #onCrash: (e: Error) => void = () => {};
  /** Rejects when any worker of the group crashes: race the group's work against it. */
  readonly crashed: Promise<never>;

  constructor() {
    this.crashed = new Promise<never>((_, reject) => (this.#onCrash = reject));
    // Nobody may be racing yet; an unobserved rejection must not reach the console as an error.
    this.crashed.catch(() => {});
  }

  spawn<K extends keyof Apis>(kind: K, name: string): Remote<Apis[K]> {
    const w = WORKER_SCRIPTS[kind](name);
    w.addEventListener('error', (e) => this.#onCrash(new Error(`Worker ${name} failed: ${e.message || 'it stopped'}`)));
    this.#workers.get(name)?.terminate();
    this.#workers.set(name, w);
    return wrap<Apis[K]>(w);
  }

  terminate(name: string): void {
    this.#workers.get(name)?.terminate();
    this.#workers.delete(name);
  }

  terminateAll(): void {
    for (const w of this.#workers.values()) w.terminate();
    this.#workers.clear();
  }

  get size(): number {
    return this.#workers.size;
  }
}
