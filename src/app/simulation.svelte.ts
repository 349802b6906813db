/**
 * Owns the simulation worker and the latest run. Components read `result`, `errors` and `busy`; only
 * this class talks to the worker. A newer request supersedes an older one (bursts of input collapse).
 */
import type { Remote } from 'comlink';
import type { FieldError, RunResult } from '../core/index';
import type { SimApi } from '../../workers/sim.worker';
import { WorkerGroup } from './worker-bridge';

export class Simulation {
  #api: Remote<SimApi> | null = null;
  #group: WorkerGroup | null = null;
  #ticket = 0;
  result = $state.raw<RunResult | null>(null);
  digest = $state<string | null>(null);
  wallMs = $state<number | null>(null);
  errors = $state.raw<FieldError[]>([]);
  failure = $state<string | null>(null);
  busy = $state(false);

  #connect(): Remote<SimApi> {
    if (!this.#api) {
      const group = (this.#group = new WorkerGroup());
      this.#api = group.spawn('sim', 'simulation');
      group.crashed.catch((e: Error) => {
        if (this.#group !== group) return;
        this.failure = `The simulation worker failed: ${e.message}`;
        this.busy = false;
        this.#reset();
      });
    }
    return this.#api;
  }

  #reset(): void {
    this.#group?.terminateAll();
    this.#group = null;
    this.#api = null;
  }

  /** Run a scenario input (validated in the worker by the same resolver as everywhere). */
  async run(input: unknown): Promise<void> {
    const ticket = ++this.#ticket;
    this.busy = true;
    this.failure = null;
    try {
      const outcome = await this.#connect().run(input);
      if (ticket !== this.#ticket) return;
      if (outcome.ok) {
        this.result = outcome.run;
        this.digest = outcome.digest;
        this.wallMs = outcome.wallMs;
        this.errors = [];
      } else {
        this.errors = outcome.errors;
      }
    } catch (e) {
      if (ticket === this.#ticket) {
        this.failure = `The run failed: ${(e as Error).message}`;
        this.#reset();
      }
    } finally {
      if (ticket === this.#ticket) this.busy = false;
    }
  }

  /** A run's metrics without touching the stage's result (for pinning a plotted point). */
  async metricsOf(input: unknown) {
    return this.#connect().metrics(input);
  }

  dispose(): void {
    this.#reset();
  }
}
