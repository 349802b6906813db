/**
 * Playing a simulated run through the hosts: every guest write rewrites the source's bytes, every
 * transfer becomes a real seal → link → open (or store) on the channel that owns the page. Senders are
 * paced by credit inside the workers, so the page thread only keeps a few commands queued per worker;
 * the one wait on the whole system is before a host passes on pages it received (remote paging), which
 * must have arrived first.
 */
import { FaultKind, PageClass, SendFlag, type RunResult } from '../core/index';
import { byChannel } from '../../workers/host/slice';
import type { HostStats } from '../../workers/host/types';
import { linkOf, type Topology } from './topology';

/** Commands a page-thread keeps outstanding per channel worker before waiting for the oldest. */
const IN_FLIGHT = 6;

export interface ReplayHooks {
  /** Before a page the destination asked for in post-copy is sent: carry its authenticated request. */
  request?: (page: number) => Promise<boolean>;
  /** Progress, 0–1. */
  progress?: (done: number, total: number) => void;
  /** Stop early (the run was superseded or a host failed, or the destination aborted). */
  stopped?: () => boolean;
  /** Before a sub host hands pages back to the main host (an untrusted sub host acts here). */
  beforePageIn?: (subHost: number, pages: Uint32Array) => Promise<void>;
}

export async function replay(top: Topology, run: RunResult, batchPages: number, hooks: ReplayHooks = {}): Promise<void> {
  const tr = run.trace;
  const { sends, dirties, faults } = tr;
  const N = top.channels;
  const total = sends.page.length;
  const pending = new Map<string, Promise<unknown>[]>();
  let failure: unknown = null;
  const queue = async (host: number, channel: number, p: Promise<unknown>): Promise<void> => {
    p.catch((e: unknown) => (failure ??= e));
    const key = `${host}/${channel}`;
    const list = pending.get(key) ?? [];
    list.push(p);
    pending.set(key, list);
    if (list.length > IN_FLIGHT) await list.shift();
  };
  const toSource = async (pages: number[], act: (c: number, list: Uint32Array) => Promise<unknown>): Promise<void> => {
    if (!pages.length) return;
    const parts = byChannel(Uint32Array.from(pages), N);
    for (let c = 0; c < N; c++) if (parts[c]!.length) await queue(0, c, act(c, parts[c]!));
  };
  // Hosts that have been sent records since the last barrier: before such a host sends, its inbound must drain.
  const fed = new Set<number>();
  let di = 0;
  let fi = 0;
  let phase = 0;
  for (let i = 0; i < total; ) {
    if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
    if (hooks.stopped?.()) return;
    const from = sends.from[i]!;
    const to = sends.to[i]!;
    let j = i + 1;
    while (j < total && j - i < batchPages && sends.from[j] === from && sends.to[j] === to) j++;
    const until = sends.time[j - 1]!;
    // The guest's writes, frees, reuses and first touches up to this batch reach the source first.
    const writes: number[] = [];
    while (di < dirties.page.length && dirties.time[di]! <= until) writes.push(dirties.page[di++]!);
    const byClass = new Map<number, number[]>();
    while (fi < faults.page.length && faults.time[fi]! <= until) {
      const k = faults.kind[fi];
      const p = faults.page[fi]!;
      const cls = k === FaultKind.freed ? PageClass.free : k === FaultKind.reused ? PageClass.anon : k === FaultKind.allocated ? (tr.touchClass?.[p] ?? PageClass.anon) : -1;
      if (cls >= 0) byClass.set(cls, [...(byClass.get(cls) ?? []), p]);
      fi++;
    }
    for (const [cls, pages] of byClass) await toSource(pages, (c, l) => top.hosts[0]![c]!.setClass(l, cls));
    await toSource(writes, (c, l) => top.hosts[0]![c]!.write(l));
    while (phase < tr.phases.length - 1 && tr.phases[phase]!.sends[1] <= i) phase++;
    if (fed.has(from)) {
      await barrier(top, pending);
      fed.clear();
    }
    fed.add(to);
    const pages = sends.page.slice(i, j);
    const link = linkOf(from, to);
    if (hooks.request) {
      // Post-copy: a page the destination asked for goes only once its request checks out.
      for (let k = i; k < j; k++) if (sends.flags[k]! & SendFlag.requested && from === 0) await hooks.request(sends.page[k]!);
    }
    const parts = byChannel(pages, N);
    const pageIn = from >= 2 && top.semigrate;
    if (pageIn) await hooks.beforePageIn?.(from, pages);
    for (let c = 0; c < N; c++) {
      const list = parts[c]!;
      if (!list.length) continue;
      const host = top.hosts[from]![c]!;
      // The main host names the pages it asks for before the sub host answers: only those may come back.
      if (pageIn) await top.hosts[to]![c]!.expectPageIns(list);
      await queue(from, c, pageIn ? host.forward(link, list) : host.send(link, list, tr.phases[phase]!.round));
    }
    i = j;
    hooks.progress?.(i, total);
  }
  await barrier(top, pending);
  if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
}

/**
 * Wait until everything sent so far has been received and handled: every command done, every sender's
 * records posted, and every record that reached a receiver processed (relayed links count what they
 * passed on, which an attacker may have changed).
 */
export async function barrier(top: Topology, pending?: Map<string, Promise<unknown>[]>): Promise<HostStats[][]> {
  if (pending) {
    for (const list of pending.values()) await Promise.allSettled(list.splice(0));
  }
  const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
  for (let spins = 0; ; spins++) {
    const stats = await Promise.all(top.hosts.map((row) => Promise.all(row.map((h) => h.flush()))));
    const stuck = top.links.some((l) => {
      for (let c = 0; c < top.channels; c++) {
        const sent = stats[l.from]![c]!.sent[l.link]?.records ?? 0;
        const got = stats[l.to]![c]!.accepted[l.link]?.records ?? 0;
        const relay = l.relays[c];
        if (relay ? relay.records < sent || got < relay.forwarded : got < sent) return true;
      }
      return false;
    });
    if (!stuck) return stats;
    if (spins > 20_000) throw new Error('The hosts stopped answering: records are stuck on a link.');
    await tick();
  }
}
