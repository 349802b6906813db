/**
 * The validation view's data: the measured QEMU 7.2 runs shipped with the app, each predicted by the
 * model in a simulation worker (the same `validateRuns` that `npm run validate` prints in Node).
 */
import runsCsv from '../core/validation/qemu-7.2/runs.csv?raw';
import type { Comparison } from '../../workers/sim.worker';
import { WorkerGroup } from './worker-bridge';

export { TOLERANCE } from '../core/validation/compare';

export class Validation {
  rows = $state.raw<Comparison[]>([]);
  busy = $state(false);
  message = $state<string | null>(null);

  async load(): Promise<void> {
    if (this.busy || this.rows.length) return;
    this.busy = true;
    const group = new WorkerGroup();
    try {
      const r = await Promise.race([group.spawn('sim', 'validation').validate(runsCsv), group.crashed]);
      if (r.ok) this.rows = r.rows;
      else this.message = `The measured runs could not be read: ${r.error}`;
    } catch (e) {
      this.message = `The validation failed: ${(e as Error).message}`;
    } finally {
      group.terminateAll();
      this.busy = false;
    }
  }
}
