/**
 * The data plane for the UI: plays a finished simulation through real host workers, reports progress,
 * the verification and what the hosts did, and answers the eavesdropper. A failure ends the run with a
 * message and leaves the page usable for the next one.
 */
import type { RunResult } from '../core/index';
import { DataPlane, type DataPlaneReport } from '../runtime/data-plane';
import type { Attack } from '../runtime/link';
import type { WireSample } from '../../workers/host/host';
import { HostWorkers } from './host-workers';

export type RealRunStatus = 'idle' | 'running' | 'done' | 'failed';

export class RealRun {
  status = $state<RealRunStatus>('idle');
  progress = $state(0);
  message = $state<string | null>(null);
  report = $state.raw<DataPlaneReport | null>(null);
  #plane: DataPlane | null = null;
  #workers: HostWorkers | null = null;
  #ticket = 0;

  /** Play `run` through real hosts; with `attack`, an attacker on the source → main link does it. */
  async start(run: RunResult, framePages: number, attack: Attack | null = null): Promise<void> {
    this.dispose();
    const ticket = ++this.#ticket;
    this.status = 'running';
    this.progress = 0;
    this.message = null;
    this.report = null;
    let crashed: string | null = null;
    // A worker that crashes never answers again: the run races its work against that news.
    let onCrash: (e: Error) => void = () => {};
    const crash = new Promise<never>((_, reject) => (onCrash = reject));
    this.#workers = new HostWorkers((m) => {
      crashed ??= m;
      onCrash(new Error(m));
    });
    try {
      const t0 = performance.now();
      const work = async (): Promise<DataPlaneReport> => {
        this.#plane = await DataPlane.create(run, { framePages, relay: attack !== null, createHost: this.#workers!.create, disposeHost: this.#workers!.dispose });
        if (attack) this.#plane.attack(0, 1, attack);
        await this.#plane.play((done, total) => {
          if (ticket === this.#ticket) this.progress = done / total;
        }, attack !== null);
        const verification = await this.#plane.verify();
        return this.#plane.report(performance.now() - t0, verification);
      };
      const report = await Promise.race([work(), crash]);
      if (ticket !== this.#ticket) return;
      this.report = report;
      this.status = 'done';
    } catch (e) {
      if (ticket !== this.#ticket) return;
      this.status = 'failed';
      this.message = crashed ?? (e as Error).message;
      this.#teardown();
    }
  }

  async wireSample(page: number): Promise<WireSample | null> {
    return this.#plane ? this.#plane.wireSample(page) : null;
  }

  #teardown(): void {
    this.#plane?.dispose();
    this.#plane = null;
    this.#workers?.disposeAll();
    this.#workers = null;
  }

  dispose(): void {
    this.#ticket++;
    this.#teardown();
    this.status = 'idle';
  }
}
