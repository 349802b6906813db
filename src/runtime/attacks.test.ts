/**
 * Every attack of the security lab, mounted on real channel workers (Node's WebCrypto), with the
 * defence on and — where it is a teaching switch — off. Each row says what the learner must see:
 * where the VM runs afterwards, whether the invariant held, and what was rejected.
 */
import { describe, expect, it } from 'vitest';
import type { AttackId, ScenarioInput } from '../core/index';
import { playThrough, small } from './node-hosts';

const split: ScenarioInput = {
  vm: { memoryMiB: 32 },
  workload: { kind: 'write', workingSetMiB: 24, touchesPerS: 4096 },
  destinations: [{ name: 'main', capacityMiB: 16 }, { name: 'sub1', capacityMiB: 32 }],
  split: { semigrate: true, pagingSeconds: 1 },
};
const post: ScenarioInput = { ...small, migration: { algorithm: 'postcopy' } };

interface Row {
  attack: AttackId;
  base?: ScenarioInput;
  security?: Record<string, unknown>;
  on: (r: Awaited<ReturnType<typeof playThrough>>['report']) => void;
  off?: (r: Awaited<ReturnType<typeof playThrough>>['report']) => void;
}

const reasons = (r: { rejections: { reason: string }[] }) => new Set(r.rejections.map((x) => x.reason));

const ROWS: Row[] = [
  { attack: 'tamper', on: (r) => (expect(reasons(r)).toEqual(new Set(['tag'])), expect(r.end!.vmRunsAt).toBe('source')) },
  {
    attack: 'replay',
    on: (r) => (expect(reasons(r)).toEqual(new Set(['replay'])), expect(r.end!.vmRunsAt).toBe('destination'), expect(r.verification!.verified).toBe(true)),
    off: (r) => expect(r.rejections).toHaveLength(0),
  },
  { attack: 'reorder', on: (r) => (expect(r.rejections).toHaveLength(0), expect(r.end!.vmRunsAt).toBe('destination')) },
  { attack: 'drop', on: (r) => (expect(r.end!.manifestMatches).toBe(false), expect(r.end!.vmRunsAt).toBe('source'), expect(r.end!.wrongMemoryEver).toBe(false)) },
  {
    attack: 'splice-migration',
    on: (r) => (expect(reasons(r)).toEqual(new Set(['wrong-migration'])), expect(r.end!.vmRunsAt).toBe('destination')),
    // Accepted in place of the genuine record with its sequence number, which then looks like a replay and is lost.
    off: (r) => (expect(reasons(r)).toEqual(new Set(['replay'])), expect(r.end!.vmRunsAt).toBe('source')),
  },
  {
    attack: 'splice-channel',
    on: (r) => expect(reasons(r)).toEqual(new Set(['wrong-channel'])),
    off: (r) => expect(reasons(r)).toEqual(new Set(['replay'])),
  },
  {
    attack: 'downgrade-clear',
    on: (r) => (expect(r.handshakes.some((h) => !h.ok)).toBe(true), expect(r.bytesOnWire).toBe(0), expect(r.pagesMoved).toBe(0)),
    off: (r) => (expect(r.handshakes.every((h) => h.ok && !h.encrypted)).toBe(true), expect(r.canariesOnWire).toBeGreaterThan(0)),
  },
  { attack: 'downgrade-cipher', on: (r) => (expect(reasons(r)).toEqual(new Set(['downgrade'])), expect(r.abortedByFlood).toBe(true), expect(r.end!.vmRunsAt).toBe('source')) },
  {
    attack: 'impersonate',
    on: (r) => (expect(r.handshakes[0]!.ok).toBe(false), expect(r.bytesOnWire).toBe(0)),
    off: (r) => (expect(r.handshakes[0]!.ok).toBe(true), expect(reasons(r).has('tag')).toBe(true), expect(r.end!.vmRunsAt).toBe('source')),
  },
  {
    attack: 'wrong-key',
    on: (r) => (expect(r.handshakes[0]!.ok).toBe(false), expect(r.bytesOnWire).toBe(0)),
    off: (r) => (expect(reasons(r).has('tag')).toBe(true), expect(r.end!.vmRunsAt).toBe('source')),
  },
  {
    attack: 'forge-commit',
    on: (r) => (expect(r.end!.vmRunsAt).toBe('source'), expect(r.end!.refusedAtDestination).toBeGreaterThan(0), expect(r.end!.bothRunningEver).toBe(false)),
    off: (r) => (expect(r.end!.bothRunningEver).toBe(true), expect(r.end!.wrongMemoryEver).toBe(true)),
  },
  { attack: 'drop-commit', on: (r) => (expect(r.end!.vmRunsAt).toBe('nowhere'), expect(r.end!.bothRunningEver).toBe(false), expect(r.end!.source).toBe('committed')) },
  { attack: 'delay-commit', on: (r) => (expect(r.end!.vmRunsAt).toBe('destination'), expect(r.end!.bothRunningEver).toBe(false)) },
  {
    attack: 'forge-abort',
    on: (r) => (expect(r.end!.vmRunsAt).toBe('destination'), expect(r.end!.refusedAtSource + r.end!.refusedAtDestination).toBeGreaterThanOrEqual(2)),
    off: (r) => expect(r.end!.bothRunningEver).toBe(true),
  },
  {
    attack: 'tamper-request',
    base: post,
    on: (r) => (expect(r.requests.refused).toBe(1), expect(r.requests.wrongPages).toBe(0), expect(r.verification!.verified).toBe(true)),
    off: (r) => expect(r.requests.wrongPages).toBe(1),
  },
  {
    attack: 'link-reset',
    base: post,
    on: (r) => (expect(r.resent).toBeGreaterThan(0), expect(r.verification!.verified).toBe(true), expect(r.end!.vmRunsAt).toBe('destination')),
  },
  { attack: 'subhost-read', base: split, security: { canaries: 200 }, on: (r) => (expect(r.subHost!.readablePages).toBeGreaterThan(0), expect(r.subHost!.sealedPages).toBeGreaterThan(0)) },
  { attack: 'subhost-swap', base: split, on: (r) => (expect(reasons(r)).toContain('not-requested'), expect(r.end!.vmRunsAt).toBe('source'), expect(r.end!.wrongMemoryEver).toBe(false)) },
  {
    attack: 'subhost-rollback',
    base: split,
    on: (r) => (expect(reasons(r)).toContain('stale-version'), expect(r.end!.vmRunsAt).toBe('source')),
    off: (r) => (expect(r.rejections).toHaveLength(0), expect(r.end!.wrongMemoryEver).toBe(true)),
  },
  {
    attack: 'tamper-unused',
    base: { ...small, workload: { kind: 'write', workingSetMiB: 8, touchesPerS: 4096, freeRatePerS: 0.01 }, split: { skipUnused: true } },
    on: (r) => (expect(r.end!.items[0]!.accepted).toBe(false), expect(r.end!.vmRunsAt).toBe('source')),
    off: (r) => (expect(r.end!.vmRunsAt).toBe('destination'), expect(r.end!.wrongMemoryEver).toBe(true)),
  },
  {
    attack: 'tamper-context',
    base: { ...small, vm: { memoryMiB: 32, firewallRules: 20, firewallConnections: 50 } },
    on: (r) => (expect(r.end!.items[0]!.accepted).toBe(false), expect(r.end!.vmRunsAt).toBe('source')),
    off: (r) => (expect(r.end!.items[0]).toMatchObject({ accepted: true, intact: false }), expect(r.end!.vmRunsAt).toBe('destination')),
  },
  {
    attack: 'tamper-metadata',
    security: { protectedProcesses: 5 },
    on: (r) => (expect(r.end!.items[0]!.accepted).toBe(false), expect(r.end!.vmRunsAt).toBe('source')),
    off: (r) => expect(r.end!.items[0]).toMatchObject({ accepted: true, intact: false }),
  },
  {
    attack: 'flood',
    on: (r) => (expect(r.abortedByFlood).toBe(true), expect(r.end!.vmRunsAt).toBe('source'), expect(r.rejections.length).toBeLessThanOrEqual(16)),
    off: (r) => (expect(r.abortedByFlood).toBe(false), expect(r.rejections.length).toBeGreaterThan(16)),
  },
  { attack: 'nonce-reuse', on: (r) => expect(r.nonceReuse).toEqual({ leaks: true, withUniqueNonces: false }) },
];

describe('the security lab, on real hosts (seed 1)', () => {
  for (const row of ROWS) {
    it(`${row.attack}: stopped with the defence on`, async () => {
      const base = row.base ?? small;
      const { report } = await playThrough({ ...base, security: { attack: row.attack, ...row.security } });
      row.on(report);
      if (report.end) expect(report.end.bothRunningEver).toBe(false);
    });
    if (row.off) {
      it(`${row.attack}: does its harm with the defence off`, async () => {
        const base = row.base ?? small;
        const { report } = await playThrough({ ...base, security: { attack: row.attack, defences: false, policy: 'opportunistic', canaries: 100, ...row.security } });
        row.off!(report);
      });
    }
  }
});
