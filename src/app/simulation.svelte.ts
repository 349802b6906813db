/**
 * Owns the simulation worker and the latest run. Components read `result`, `errors` and `busy`; only
 * this class talks to the worker. Bursts of input collapse: while one run is in the worker, only the
 * newest request waits behind it (a dragged slider sends many; the ones in between are never run), and
 * each finished run is shown at once, so the stage follows the drag.
 */
import type { Remote } from 'comlink';
import type { FieldError, RunResult } from '../core/index';
import type { SimApi } from '../../workers/sim.worker';
import { WorkerGroup } from './worker-bridge';

export class Simulation {
  #api: Remote<SimApi> | null = null;
  #group: WorkerGroup | null = null;
  #ticket = 0;
  #latest: unknown = null;
  #pump: Promise<void> | null = null;
  /** Called with each run this class adopts, before `run()` resolves (the session builds its player here). */
  onresult: ((run: RunResult) => void) | null = null;
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

  /**
   * Run a scenario input (validated in the worker by the same resolver as everywhere). Resolves once the
   * newest input given so far has run (or failed).
   */
  run(input: unknown): Promise<void> {
    ++this.#ticket;
    this.#latest = input;
    this.busy = true;
    this.failure = null;
    this.#pump ??= this.#drain().finally(() => {
      this.#pump = null;
    });
    return this.#pump;
  }

  async #drain(): Promise<void> {
    let done = -1;
    while (done !== this.#ticket) {
      const ticket = this.#ticket;
      const input = this.#latest;
      try {
        const outcome = await this.#connect().run(input);
        if (outcome.ok) {
          this.result = outcome.run;
          this.digest = outcome.digest;
          this.wallMs = outcome.wallMs;
          this.errors = [];
          this.onresult?.(outcome.run);
        } else if (ticket === this.#ticket) {
          this.errors = outcome.errors;
        }
      } catch (e) {
        if (ticket === this.#ticket) {
          this.failure = `The run failed: ${(e as Error).message}`;
          this.#reset();
        }
      }
      done = ticket;
    }
    this.busy = false;
  }

  /** A run's metrics without touching the stage's result (for pinning a plotted point). */
  async metricsOf(input: unknown) {
    return this.#connect().metrics(input);
  }

  dispose(): void {
    this.#reset();
  }
}
