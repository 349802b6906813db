/**
 * Host workers for the data plane: one Web Worker per host, wrapped with Comlink. Keeps the Worker
 * objects so they can be terminated, and turns a worker crash into a failure the run can report.
 */
import { wrap } from 'comlink';
import type { Host } from '../../workers/host/host';
import type { HostHandle } from '../runtime/data-plane';

export class HostWorkers {
  readonly #workers = new Map<number, Worker>();
  #onFailure: (message: string) => void;

  constructor(onFailure: (message: string) => void) {
    this.#onFailure = onFailure;
  }

  create = (index: number): HostHandle => {
    const w = new Worker(new URL('../../workers/host.worker.ts', import.meta.url), { type: 'module', name: `host-${index}` });
    w.addEventListener('error', (e) => this.#onFailure(`Host worker ${index} failed: ${e.message || 'it stopped'}`));
    this.#workers.set(index, w);
    return wrap<Host>(w);
  };

  dispose = (index: number): void => {
    this.#workers.get(index)?.terminate();
    this.#workers.delete(index);
  };

  disposeAll(): void {
    for (const i of [...this.#workers.keys()]) this.dispose(i);
  }
}
