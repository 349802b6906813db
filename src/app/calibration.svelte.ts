/**
 * Measures this browser's real AES-GCM cost in a host worker and turns it into the cost model's
 * "measured" cipher profile: the scenario's `measuredCipherBps`, at CPU speed 1.
 */
import { wrap } from 'comlink';
import type { Host } from '../../workers/host/host';

export interface CalibrationResult {
  framePages: number;
  pagesPerSecond: number;
  bytesPerSecond: number;
  microsPerCall: number;
}

export class Calibration {
  busy = $state(false);
  result = $state.raw<CalibrationResult | null>(null);
  message = $state<string | null>(null);

  async measure(framePages = 16, pages = 65_536): Promise<CalibrationResult | null> {
    this.busy = true;
    this.message = null;
    const w = new Worker(new URL('../../workers/host.worker.ts', import.meta.url), { type: 'module', name: 'calibration' });
    try {
      const r = await wrap<Host>(w).measureSeal(framePages, pages);
      this.result = { framePages, pagesPerSecond: r.pagesPerSecond, bytesPerSecond: r.bytesPerSecond, microsPerCall: r.microsPerCall };
      return this.result;
    } catch (e) {
      this.message = `Could not measure: ${(e as Error).message}`;
      return null;
    } finally {
      w.terminate();
      this.busy = false;
    }
  }
}
