/**
 * Each attack of the security lab as what it really does to the hosts' traffic: a record attack on a
 * relayed link, a rewritten handshake, a dropped, delayed or forged control message, a tampered page
 * request, or an untrusted sub host acting on what it stores. With defences off, exactly the check
 * that stops the chosen attack is skipped, so the learner sees what it does unopposed; checks that are
 * not a teaching switch (the AEAD tag, the cipher suite) stay on. What each teaches is in `content/`.
 */
import type { AttackId, Scenario } from '../core/index';
import { newIdentity, newKeyPair, publicRaw, signHello, type Hello } from '../../workers/crypto/keys';
import { ALL_DEFENCES, type Defences } from '../../workers/host/types';
import type { ControlTamper, Delivery } from './end-protocol';
import type { RecordAttack } from './link';
import type { Topology } from './topology';

/** Link 1 (source → main host), channel 0: where the attacker sits unless the attack says otherwise. */
export const ATTACKED_LINK = 1;

export interface AttackPlan {
  id: AttackId;
  defences: Defences;
  failureLimit: number;
  keepHistory: boolean;
  onHello?: (h: Hello, from: number, to: number) => Promise<Hello>;
  /** Arm record attacks once the topology exists (some need a record forged by a host first). */
  arm?: (top: Topology) => Promise<RecordAttack[]>;
  tamper?: ControlTamper;
  /** Post-copy: tamper with the nth page request's bytes. */
  tamperRequest?: (n: number, parts: ArrayBuffer[]) => ArrayBuffer[];
  subHost?: 'swap' | 'rollback';
  /** Post-copy: re-send what a reset link lost. */
  recoverAfterReset: boolean;
}

const flip = (parts: ArrayBuffer[], byte: number): ArrayBuffer[] => {
  const body = new Uint8Array(parts[1]!);
  if (body.length) body[byte % body.length]! ^= 0x01;
  return parts;
};

/** A clear control record's payload, rewritten (only a naive host without the control defence reads it). */
const rewrite = (parts: ArrayBuffer[], fn: (payload: Uint8Array) => Uint8Array): ArrayBuffer[] => {
  const clear = new Uint8Array(parts[0]!)[5] === 0;
  return clear ? [parts[0]!, fn(new Uint8Array(parts[1]!)).slice().buffer as ArrayBuffer] : flip(parts, 7);
};

export function planAttack(s: Scenario): AttackPlan {
  const id = s.security.attack;
  const at = s.security.attackAt;
  const on = s.security.defences;
  const off = (k: Partial<Defences>): Defences => (on ? ALL_DEFENCES : { ...ALL_DEFENCES, ...k });
  const base: AttackPlan = { id, defences: ALL_DEFENCES, failureLimit: s.security.failureLimit, keepHistory: false, recoverAfterReset: false };
  const records = (...list: RecordAttack[]) => async () => list;
  const pass = (parts: ArrayBuffer[]): Delivery[] => [{ parts, delay: 0 }];
  switch (id) {
    case 'none':
    case 'nonce-reuse':
    case 'subhost-read':
      return base;
    case 'tamper':
      return { ...base, arm: records({ kind: 'flip-bit', record: at, bit: 8 * 100 + 3 }) };
    case 'replay':
      return { ...base, defences: off({ replay: false, versions: false }), arm: records({ kind: 'replay', record: at, after: at + 8 }) };
    case 'reorder':
      return { ...base, arm: records({ kind: 'reorder', record: at }) };
    case 'drop':
      return { ...base, arm: records({ kind: 'drop', record: at }) };
    case 'splice-migration':
    case 'splice-channel':
      return {
        ...base,
        defences: off({ binding: false }),
        arm: async (top) => {
          const forged = await top.hosts[0]![0]!.forgeRecord(ATTACKED_LINK, 0, id === 'splice-migration' ? 'other-migration' : 'other-channel', at + 1);
          return [{ kind: 'inject', after: at, parts: () => forged.map((b) => b.slice(0)) }];
        },
      };
    case 'downgrade-clear':
      // Strip the cipher offer and the signature (the attacker cannot re-sign): only "required" notices.
      return { ...base, defences: off({ handshake: false }), onHello: async (h) => ({ ...h, offer: 'none', identity: null, signature: null }) };
    case 'downgrade-cipher':
      return { ...base, arm: records({ kind: 'rewrite', from: at, flags: (f) => f | 4 }) };
    case 'impersonate': {
      let impostor: Awaited<ReturnType<typeof newIdentity>> | null = null;
      return {
        ...base,
        defences: off({ handshake: false }),
        onHello: async (h, from) => {
          if (from === 0) return h;
          impostor ??= await newIdentity();
          // The impostor answers with its own identity and key pair, claiming to be the destination.
          const ecdh = await publicRaw(await newKeyPair());
          const { signature: _s, identity: _i, ...rest } = h;
          return signHello(impostor, new Uint8Array(16), { ...rest, ecdh });
        },
      };
    }
    case 'wrong-key':
      // A man in the middle swaps the key shares but keeps the signatures: the signatures no longer fit.
      return { ...base, defences: off({ handshake: false }), onHello: async (h) => ({ ...h, ecdh: await publicRaw(await newKeyPair()) }) };
    case 'forge-commit':
      return {
        ...base,
        defences: off({ control: false }),
        arm: records({ kind: 'drop', record: at }),
        tamper: async ({ kind, direction, n, parts, forge, arrived }) => {
          if (kind === 'manifest' && direction === 'to-destination' && n === 0) {
            // A manifest that fits what arrived (the attacker saw every page number and version in clear headers).
            return [{ parts: await forge('manifest', 'to-destination', await arrived()), delay: 0 }];
          }
          if (kind === 'ready' && direction === 'to-source' && n === 0) return [{ parts: await forge('commit', 'to-destination', Uint8Array.of(1)), delay: 0, direction: 'to-destination' }];
          return pass(parts);
        },
      };
    case 'drop-commit':
      return { ...base, defences: off({ control: false }), tamper: async ({ kind, parts }) => (kind === 'commit' ? [] : pass(parts)) };
    case 'delay-commit':
      return { ...base, defences: off({ control: false }), tamper: async ({ kind, n, parts }) => (kind === 'commit' && n === 0 ? [{ parts, delay: 12 }] : pass(parts)) };
    case 'forge-abort':
      return {
        ...base,
        defences: off({ control: false }),
        tamper: async ({ kind, direction, n, parts, forge }) => {
          if (kind !== 'manifest' || direction !== 'to-destination' || n !== 0) return pass(parts);
          return [
            { parts, delay: 0 },
            { parts: await forge('abort', 'to-source', Uint8Array.of(1)), delay: 0, direction: 'to-source' },
            { parts: await forge('commit', 'to-destination', Uint8Array.of(1)), delay: 2 },
          ];
        },
      };
    case 'tamper-request':
      return { ...base, defences: off({ control: false }), tamperRequest: (n, parts) => (n === 0 ? rewriteRequest(parts) : parts) };
    case 'link-reset':
      return { ...base, arm: records({ kind: 'reset', record: at, count: 8 }), recoverAfterReset: true };
    case 'subhost-swap':
      return { ...base, subHost: 'swap' };
    case 'subhost-rollback':
      return { ...base, defences: off({ versions: false }), subHost: 'rollback', keepHistory: true };
    case 'tamper-unused':
      return {
        ...base,
        defences: off({ control: false }),
        // Add pages that are in use to the list: the destination would drop live memory.
        tamper: async ({ kind, parts }) => (kind === 'unused-list' ? pass(rewrite(parts, (p) => concatU32(p, Uint32Array.from({ length: 16 }, (_, i) => i)))) : pass(parts)),
      };
    case 'tamper-context':
      return {
        ...base,
        defences: off({ control: false }),
        // Open every port the rules close.
        tamper: async ({ kind, parts }) => (kind === 'security-context' ? pass(rewrite(parts, (p) => new TextEncoder().encode(new TextDecoder().decode(p).replace(/,0\]/g, ',1]')))) : pass(parts)),
      };
    case 'tamper-metadata':
      return {
        ...base,
        defences: off({ control: false }),
        // Shift each protected region by one page: the guest OS could read the page the region no longer covers.
        tamper: async ({ kind, parts }) => (kind === 'protection-metadata' ? pass(rewrite(parts, (p) => shiftRegions(p))) : pass(parts)),
      };
    case 'flood':
      return { ...base, failureLimit: on ? s.security.failureLimit : 1_000_000, arm: records({ kind: 'flood', after: at, count: Math.max(64, 4 * s.security.failureLimit) }) };
  }
}

/** A post-copy page request: the page number is the first 4 bytes of its payload. */
function rewriteRequest(parts: ArrayBuffer[]): ArrayBuffer[] {
  const clear = new Uint8Array(parts[0]!)[5] === 0;
  if (!clear) return flip(parts, 0);
  const v = new DataView(parts[1]!);
  if (v.byteLength >= 4) v.setUint32(0, v.getUint32(0, true) ^ 1, true);
  return parts;
}

function concatU32(bytes: Uint8Array, extra: Uint32Array): Uint8Array {
  const out = new Uint8Array(bytes.length + extra.byteLength);
  out.set(bytes, 0);
  out.set(new Uint8Array(extra.buffer), bytes.length);
  return out;
}

function shiftRegions(bytes: Uint8Array): Uint8Array {
  try {
    const v = JSON.parse(new TextDecoder().decode(bytes)) as number[][];
    return new TextEncoder().encode(JSON.stringify(v.map(([pid, first, pages, key]) => [pid, (first ?? 0) + 1, pages, key])));
  } catch {
    return bytes;
  }
}
