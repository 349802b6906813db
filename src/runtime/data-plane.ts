/**
 * Plays a simulated run against real host workers: every transfer in the trace becomes a real
 * seal → link → open (or store-as-ciphertext), every guest write in the trace rewrites the source's
 * bytes, and at the end the destination side's memory is compared byte for byte with the source's.
 * If a host rejects a record the model did not expect to be attacked, the run stops with that reason.
 */
import { transfer, type Remote } from 'comlink';
import { FaultKind, PageClass, PAGE_CLASSES, type RunResult } from '../core/index';
import { PAGE_SIZE, MiB } from '../core/units';
import type { Host, HostConfig, HostStats, WireSample } from '../../workers/host/host';
import { Link, type Attack } from './link';

/** Real bytes run for VMs up to this size; larger scenarios are refused, never faked. */
export const DATA_PLANE_MAX_MIB = 1024;

export type HostHandle = Remote<Host>;

export interface DataPlaneOptions {
  /** Pages per sealed record on channels to a host that decrypts (1 = one WebCrypto call per page). */
  framePages: number;
  /** Creates host `index`'s handle (a worker in the browser; the Host class itself in Node tests). */
  createHost(index: number): HostHandle;
  /** Called when the data plane is done with a host. */
  disposeHost?(index: number): void;
  /** Pages per batch message (one message carries many records). */
  batchPages?: number;
  /**
   * Relay links through this thread so attacks can be armed (`attack`). Off by default: hosts then talk
   * over direct ports and the page's thread stays free (the eavesdropper reads the hosts' own samples).
   */
  relay?: boolean;
}

/** A channel between two hosts: relayed (attackable) or direct. */
interface Channel {
  channel: number;
  from: number;
  to: number;
  link: Link | null;
}

export interface Verification {
  verified: boolean;
  pagesChecked: number;
  /** Pages whose bytes differ (first 50). */
  differing: number[];
  /** Pages the destination side should hold but does not (first 50). */
  missing: number[];
  mismatchCount: number;
}

/** Whether the destination side may resume the VM: every commit it received was complete. */
export interface Resumption {
  allowed: boolean;
  /** Channels whose records did not all arrive (or whose commit never came). */
  incomplete: { channel: number; sent: number; accepted: number }[];
}

export interface DataPlaneReport {
  verification: Verification;
  resumption: Resumption;
  hosts: HostStats[];
  wallMs: number;
  pagesMoved: number;
  bytesOnWire: number;
  /** Rejections reported by receivers, with their reasons. */
  rejections: { host: number; reason: string; channel: number; seq: number | null }[];
}

/** Channel ids: source → destination h is h; main → sub h is 16 + h; sub h → main is 32 + h. */
export const channelOf = (from: number, to: number): number => (from === 0 ? to : from === 1 ? 16 + to : 32 + from);

export class DataPlane {
  readonly #run: RunResult;
  readonly #opts: DataPlaneOptions;
  readonly #hosts: HostHandle[] = [];
  readonly #links = new Map<number, Channel>();
  readonly #semigrate: boolean;
  #disposed = false;

  private constructor(run: RunResult, opts: DataPlaneOptions) {
    this.#run = run;
    this.#opts = opts;
    this.#semigrate = run.scenario.split.semigrate && run.scenario.cipher !== 'none';
  }

  /** Start the hosts, agree keys and wire the links. Refuses VMs above DATA_PLANE_MAX_MIB. */
  static async create(run: RunResult, opts: DataPlaneOptions): Promise<DataPlane> {
    const s = run.scenario;
    if (s.vm.memoryMiB > DATA_PLANE_MAX_MIB) {
      throw new Error(
        `Real bytes run for VMs up to ${DATA_PLANE_MAX_MIB} MiB; this one has ${s.vm.memoryMiB} MiB. ` +
          'The simulation and its numbers are complete; the host workers do not carry this run.',
      );
    }
    if (s.cipher === 'measured') throw new Error('The "measured" cipher profile is a speed, not a cipher: pick AES or 3DES for real hosts.');
    const dp = new DataPlane(run, opts);
    await dp.#setup();
    return dp;
  }

  async #setup(): Promise<void> {
    const s = this.#run.scenario;
    const t = this.#run.trace;
    const migrationId = crypto.getRandomValues(new Uint8Array(16));
    const sealedClasses = new Uint8Array(8);
    PAGE_CLASSES.forEach((c, i) => (sealedClasses[i] = !s.split.semigrate || s.vm.sensitive[c] ? 1 : 0));
    const cipher = s.cipher as HostConfig['cipher'];
    for (let i = 0; i < t.hosts.length; i++) {
      const h = this.#opts.createHost(i);
      this.#hosts.push(h);
      await h.init({
        role: i === 0 ? 'source' : i === 1 ? 'main' : 'sub',
        index: i,
        pageCount: t.pageCount,
        seed: s.seed,
        pageClass: t.pageClass,
        migrationId,
        cipher,
        sealedClasses,
        framePages: this.#opts.framePages,
        storesCiphertext: this.#semigrate && i >= 2,
      });
    }
    const agree = async (a: number, b: number): Promise<void> => {
      const [pa, pb] = await Promise.all([this.#hosts[a]!.publicKey(), this.#hosts[b]!.publicKey()]);
      await Promise.all([this.#hosts[a]!.agree(b, pb), this.#hosts[b]!.agree(a, pa)]);
    };
    const encrypted = s.cipher !== 'none';
    const subs = t.hosts.length - 2;
    if (encrypted) {
      await agree(0, 1);
      if (!this.#semigrate) for (let h = 2; h < t.hosts.length; h++) await Promise.all([agree(0, h), agree(1, h)]);
    }
    const wire = async (from: number, to: number, sendKeyPeer: number | null, recvKeyPeer: number | null, perPage: boolean): Promise<void> => {
      const channel = channelOf(from, to);
      const link = this.#opts.relay ? new Link(channel) : null;
      const direct = link ? null : new MessageChannel();
      const senderPort = link ? link.senderPort : direct!.port1;
      const receiverPort = link ? link.receiverPort : direct!.port2;
      this.#links.set(channel, { channel, from, to, link });
      await this.#hosts[from]!.attachOut(channel, transfer(senderPort, [senderPort]), encrypted ? sendKeyPeer : null, perPage);
      await this.#hosts[to]!.attachIn(channel, transfer(receiverPort, [receiverPort]), encrypted ? recvKeyPeer : null);
    };
    for (let h = 1; h < t.hosts.length; h++) {
      const keyless = this.#semigrate && h >= 2;
      await wire(0, h, keyless ? 1 : h, keyless ? null : 0, keyless);
    }
    for (let h = 2; subs > 0 && h < t.hosts.length; h++) {
      await wire(1, h, this.#semigrate ? 0 : h, this.#semigrate ? null : 1, this.#semigrate);
      await wire(h, 1, this.#semigrate ? null : 1, this.#semigrate ? 0 : h, false);
    }
  }

  /** Arm an attack on the link from host `from` to host `to` (needs `relay: true`). */
  attack(from: number, to: number, a: Attack): void {
    const link = this.#links.get(channelOf(from, to))?.link;
    if (!link) throw new Error('Attacks need a relayed link: create the data plane with relay: true');
    link.attack(a);
  }

  /** Play every transfer and guest write of the trace through the hosts. */
  async play(onProgress?: (done: number, total: number) => void, expectRejections = false): Promise<void> {
    const t = this.#run.trace;
    const { sends, dirties, faults } = t;
    const batch = this.#opts.batchPages ?? 512;
    const total = sends.page.length;
    let di = 0;
    let fi = 0;
    let phase = 0;
    let sinceFlush = 0;
    // Hosts that have been sent records since the last barrier: before such a host sends, what was
    // sent to it must have arrived (a page paged out to a sub host before it is paged back in).
    const awaited = new Set<number>();
    // Calls are dispatched without waiting (the hosts queue them); the first failure stops the run.
    let failure: unknown = null;
    const fire = (p: Promise<unknown>): void => void p.catch((e: unknown) => (failure ??= e));
    const checkRejections = (stats: HostStats[]): void => {
      if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
      const bad = stats.flatMap((st) => st.rejected);
      if (bad.length && !expectRejections) {
        const r = bad[0]!;
        throw new Error(`A host rejected a record the model sent in good faith (channel ${r.channel}, sequence ${r.seq}): ${r.reason}. The run is stopped.`);
      }
    };
    for (let i = 0; i < total; ) {
      const from = sends.from[i]!;
      const to = sends.to[i]!;
      let j = i + 1;
      while (j < total && j - i < batch && sends.from[j] === from && sends.to[j] === to) j++;
      const until = sends.time[j - 1]!;
      // The guest's writes and frees up to this batch reach the source first.
      const writes: number[] = [];
      while (di < dirties.page.length && dirties.time[di]! <= until) writes.push(dirties.page[di++]!);
      const freed: number[] = [];
      const reused: number[] = [];
      while (fi < faults.page.length && faults.time[fi]! <= until) {
        if (faults.kind[fi] === FaultKind.freed) freed.push(faults.page[fi]!);
        else if (faults.kind[fi] === FaultKind.reused) reused.push(faults.page[fi]!);
        fi++;
      }
      const source = this.#hosts[0]!;
      if (freed.length) fire(source.setClass(Uint32Array.from(freed), PageClass.free));
      if (reused.length) fire(source.setClass(Uint32Array.from(reused), PageClass.anon));
      if (writes.length) fire(source.write(Uint32Array.from(writes)));
      while (phase < t.phases.length - 1 && t.phases[phase]!.sends[1] <= i) phase++;
      if (awaited.has(from)) {
        checkRejections(await this.#barrier());
        awaited.clear();
      }
      awaited.add(to);
      const pages = sends.page.slice(i, j);
      const sender = this.#hosts[from]!;
      const channel = channelOf(from, to);
      if (from >= 2 && this.#semigrate) fire(sender.forward(channel, pages));
      else fire(sender.send(channel, pages, t.phases[phase]!.round));
      i = j;
      // Up to 32 batches (64 MiB) in flight: enough to keep sender and receiver busy at once.
      if (++sinceFlush >= 32 || i >= total) {
        sinceFlush = 0;
        checkRejections(await this.#barrier());
        awaited.clear();
        onProgress?.(i, total);
      }
    }
    // Writes after the last transfer (none in a completed run) still reach the source.
    const rest: number[] = [];
    while (di < dirties.page.length) rest.push(dirties.page[di++]!);
    if (rest.length) await this.#hosts[0]!.write(Uint32Array.from(rest));
    // The source commits each of its channels to hosts that can check it: the count of records sent.
    for (const c of this.#links.values()) if (c.from === 0 && !(this.#semigrate && c.to >= 2)) fire(this.#hosts[0]!.commit(c.channel));
    checkRejections(await this.#barrier());
  }

  /**
   * The resumption decision (Zhang & Chen): the destination side resumes only if, on every channel
   * from the source it can check, the commit arrived and every record before it was accepted.
   */
  async resumption(): Promise<Resumption> {
    const stats = await this.#barrier();
    const incomplete: Resumption['incomplete'] = [];
    for (const c of this.#links.values()) {
      if (c.from !== 0 || (this.#semigrate && c.to >= 2)) continue;
      const commit = stats[c.to]!.commits[c.channel];
      if (!commit?.complete) incomplete.push({ channel: c.channel, sent: commit?.sent ?? stats[0]!.outBy[c.channel] ?? 0, accepted: commit?.accepted ?? stats[c.to]!.acceptedBy[c.channel] ?? 0 });
    }
    return { allowed: incomplete.length === 0, incomplete };
  }

  /**
   * Wait until everything sent so far has been received and handled: every sender's records have
   * reached their link, and every record a link passed on has been processed by its receiver.
   */
  async #barrier(): Promise<HostStats[]> {
    const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
    let stats = await Promise.all(this.#hosts.map((h) => h.flush()));
    for (let spins = 0; ; spins++) {
      const pending = [...this.#links.values()].some((c) => {
        const sent = stats[c.from]!.outBy[c.channel] ?? 0;
        const received = stats[c.to]!.inBy[c.channel] ?? 0;
        return c.link ? c.link.records < sent || received < c.link.forwarded : received < sent;
      });
      if (!pending) return stats;
      if (spins > 100_000) throw new Error('The hosts stopped answering: records are stuck on a link.');
      await tick();
      stats = await Promise.all(this.#hosts.map((h) => h.flush()));
    }
  }

  /**
   * Compare the destination side's memory with the source's, byte for byte: pages on the main host
   * directly; pages on sub hosts too — SEmigrate's stored ciphertext is opened in the main host, only
   * for this check. Unused pages (FCtrans) are not expected anywhere.
   */
  async verify(): Promise<Verification> {
    const t = this.#run.trace;
    const n = t.pageCount;
    const holder = new Uint8Array(n);
    for (let i = 0; i < t.sends.page.length; i++) holder[t.sends.page[i]!] = t.sends.to[i]!;
    const cls = t.pageClass.slice();
    for (let i = 0; i < t.faults.page.length; i++) {
      if (t.faults.kind[i] === FaultKind.freed) cls[t.faults.page[i]!] = PageClass.free;
      else if (t.faults.kind[i] === FaultKind.reused || t.faults.kind[i] === FaultKind.unusedLocal) cls[t.faults.page[i]!] = PageClass.anon;
    }
    const skipUnused = this.#run.scenario.split.skipUnused;
    const differing: number[] = [];
    const missing: number[] = [];
    let mismatchCount = 0;
    let checked = 0;
    const chunk = Math.max(256, Math.floor((16 * MiB) / PAGE_SIZE));
    for (let from = 0; from < n; from += chunk) {
      const count = Math.min(chunk, n - from);
      const src = await this.#hosts[0]!.exportPages(from, count);
      const main = await this.#hosts[1]!.exportPages(from, count);
      const bySub = new Map<number, number[]>();
      for (let i = 0; i < count; i++) {
        const p = from + i;
        if (skipUnused && cls[p] === PageClass.free) continue;
        if (holder[p]! >= 2) {
          const list = bySub.get(holder[p]!);
          if (list) list.push(p);
          else bySub.set(holder[p]!, [p]);
        }
      }
      const foreign = new Map<number, Uint8Array>();
      for (const [h, list] of bySub) {
        const pages = Uint32Array.from(list);
        let bytes: Uint8Array;
        if (this.#semigrate) {
          const records = await this.#hosts[h]!.exportRecords(pages);
          bytes = await this.#hosts[1]!.openForCheck(transfer(records, records), pages);
        } else {
          const got = await this.#hosts[h]!.exportPages(from, count);
          bytes = new Uint8Array(list.length * PAGE_SIZE);
          list.forEach((p, k) => bytes.set(got.bytes.subarray((p - from) * PAGE_SIZE, (p - from + 1) * PAGE_SIZE), k * PAGE_SIZE));
        }
        list.forEach((p, k) => foreign.set(p, bytes.subarray(k * PAGE_SIZE, (k + 1) * PAGE_SIZE)));
      }
      for (let i = 0; i < count; i++) {
        const p = from + i;
        if (skipUnused && cls[p] === PageClass.free) continue;
        checked++;
        const want = src.bytes.subarray(i * PAGE_SIZE, (i + 1) * PAGE_SIZE);
        let got: Uint8Array | undefined;
        if (holder[p] === 1) got = main.present[i] ? main.bytes.subarray(i * PAGE_SIZE, (i + 1) * PAGE_SIZE) : undefined;
        else if (holder[p]! >= 2) got = foreign.get(p);
        if (!got || holder[p] === 0) {
          mismatchCount++;
          if (missing.length < 50) missing.push(p);
        } else if (!sameBytes(want, got)) {
          mismatchCount++;
          if (differing.length < 50) differing.push(p);
        }
      }
    }
    return { verified: mismatchCount === 0, pagesChecked: checked, differing, missing, mismatchCount };
  }

  async report(wallMs: number, verification: Verification): Promise<DataPlaneReport> {
    const resumption = await this.resumption();
    const hosts = await this.#barrier();
    const bytesOnWire = hosts.reduce((sum, h) => sum + h.bytesOut, 0);
    return {
      verification,
      resumption,
      hosts,
      wallMs,
      pagesMoved: this.#run.trace.sends.page.length,
      bytesOnWire,
      rejections: hosts.flatMap((h) => h.rejected.map((r) => ({ host: h.index, ...r }))),
    };
  }

  /** What crossed a link for this page most recently: asked of the host that last sent it. */
  async wireSample(page: number): Promise<WireSample | null> {
    const { sends } = this.#run.trace;
    let from = -1;
    for (let i = sends.page.length - 1; i >= 0; i--) {
      if (sends.page[i] === page) {
        from = sends.from[i]!;
        break;
      }
    }
    return from < 0 ? null : this.#hosts[from]!.wireSample(page);
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const c of this.#links.values()) c.link?.close();
    this.#hosts.forEach((_, i) => this.#opts.disposeHost?.(i));
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  const wa = new Uint32Array(a.buffer, a.byteOffset, a.length >> 2);
  const wb = new Uint32Array(b.buffer, b.byteOffset, b.length >> 2);
  for (let i = 0; i < wa.length; i++) if (wa[i] !== wb[i]) return false;
  return true;
}

