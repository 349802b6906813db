/**
 * The validation view's data: the measured QEMU 7.2 runs shipped with the app (the controlled-start
 * series first, then the first series), or a runs.csv the user opens, each predicted by the model in a
 * simulation worker (the same `validateRuns` that `npm run validate` prints in Node). A refused file
 * leaves the shown set as it was and says the line and column.
 */
import runsV1 from '../core/validation/qemu-7.2/runs.csv?raw';
import runsV2 from '../core/validation/qemu-7.2-v2/runs.csv?raw';
import type { Comparison } from '../../workers/sim.worker';
import { WorkerGroup } from './worker-bridge';
import { parseTestbedFile } from '../core/validation/testbed-file';

export { TOLERANCE } from '../core/validation/compare';

export type ValidationSet = 'v2' | 'v1' | 'file';

export class Validation {
  rows = $state.raw<Comparison[]>([]);
  busy = $state(false);
  message = $state<string | null>(null);
  set = $state<ValidationSet>('v2');
  /** The file the user opened, when `set` is `file`. */
  fileName = $state<string | null>(null);
  /** The user's testbed description (name of the file), used for their runs.csv. */
  testbedName = $state<string | null>(null);
  #file: { csv: string; controlled: boolean } | null = null;
  #testbed: string | null = null;

  /** Show a set (predicting it in a worker); false when it could not be read. */
  async load(set: ValidationSet = this.set, again = false): Promise<boolean> {
    if (this.busy || (!again && set === this.set && this.rows.length)) return true;
    const csv = set === 'v2' ? runsV2 : set === 'v1' ? runsV1 : this.#file?.csv;
    if (csv === undefined) return false;
    const series = set === 'v2' || (set === 'file' && this.#file?.controlled) ? 'v2' : 'v1';
    this.busy = true;
    this.message = null;
    const group = new WorkerGroup();
    try {
      const testbed = set === 'file' ? this.#testbed : null;
      const r = await Promise.race([group.spawn('sim', 'validation').validate(csv, series, testbed), group.crashed]);
      if (r.ok) {
        this.rows = r.rows;
        this.set = set;
        return true;
      }
      this.message = `${set === 'file' ? (this.fileName ?? 'The file') : 'The measured runs'} could not be read: ${r.error}`;
    } catch (e) {
      this.message = `The validation failed: ${(e as Error).message}`;
    } finally {
      group.terminateAll();
      this.busy = false;
    }
    return false;
  }

  /** Measurements of your own: a runs.csv with the same columns (mem and channels optional). */
  async open(name: string, text: string, controlledStart: boolean): Promise<void> {
    if (text.length > 2_000_000) {
      this.message = `${name} is ${text.length.toLocaleString('en')} characters; at most 2,000,000 are read`;
      return;
    }
    const before = this.#file;
    const was = this.fileName;
    this.#file = { csv: text, controlled: controlledStart };
    this.fileName = name;
    if (!(await this.load('file', true))) {
      // Refused: what was shown stays, and so does the file it came from.
      this.#file = before;
      this.fileName = was;
      this.message = this.message?.replace(/^.*? could not be read/, `${name} could not be read`) ?? null;
    }
  }

  /**
   * A description of your testbed (testbed-file.ts: guest memory, idle zero share, cores, background
   * dirtying, start): checked here at once, then used for your runs.csv — re-predicted if one is shown.
   */
  async openTestbed(name: string, text: string): Promise<void> {
    const parsed = parseTestbedFile(text);
    if (!parsed.ok) {
      this.message = `${name} could not be read: ${parsed.error}`;
      return;
    }
    this.#testbed = text;
    this.testbedName = name;
    this.message = null;
    if (this.#file) await this.load('file', true);
  }
}
