/**
 * Measures this browser's real AES-GCM cost in a benchmark worker and turns it into the cost model's
 * "measured" cipher profile: the scenario's `measuredCipherBps`, at CPU speed 1.
 */
import { WorkerGroup } from './worker-bridge';

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

  async measure(framePages: number, pages = 65_536): Promise<CalibrationResult | null> {
    this.busy = true;
    this.message = null;
    const group = new WorkerGroup();
    try {
      const r = await Promise.race([group.spawn('bench', 'calibration').measureSeal(framePages, pages), group.crashed]);
      this.result = { framePages, pagesPerSecond: r.pagesPerSecond, bytesPerSecond: r.bytesPerSecond, microsPerCall: r.microsPerCall };
      return this.result;
    } catch (e) {
      this.message = `Could not measure: ${(e as Error).message}`;
      return null;
    } finally {
      group.terminateAll();
      this.busy = false;
    }
  }
}
