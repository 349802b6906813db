/**
 * Hu et al.'s testbed as scenarios (§III): qemu-kvm 0.12.3 with an OpenSSH 5.9 tunnel and Yabusame
 * post-copy, a 1 GB Ubuntu VM, Gigabit Ethernet, fast hosts F1 and F2 (i3-2120) and the slow host S
 * (Pentium E5300), the 30 ms default downtime limit. The benchmark's write rate and the VM's vCPU count
 * are not in the paper: the schema's defaults (12,288 pages/s, one vCPU) unless a finding says otherwise.
 */
import type { CipherId, ScenarioInput, WorkloadKind } from '../scenario-types';

export const F1 = { name: 'F1', speed: 1, cores: 2 } as const;
export const F2 = { name: 'F2', speed: 1, cores: 2 } as const;
/** Kernbench ratio 69.96 s / 127.39 s for the CPU; the clock ratio 2.6/3.3 GHz for table-driven ciphers. */
export const S = { name: 'S', speed: 0.55, cipherSpeed: 0.79, cores: 2 } as const;
export type HuHost = typeof F1 | typeof F2 | typeof S;
export const PAIRS = { 'F1→F2': [F1, F2], 'F1→S': [F1, S], 'S→F1': [S, F1] } as const;
export type Pair = keyof typeof PAIRS;

export interface HuRun {
  cipher?: CipherId;
  pair?: Pair;
  algorithm?: 'precopy' | 'postcopy';
  kind?: WorkloadKind;
  workingSetMiB?: number;
  touchesPerS?: number;
  vcpus?: number;
  migration?: Record<string, unknown>;
}

/** The benchmarks as workloads: the synthetic memory benchmark, Netperf and Kernbench (preset figures). */
const WORKLOADS: Record<string, { workingSetMiB: number; touchesPerS?: number }> = {
  write: { workingSetMiB: 128 },
  read: { workingSetMiB: 128 },
  network: { workingSetMiB: 32, touchesPerS: 1024 },
  cpu: { workingSetMiB: 256, touchesPerS: 2048 },
};

export function hu(r: HuRun = {}): ScenarioInput {
  const kind = r.kind ?? 'write';
  const [src, dst] = PAIRS[r.pair ?? 'F1→F2'];
  const base = WORKLOADS[kind] ?? { workingSetMiB: 128 };
  return {
    hypervisor: 'qemu-kvm-0.12',
    transport: 'ssh-tunnel',
    vm: { memoryMiB: 1024, vcpus: r.vcpus ?? 1 },
    source: { ...src },
    destinations: [{ ...dst }],
    cipher: r.cipher ?? 'aes-gcm',
    workload: { kind, workingSetMiB: r.workingSetMiB ?? base.workingSetMiB, ...(r.touchesPerS ?? base.touchesPerS ? { touchesPerS: r.touchesPerS ?? base.touchesPerS } : {}) },
    migration: { algorithm: r.algorithm ?? 'precopy', downtimeLimitMs: 30, ...r.migration },
  };
}

/** AES's cost on the migration bandwidth, % (none's bandwidth ÷ AES's − 1), as Hu et al. report it. */
export function aesOverhead(run: (i: ScenarioInput) => { ram: { mbps: number } }, r: HuRun): number {
  const none = run(hu({ ...r, cipher: 'none' })).ram.mbps;
  const aes = run(hu({ ...r, cipher: 'aes-gcm' })).ram.mbps;
  return (none / aes - 1) * 100;
}
