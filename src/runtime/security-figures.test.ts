/**
 * The security lab's figures, each a test that prints its seed: bit flips, replays and splices by the
 * thousand against a receiving link; the replay window's edges; nonce uniqueness over 100 migrations;
 * handshake negatives with their positive twins; canaries on the wire; firewall flows that survive.
 */
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../core/units';
import { Rng } from '../core/prng';
import { deriveKey, newKeyPair, publicRaw } from '../../workers/crypto/keys';
import { recordChannel, sealRecordParts, type RecordHeader, type SessionKey } from '../../workers/crypto/record';
import { ReplayWindow } from '../../workers/crypto/replay-window';
import { Inbound } from '../../workers/host/inbound';
import type { ScenarioInput } from '../core/index';
import { playThrough, small } from './node-hosts';

const SEED = 20261125;
const migrationId = new Uint8Array(16).fill(3);
const CHANNEL = recordChannel(1, 0);

async function keys(): Promise<[SessionKey, SessionKey]> {
  const a = await newKeyPair();
  const b = await newKeyPair();
  return [await deriveKey(a, await publicRaw(b), migrationId, 'aes-gcm'), await deriveKey(b, await publicRaw(a), migrationId, 'aes-gcm')];
}

/** A receiving link with a memory of written pages, as a destination host has. */
function receiver(key: SessionKey) {
  const written = new Map<number, Uint8Array>();
  const versions = new Map<number, number>();
  const rejected: string[] = [];
  const port = new MessageChannel().port1;
  const ib = new Inbound(1, CHANNEL, port, {
    knownVersion: (p) => versions.get(p) ?? 0,
    store: (pages, vs, body) => pages.forEach((p, i) => (written.set(p, body.slice(i * PAGE_SIZE, (i + 1) * PAGE_SIZE)), versions.set(p, vs[i]!))),
    keep: () => {},
    control: () => {},
    reject: (r) => rejected.push(r),
    keyFor: () => key,
    requested: () => false,
    stopped: () => false,
    checks: { binding: true, replay: true, versions: true },
  }, false, migrationId);
  const deliver = (parts: ArrayBuffer[]) => ib.receive({ t: 'records', parts, forwarded: false });
  return { written, rejected, deliver, close: () => port.close() };
}

const header = (seq: number, page: number, over: Partial<RecordHeader> = {}): RecordHeader => ({
  protection: 'sealed', suite: 'aes-gcm', migrationId, channel: CHANNEL, seq, round: 1, pages: Uint32Array.of(page), versions: Uint32Array.of(1), ...over,
});
const pageBytes = (p: number) => new Uint8Array(PAGE_SIZE).fill(p & 0xff);
const seal = async (k: SessionKey, h: RecordHeader) => {
  const r = await sealRecordParts(k, h, pageBytes(h.pages[0]!));
  return [r.head.buffer as ArrayBuffer, r.body.buffer as ArrayBuffer];
};
const copy = (parts: ArrayBuffer[]) => parts.map((b) => b.slice(0));

describe(`security figures (seed ${SEED})`, () => {
  it('1,000 random bit flips: 1,000 detected, 0 accepted, destination memory unchanged', async () => {
    const [ks, kr] = await keys();
    const rx = receiver(kr);
    const rng = new Rng(SEED, 1);
    let accepted = 0;
    for (let i = 0; i < 1000; i++) {
      const parts = await seal(ks, header(i, i));
      const total = parts[0]!.byteLength + parts[1]!.byteLength;
      let bit = rng.int(total * 8);
      const inHead = bit < parts[0]!.byteLength * 8;
      if (!inHead) bit -= parts[0]!.byteLength * 8;
      new Uint8Array(parts[inHead ? 0 : 1]!)[bit >> 3]! ^= 1 << (bit & 7);
      const before = rx.written.size;
      await rx.deliver(parts);
      if (rx.written.size !== before) accepted++;
    }
    console.log(`bit flips (seed ${SEED}): 1000 sent, ${rx.rejected.length} detected, ${accepted} accepted`);
    expect(rx.rejected).toHaveLength(1000);
    expect(accepted).toBe(0);
    expect(rx.written.size).toBe(0);
    rx.close();
  });

  it('1,000 replays and 1,000 splices (another migration, another channel, another key): 0 accepted', async () => {
    const [ks, kr] = await keys();
    const [other] = await keys();
    const rx = receiver(kr);
    const genuine: ArrayBuffer[][] = [];
    for (let i = 0; i < 1000; i++) {
      const parts = await seal(ks, header(i, i));
      genuine.push(copy(parts));
      await rx.deliver(parts);
    }
    expect(rx.rejected).toHaveLength(0);
    const pagesBefore = new Map(rx.written);
    for (const g of genuine) await rx.deliver(copy(g));
    const replaysRejected = rx.rejected.length;
    const foreignMid = new Uint8Array(16).fill(9);
    for (let i = 0; i < 1000; i++) {
      const kind = i % 3;
      const h = kind === 0 ? header(2000 + i, i, { migrationId: foreignMid }) : kind === 1 ? header(2000 + i, i, { channel: recordChannel(1, 1) }) : header(2000 + i, i);
      await rx.deliver(await seal(kind === 2 ? other : ks, h));
    }
    console.log(`replays (seed ${SEED}): ${replaysRejected} of 1000 rejected; splices: ${rx.rejected.length - replaysRejected} of 1000 rejected`);
    expect(replaysRejected).toBe(1000);
    expect(rx.rejected.length).toBe(2000);
    expect([...rx.written].every(([p, b]) => b === pagesBefore.get(p))).toBe(true);
    rx.close();
  });

  it('replay-window edges each get their verdict', () => {
    const w = new ReplayWindow(64);
    const verdicts: [string, number, string][] = [];
    const at = (label: string, seq: number) => verdicts.push([label, seq, w.check(seq)]);
    for (const s of [0, 1, 2, 100]) w.accept(s);
    at('the highest seen again', 100, );
    at('one past the highest', 101);
    at('oldest still in the window, unseen', 37);
    at('just behind the window', 36);
    at('far behind the window', 0);
    at('in the window, seen', 100);
    w.accept(37);
    at('in the window, now seen', 37);
    at('a gap in the window', 50);
    expect(verdicts.map(([, , v]) => v)).toEqual(['replay', 'ok', 'ok', 'out-of-window', 'out-of-window', 'replay', 'replay', 'ok']);
  });

  it('0 duplicate (key, nonce) pairs over 100 migrations with split and post-copy', async () => {
    const inputs: ScenarioInput[] = [
      { vm: { memoryMiB: 16 }, workload: { kind: 'write', workingSetMiB: 4, touchesPerS: 2048 }, migration: { algorithm: 'postcopy' } },
      { vm: { memoryMiB: 24 }, workload: { kind: 'write', workingSetMiB: 12, touchesPerS: 2048 }, destinations: [{ name: 'main', capacityMiB: 16 }, { name: 'sub1', capacityMiB: 32 }], split: { pagingSeconds: 0.2 } },
    ];
    let pairs = 0;
    let duplicates = 0;
    for (let m = 0; m < 100; m++) {
      const input = inputs[m % 2]!;
      const { report } = await playThrough({ ...input, seed: SEED + m }, 1 + (m % 3), true);
      const nonces = report.hosts.flat().flatMap((h) => h.nonces);
      pairs += nonces.length;
      duplicates += report.duplicateNonces!;
      expect(report.verification!.verified).toBe(true);
    }
    console.log(`nonce audit (seeds ${SEED}…${SEED + 99}): ${pairs} (key, nonce) pairs over 100 migrations, ${duplicates} duplicates`);
    expect(pairs).toBeGreaterThan(20_000);
    expect(duplicates).toBe(0);
  }, 600_000);

  it('handshake negatives fail with 0 page bytes sent, and their positive twins pass', async () => {
    for (const attack of ['wrong-key', 'impersonate', 'downgrade-clear'] as const) {
      const neg = await playThrough({ ...small, security: { attack, policy: 'required' } });
      expect(neg.report.handshakes.some((h) => !h.ok), attack).toBe(true);
      expect(neg.report.bytesOnWire, attack).toBe(0);
      const twin = await playThrough({ ...small, security: { policy: 'required' } });
      expect(twin.report.handshakes.every((h) => h.ok && h.authenticated && h.encrypted)).toBe(true);
      expect(twin.report.verification!.verified).toBe(true);
      console.log(`handshake ${attack} under "required": refused (${neg.report.handshakes.find((h) => !h.ok)!.reason}); twin verified`);
    }
  });

  it('1,000 canaries: 0 on the wire with encryption, at least 1 without (the control)', async () => {
    const input: ScenarioInput = { ...small, security: { canaries: 1000 } };
    const sealed = await playThrough(input);
    const clear = await playThrough({ ...input, cipher: 'none' });
    console.log(`canaries (seed 1): ${sealed.report.canariesOnWire} seen with AES-GCM, ${clear.report.canariesOnWire} without encryption`);
    expect(sealed.report.canariesOnWire).toBe(0);
    expect(clear.report.canariesOnWire).toBeGreaterThanOrEqual(1000);
  });

  it('established firewall flows survive 100 % with the security context and 0 % without', async () => {
    const vm = { memoryMiB: 32, firewallRules: 50, firewallConnections: 400 };
    const moved = await playThrough({ ...small, vm, security: { migrateContext: true } });
    const plain = await playThrough({ ...small, vm, security: { migrateContext: false } });
    console.log(`flows: ${moved.report.end!.flowsSurvive! * 100} % survive with the context, ${plain.report.end!.flowsSurvive! * 100} % without`);
    expect(moved.report.end!.flowsSurvive).toBe(1);
    expect(plain.report.end!.flowsSurvive).toBe(0);
    expect(moved.report.end!.vmRunsAt).toBe('destination');
  });
});
