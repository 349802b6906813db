/**
 * Each paper on its own testbed: the hypervisor whose mechanisms a scenario runs, resolved once per run
 * into one profile (as the cost model is) and read by the cost model and the algorithms — never by
 * comparing the scenario's `hypervisor` string in their loops. Every mechanism says where it comes from.
 */
import type { Hypervisor } from './scenario-types';

export interface TestbedProfile {
  id: Hypervisor;
  label: string;
  /** A few characters, for a tag on the stage. */
  short: string;
  /** Whose testbed it is, for captions. */
  papers: string;
  /**
   * How the stop rule's bandwidth is estimated. `window` (QEMU 7.2, migration_update_counters): bytes
   * written over the last 100 ms window. `busy-time` (qemu-kvm 0.12.3, ram_save_live):
   * `bytes_transferred += ret * TARGET_PAGE_SIZE` for every page, uniform ones included, over
   * `t0 = get_clock() - t0`, the time spent inside the call queueing pages. `none`: Xen has no estimate.
   */
  bandwidthEstimate: 'window' | 'busy-time' | 'none';
  /** When pre-copy stops: QEMU's expected-downtime rule (or the scenario's choice), or Xen's fixed limits always. */
  stopRule: 'scenario' | 'xen';
  /** Extra CPU per page in the migration thread, µs at host F's speed (see QKVM012_PAGE_US). */
  sendPageExtraUs: number;
  /**
   * An SSH tunnel as Hu et al. ran it: OpenSSH 5.9 on each end, also for the unencrypted runs (they
   * patched SSH2 with a `none` cipher so the comparison is fair), each end doing the link's network I/O
   * — so its receiving end pays the kernel's receive path and its sending end the cheaper transmit path.
   * Null: the tunnel is only the cipher (its copies folded into the cipher figure).
   */
  sshTunnel: { rxNsPerByte: number; txNsPerByte: number } | null;
  /** Fixed work of the switch-over beyond stopping the vCPUs, s at speed 1 (Xen: suspend and resume of a PV guest). */
  switchOverS: number;
  /**
   * Post-copy serves a faulting page on a connection of its own, ahead of the pushed pages (Yabusame,
   * which Hu et al. ran; QEMU 7.2 only with postcopy-preempt, the scenario's choice).
   */
  urgentChannel: boolean;
}

/**
 * The kernel's TCP receive path costs more CPU than its transmit path: with TSO and checksum offload a
 * sender hands the NIC 64 KiB at a time, a receiver handles every 1,448-byte segment (interrupt, GRO,
 * copy to user). Foong et al. (ISPASS 2003) measured ~1 GHz per Gbit/s of receive on 2003 hardware;
 * with NAPI, GRO and offloads on a 2012 kernel a quarter of that is taken here (0.6 ns a byte on host F)
 * and a third of it for transmit (0.2 ns). Model figures of that order: Hu et al. give none.
 */
export const NET_RX_NS_PER_BYTE = 0.6;
export const NET_TX_NS_PER_BYTE = 0.2;

/**
 * qemu-kvm 0.12.3's extra CPU per page in the migration thread (the whole-page scan for uniform pages and
 * the copy into its buffer): two passes over 4 KiB at a few GB/s on Hu et al.'s i3-2120, about 1.5 µs. A
 * model figure (Hu et al. give none); it sets how fast 0.12 believed its link to be, so it sets how early
 * 0.12 stopped the VM — 1.5 µs puts the actual downtime of their AES runs near the 0.2–0.6 s they measured.
 */
export const QKVM012_PAGE_US = 1.5;

/**
 * Xen 3.x/4.x's switch-over beyond pausing: the PV guest is asked to suspend through xenstore and
 * acknowledges, and the destination rebuilds the domain and reconnects its split drivers before it runs.
 * Clark et al. (NSDI 2005) report 60 ms of downtime for a lightly loaded Quake 3 server on Xen, most of it
 * this fixed work; 50 ms at host F's speed is taken here (a model figure of that order).
 */
export const XEN_SWITCH_OVER_S = 0.05;

const QEMU_7_2: TestbedProfile = {
  id: 'qemu-7.2',
  label: 'QEMU 7.2',
  short: 'QEMU 7.2',
  papers: 'today’s QEMU, validated against measured runs',
  bandwidthEstimate: 'window',
  stopRule: 'scenario',
  sendPageExtraUs: 0,
  sshTunnel: null,
  switchOverS: 0,
  urgentChannel: false,
};

const PROFILES: Record<Hypervisor, TestbedProfile> = {
  'qemu-7.2': QEMU_7_2,
  'qemu-kvm-0.12': {
    id: 'qemu-kvm-0.12',
    label: 'qemu-kvm 0.12.3 + OpenSSH 5.9 + Yabusame',
    short: 'qemu-kvm 0.12',
    papers: 'Hu et al. (2013)',
    bandwidthEstimate: 'busy-time',
    stopRule: 'scenario',
    sendPageExtraUs: QKVM012_PAGE_US,
    sshTunnel: { rxNsPerByte: NET_RX_NS_PER_BYTE, txNsPerByte: NET_TX_NS_PER_BYTE },
    switchOverS: 0,
    // Yabusame (Hirofuchi & Yamahata) answers page requests from a thread and socket of their own.
    urgentChannel: true,
  },
  xen: {
    id: 'xen',
    label: 'Xen 3.x (xc_domain_save)',
    short: 'Xen 3.x',
    papers: 'Zhang & Chen (2013), Chen et al. (2009)',
    // xc_domain_save has no bandwidth estimate: it stops after DEF_MAX_ITERS (29) iterations, when an
    // iteration sent fewer than 50 pages, or once it has sent DEF_MAX_FACTOR (3) × memory.
    bandwidthEstimate: 'none',
    stopRule: 'xen',
    sendPageExtraUs: 0,
    sshTunnel: null,
    switchOverS: XEN_SWITCH_OVER_S,
    urgentChannel: false,
  },
  'kvm-split': {
    // The prototypes extend QEMU-KVM's migration: its stop rule and estimate, with the split, remote
    // paging, FCtrans and SEmigrate mechanisms the scenario's `split` fields turn on.
    ...QEMU_7_2,
    id: 'kvm-split',
    label: 'KVM split migration (FCtrans, SEmigrate prototypes)',
    short: 'KVM split',
    papers: 'Tauchi et al. (2021), Horio et al. (2022)',
  },
};

export const HYPERVISORS = Object.keys(PROFILES) as Hypervisor[];

export function testbedProfile(id: Hypervisor): TestbedProfile {
  return PROFILES[id];
}
