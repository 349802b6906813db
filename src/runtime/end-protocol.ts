/**
 * The end of a real migration, as Zhang & Chen and Chen et al. require it. First the state that moves
 * with the VM crosses as sealed control records — the unused-page list (FCtrans), the firewall's rules
 * and connections (Chen et al.), the protection metadata of shielded processes (Zhang & Chen) — and the
 * destination applies each, refusing to resume if one fails to authenticate. Then the commit protocol:
 * the source's manifest (per channel, the pages sent and a digest of their versions), the destination's
 * READY or ABORT, the source's COMMIT, DONE. The state machines are the core's (`protocol/commit.ts`,
 * proven safe over 10,000 fault schedules); here every message is a real record sealed by one host
 * worker and opened by the other, carried by this thread, where the attacker may drop, delay or forge it.
 */
import {
  decodeContext, decodeProcesses, DestinationSide, encodeContext, encodeProcesses, endOfRun, Firewall, makeContext, makeProtectedProcesses,
  PageClass, safe, sameProcesses, SourceSide, type DestinationState, type ProtocolMessage, type SourceState,
} from '../core/index';
import { transfer } from 'comlink';
import { byChannel } from '../../workers/host/slice';
import type { ControlKind, HostStats } from '../../workers/host/types';
import type { Topology } from './topology';

/** Which way a control message travels. */
export type Direction = 'to-destination' | 'to-source';

/**
 * The attacker's hand on control messages: given one (its kind, which way, how many of that kind went
 * before), return what arrives — the record itself, nothing (dropped), forged records, or a delay in
 * protocol ticks. Forged records are built by `forge` from what an observer sees in clear headers.
 */
export type ControlTamper = (m: { kind: ControlKind; direction: Direction; n: number; parts: ArrayBuffer[]; forge: Forge; arrived: () => Promise<Uint8Array> }) => Promise<Delivery[]>;
export type Forge = (kind: ControlKind, direction: Direction, payload: Uint8Array) => Promise<ArrayBuffer[]>;
export interface Delivery {
  parts: ArrayBuffer[];
  /** Protocol ticks before it arrives (0: now). */
  delay: number;
  /** Sent the other way (a forgery aimed at the other side); default: the way the message was going. */
  direction?: Direction;
}

export interface StateItemReport {
  kind: 'unused-list' | 'security-context' | 'protection-metadata';
  /** Opened and authentic at the destination. */
  accepted: boolean;
  /** What the destination installed matches what the source sent. */
  intact: boolean;
  detail: string;
}

export interface ManifestEntry {
  link: number;
  channel: number;
  sentPages: number;
  acceptedPages: number;
  equal: boolean;
}

export interface EndReport {
  items: StateItemReport[];
  manifest: ManifestEntry[];
  manifestMatches: boolean;
  /** Established connections the destination's firewall still passes (null: no context to move). */
  flowsSurvive: number | null;
  source: SourceState;
  destination: DestinationState;
  /** Where the VM runs now. */
  vmRunsAt: 'source' | 'destination' | 'both' | 'nowhere';
  /** The invariant, watched at every step: was it ever broken? */
  bothRunningEver: boolean;
  wrongMemoryEver: boolean;
  /** Forged or tampered control messages each side refused. */
  refusedAtSource: number;
  refusedAtDestination: number;
  log: string[];
}

const TICKS = 400;
const QUIET_TICKS_BEFORE_TIMEOUT = 3;

/** Run the end of the migration. `memoryVerified` is the byte-for-byte truth, for the invariant only. */
export async function endProtocol(top: Topology, memoryVerified: () => Promise<boolean>, opts: { tamper?: ControlTamper; abortedByDestination: boolean }): Promise<EndReport> {
  const s = top.run.scenario;
  const log: string[] = [];
  const src = top.hosts[0]![0]!;
  const main = top.hosts[1]![0]!;
  const LINK = 1;
  const counts = new Map<string, number>();
  const forge: Forge = async (kind, direction, payload) => {
    // An attacker's control record: the clear header of a genuine one (migration id, channel: seen on the wire), no valid tag.
    const genuine = direction === 'to-destination' ? await src.control(LINK, kind, payload) : await main.control(LINK, kind, payload);
    const head = new Uint8Array(genuine[0]!);
    head[5] = 0; // protection flag: clear (the attacker has no key)
    return [head.buffer as ArrayBuffer, payload.slice().buffer as ArrayBuffer];
  };
  /** Seal on one side, carry (through the attacker), open on the other; the authentic messages that arrived. */
  const arrived = async (): Promise<Uint8Array> => encodeManifest(acceptedSummary(top, await Promise.all(top.hosts.map((row) => Promise.all(row.map((h) => h.flush()))))));
  const carry = async (kind: ControlKind, direction: Direction, payload: Uint8Array): Promise<{ delay: number; direction: Direction; opened: { kind: ControlKind; payload: Uint8Array } | null }[]> => {
    const parts = direction === 'to-destination' ? await src.control(LINK, kind, payload) : await main.control(LINK, kind, payload);
    const key = `${kind}/${direction}`;
    const n = counts.get(key) ?? 0;
    counts.set(key, n + 1);
    const deliveries: Delivery[] = opts.tamper ? await opts.tamper({ kind, direction, n, parts, forge, arrived }) : [{ parts, delay: 0 }];
    if (deliveries.length === 0) log.push(`the attacker dropped a ${kind} record`);
    const out: { delay: number; direction: Direction; opened: { kind: ControlKind; payload: Uint8Array } | null }[] = [];
    for (const d of deliveries) {
      const way = d.direction ?? direction;
      const receiver = way === 'to-destination' ? main : src;
      const r = await receiver.openControl(LINK, transfer(d.parts, d.parts));
      out.push({ delay: d.delay, direction: way, opened: r.ok && r.authenticated ? { kind: r.kind, payload: r.payload } : null });
      if (!(r.ok && r.authenticated)) log.push(`${way === 'to-destination' ? 'destination' : 'source'} refused a ${kind} record: ${r.ok ? 'not authenticated' : r.reason}`);
    }
    return out;
  };

  // 1. The state that moves with the VM.
  const items: StateItemReport[] = [];
  let flowsSurvive: number | null = null;
  const { holder, classAtEnd } = endOfRun(top.run.trace);
  if (s.split.skipUnused) {
    const free: number[] = [];
    for (let p = 0; p < classAtEnd.length; p++) if (classAtEnd[p] === PageClass.free) free.push(p);
    const sent = Uint32Array.from(free);
    const got = (await carry('unused-list', 'to-destination', new Uint8Array(sent.buffer))).find((x) => x.opened)?.opened ?? null;
    const list = got && got.payload.length % 4 === 0 ? new Uint32Array(got.payload.slice().buffer) : null;
    const valid = list !== null && list.every((p) => p < top.run.trace.pageCount);
    if (valid) {
      // The destination drops what the list calls unused (FCtrans never keeps a free page).
      const held = list.filter((p) => holder[p] !== 0);
      const parts = byChannel(Uint32Array.from(held), top.channels);
      for (let h = 1; h < top.hosts.length; h++) for (let c = 0; c < top.channels; c++) if (parts[c]!.length) await top.hosts[h]![c]!.discard(parts[c]!);
    }
    const intact = valid && list.length === sent.length && list.every((p, i) => p === sent[i]);
    items.push({ kind: 'unused-list', accepted: valid, intact, detail: valid ? `${list.length} pages marked unused (${sent.length} sent)` : 'refused' });
  }
  const rules = s.vm.firewallRules;
  const conns = s.vm.firewallConnections;
  if (rules + conns > 0) {
    const ctx = makeContext(s.seed, rules, conns);
    const fw = new Firewall();
    let accepted = false;
    let intact = false;
    if (s.security.migrateContext) {
      const got = (await carry('security-context', 'to-destination', encodeContext(ctx))).find((x) => x.opened)?.opened ?? null;
      const decoded = got ? decodeContext(got.payload) : null;
      if (decoded) {
        fw.install(decoded);
        accepted = true;
        intact = JSON.stringify(decoded) === JSON.stringify(ctx);
      }
    }
    const alive = ctx.connections.filter((c) => fw.allowsEstablished(c)).length;
    flowsSurvive = conns === 0 ? 1 : alive / conns;
    items.push({
      kind: 'security-context', accepted, intact,
      detail: s.security.migrateContext ? `${fw.connections} of ${conns} connections tracked at the destination` : 'not moved: the destination starts with an empty connection table',
    });
  }
  if (s.security.protectedProcesses > 0) {
    const procs = makeProtectedProcesses(s.seed, s.security.protectedProcesses, top.run.trace.pageCount);
    const got = (await carry('protection-metadata', 'to-destination', encodeProcesses(procs))).find((x) => x.opened)?.opened ?? null;
    const decoded = got ? decodeProcesses(got.payload) : null;
    items.push({ kind: 'protection-metadata', accepted: decoded !== null, intact: decoded !== null && sameProcesses(decoded, procs), detail: decoded ? `${decoded.length} protected processes installed` : 'refused' });
  }
  // A security-context item is only required when it is meant to move.
  const itemsOk = items.every((i) => i.accepted || (i.kind === 'security-context' && !s.security.migrateContext));

  // 2. The manifest: what the source sent on each of its links and channels, against what arrived.
  const stats = await Promise.all(top.hosts.map((row) => Promise.all(row.map((h) => h.flush()))));
  const manifest = manifestOf(top, stats);
  // Pages the main host asked sub hosts for and never got back valid: it cannot run without them.
  const pagesOwed = stats.slice(1).flat().reduce((n, h) => n + h.pendingPageIns, 0);
  if (pagesOwed) log.push(`the destination is still owed ${pagesOwed} pages by its sub hosts`);
  const manifestMatches = manifest.every((m) => m.equal);
  const verified = await memoryVerified();

  // 3. The commit protocol, over real sealed records.
  const source = new SourceSide();
  const destination = new DestinationSide();
  let bothRunningEver = false;
  let wrongMemoryEver = false;
  const watch = (): void => {
    const v = safe(source, destination, verified);
    bothRunningEver ||= v.bothRunning;
    wrongMemoryEver ||= v.wrongMemory;
  };
  type InFlight = { at: number; direction: Direction; kind: ControlKind; payload: Uint8Array };
  let queue: InFlight[] = [];
  let tick = 0;
  const payloadOf = (m: ProtocolMessage): Uint8Array => (m.kind === 'manifest' ? encodeManifest(sentSummary(top, stats)) : Uint8Array.of(m.matches === false ? 0 : 1));
  const held = acceptedSummary(top, stats);
  const send = async (ms: ProtocolMessage[], direction: Direction): Promise<void> => {
    for (const m of ms) {
      for (const d of await carry(m.kind, direction, payloadOf(m))) {
        if (d.opened) queue.push({ at: tick + d.delay, direction: d.direction, kind: d.opened.kind, payload: d.opened.payload });
      }
    }
  };
  if (opts.abortedByDestination) {
    destination.state = 'aborted';
    log.push('the destination aborted the migration: too many bad records');
    await send([{ kind: 'abort', authentic: true }], 'to-source');
  }
  await send(source.start(), 'to-destination');
  let quiet = 0;
  for (; tick < TICKS; tick++) {
    const due = queue.filter((m) => m.at <= tick);
    queue = queue.filter((m) => m.at > tick);
    for (const m of due) {
      if (m.direction === 'to-destination') {
        // The destination checks a manifest against what it holds: every page version that was sent arrived.
        const matches = m.kind === 'manifest' ? sameSummary(decodeManifest(m.payload), held) && itemsOk && pagesOwed === 0 && !opts.abortedByDestination : undefined;
        await send(destination.receive({ kind: m.kind as ProtocolMessage['kind'], authentic: true, matches }), 'to-source');
      } else await send(source.receive({ kind: m.kind as ProtocolMessage['kind'], authentic: true, matches: true }), 'to-destination');
      log.push(`${m.direction === 'to-destination' ? 'destination' : 'source'} got ${m.kind}: source ${source.state}, destination ${destination.state}`);
      watch();
    }
    const settled = (source.state === 'destroyed' && destination.state === 'running') || (source.state === 'resumed' && destination.state === 'aborted');
    if (settled && queue.length === 0) break;
    if (due.length === 0 && queue.length === 0 && ++quiet >= QUIET_TICKS_BEFORE_TIMEOUT) {
      quiet = 0;
      await send(source.timeout(), 'to-destination');
      await send(destination.timeout(), 'to-source');
      watch();
    } else if (due.length) quiet = 0;
  }
  const sRun = source.running;
  const dRun = destination.running;
  const rejected = (h: HostStats[]): number => h.reduce((n, x) => n + x.rejected.filter((r) => r.link === LINK).length, 0);
  const after = await Promise.all([src.flush(), main.flush()]);
  return {
    items, manifest, manifestMatches, flowsSurvive,
    source: source.state, destination: destination.state,
    vmRunsAt: sRun && dRun ? 'both' : sRun ? 'source' : dRun ? 'destination' : 'nowhere',
    bothRunningEver, wrongMemoryEver,
    refusedAtSource: rejected([after[0]]) - rejected([stats[0]![0]!]),
    refusedAtDestination: rejected([after[1]]) - rejected([stats[1]![0]!]),
    log,
  };
}

/** Per link from the source and per channel: [link, channel, pages, digest of (page, version) pairs]. */
type Summary = [number, number, number, string][];
const EMPTY_DIGEST = '0'.repeat(16);

function summary(top: Topology, stats: HostStats[][], side: 'sent' | 'accepted'): Summary {
  const out: Summary = [];
  for (const l of top.links) {
    if (l.from !== 0) continue;
    for (let c = 0; c < top.channels; c++) {
      const x = side === 'sent' ? stats[0]![c]!.sent[l.link] : stats[l.to]![c]!.accepted[l.link];
      out.push([l.link, c, x?.pages ?? 0, x?.digest ?? EMPTY_DIGEST]);
    }
  }
  return out;
}
export const sentSummary = (top: Topology, stats: HostStats[][]): Summary => summary(top, stats, 'sent');
export const acceptedSummary = (top: Topology, stats: HostStats[][]): Summary => summary(top, stats, 'accepted');
export const encodeManifest = (m: Summary): Uint8Array => new TextEncoder().encode(JSON.stringify(m));

/** A manifest from a record's payload (shape checked; null when it is not one). */
function decodeManifest(bytes: Uint8Array): Summary | null {
  if (bytes.length > 1 << 20) return null;
  try {
    const v = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    const ok = Array.isArray(v) && v.every((e) => Array.isArray(e) && e.length === 4 && Number.isInteger(e[0]) && Number.isInteger(e[1]) && Number.isInteger(e[2]) && typeof e[3] === 'string');
    return ok ? (v as Summary) : null;
  } catch {
    return null;
  }
}

function sameSummary(a: Summary | null, b: Summary): boolean {
  return a !== null && a.length === b.length && a.every((e, i) => e.every((x, k) => x === b[i]![k]));
}

function manifestOf(top: Topology, stats: HostStats[][]): ManifestEntry[] {
  const got = acceptedSummary(top, stats);
  return sentSummary(top, stats).map(([link, channel, pages, digest], i) => ({ link, channel, sentPages: pages, acceptedPages: got[i]![2], equal: pages === got[i]![2] && digest === got[i]![3] }));
}
