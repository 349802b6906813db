/**
 * The data plane for the UI: plays a finished simulation through real host workers (one per host and
 * channel), reports progress and what the hosts did, and answers the eavesdropper. The attack, the
 * policy and the defences come from the scenario. A failure ends the run with a message and leaves the
 * page usable for the next one.
 */
import type { RunResult } from '../core/index';
import { DataPlane, resolveChannels, type DataPlaneReport } from '../runtime/data-plane';
import { WorkerGroup } from './worker-bridge';

/** What the components show of a real run, typed here so no component reaches into the runtime or a worker. */
export type { Verification } from '../runtime/verify';
export type { WireSample } from '../../workers/host/types';

export type RealRunStatus = 'idle' | 'running' | 'done' | 'failed';

export class RealRun {
  status = $state<RealRunStatus>('idle');
  progress = $state(0);
  message = $state<string | null>(null);
  report = $state.raw<DataPlaneReport | null>(null);
  channels = $state(1);
  #plane: DataPlane | null = null;
  #group: WorkerGroup | null = null;
  #ticket = 0;

  async start(run: RunResult): Promise<void> {
    this.dispose();
    const ticket = ++this.#ticket;
    this.status = 'running';
    this.progress = 0;
    this.message = null;
    this.report = null;
    const group = (this.#group = new WorkerGroup());
    this.channels = resolveChannels(run.scenario.dataPlane.channels, globalThis.navigator?.hardwareConcurrency);
    try {
      const work = async (): Promise<DataPlaneReport> => {
        this.#plane = await DataPlane.create(run, {
          channels: this.channels,
          createHost: (h, c) => group.spawn('host', `host-${h}-${c}`),
          disposeHost: (h, c) => group.terminate(`host-${h}-${c}`),
        });
        return this.#plane.play(
          (done, total) => {
            if (ticket === this.#ticket) this.progress = done / total;
          },
          () => ticket !== this.#ticket,
        );
      };
      const report = await Promise.race([work(), group.crashed]);
      if (ticket !== this.#ticket) return;
      this.report = report;
      this.status = 'done';
    } catch (e) {
      if (ticket !== this.#ticket) return;
      this.status = 'failed';
      this.message = (e as Error).message;
      this.#teardown();
    }
  }

  async wireSample(page: number) {
    return this.#plane ? this.#plane.wireSample(page) : null;
  }

  #teardown(): void {
    this.#plane?.dispose();
    this.#plane = null;
    this.#group?.terminateAll();
    this.#group = null;
  }

  dispose(): void {
    this.#ticket++;
    this.#teardown();
    this.status = 'idle';
    // A report belongs to the run it measured; a new run must not show the old one's verdicts.
    this.report = null;
  }
}
