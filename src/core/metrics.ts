/**
 * A run's numbers. Names follow QEMU's `query-migrate` where QEMU has one (times in ms, `ram.*` counts
 * in pages or bytes as QEMU reports them); the rest are Migrascope's own and documented here.
 */

export type MigrationStatus = 'completed' | 'cancelled';

export interface HostUsage {
  name: string;
  /** Average utilisation of the host's cores over the migration, 0–1. */
  cpu: number;
  /** The same before it is shown as at most 1: the CPU work the model charged ÷ cores × time (a property test holds it ≤ 1). */
  demand: number;
  /** Share of that utilisation spent on encryption or decryption, 0–1. */
  cipherShare: number;
  /** Share spent moving pages (scanning, copying, sockets, apart from the cipher), 0–1. */
  copyShare: number;
  /** Cipher operations (seal or open) the host performed, in pages. */
  seals: number;
  opens: number;
}

export interface RoundSummary {
  round: number;
  pages: number;
  dirtied: number;
  seconds: number;
  expectedDowntimeMs: number | null;
  throttle: number;
}

export interface Metrics {
  status: MigrationStatus;
  /** Whether the live phase met its stop rule (false: a cap forced stop-and-copy, or cancelled). */
  converged: boolean;
  'total-time': number;
  /** QEMU's downtime: from pausing the VM until the source has written its last byte, ms. */
  downtime: number;
  /** Until the guest runs again on the destination (the last byte received and loaded), ms. */
  guestDowntime: number;
  'expected-downtime': number | null;
  'setup-time': number;
  ram: {
    transferred: number;
    total: number;
    normal: number;
    duplicate: number;
    skipped: number;
    'dirty-sync-count': number;
    'dirty-pages-rate': number;
    mbps: number;
    'postcopy-requests': number;
  };
  /** vCPU and device state, plus the security context's connection table, sent while paused, bytes. */
  stateBytes: number;
  /** Post-copy: first touches of pages that had already arrived. */
  minorFaults: number;
  /** Link time the unused pages would have taken had they been sent (FCtrans's saving), ms. */
  skippedSavedMs: number;
  rounds: RoundSummary[];
  hosts: HostUsage[];
  workload: {
    /** Work done during migration ÷ work it would have done undisturbed on the source, same wall time. */
    progress: number;
    /** 1 − progress, as a percentage. */
    slowdownPct: number;
    /** Time the guest spent stalled on network faults, ms. */
    stallMs: number;
  };
  /** Split migration and remote paging (null for single-destination runs). */
  split: SplitMetrics | null;
}

export interface SplitMetrics {
  perHost: { name: string; pages: number; bytes: number; seconds: number }[];
  remoteFaultsPerS: number;
  pageOutsPerS: number;
  avgFaultLatencyMs: number;
  /** Memory-access performance relative to running on one large host, 0–1. */
  accessPerformance: number;
  unusedServedLocally: number;
  freedDuringRun: number;
  reusedAfterFree: number;
  /** Decryptions performed by sub hosts (SEmigrate: always 0). */
  subHostDecryptions: number;
  /** Guest memory touches simulated during remote paging. */
  touches: number;
}
