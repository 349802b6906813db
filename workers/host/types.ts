/**
 * What crosses between the runtime and a channel worker, and between channel workers: the worker's
 * configuration, its statistics, the wire messages, and what it reports of a handshake or a control
 * record. Everything here is plain data (structured-clone safe), checked by the receiver.
 */
import type { Identity, Offer } from '../crypto/keys';
import type { Protection, Rejection } from '../crypto/record';

export type HostRole = 'source' | 'main' | 'sub';
export type SecurityPolicy = 'disabled' | 'opportunistic' | 'required';

/** Checks the security lab can switch off one at a time, to show what each one stops. */
export interface Defences {
  /** Replay window and once-only consumption of stored records. */
  replay: boolean;
  /** Page versions: a record may not roll a page back. */
  versions: boolean;
  /** Header binding: migration id and channel must be this session's. */
  binding: boolean;
  /** Handshake: the peer's signed identity and offer. */
  handshake: boolean;
  /** Control records (manifest, commit, unused list, context, metadata) must authenticate. */
  control: boolean;
}

export const ALL_DEFENCES: Defences = { replay: true, versions: true, binding: true, handshake: true, control: true };

export interface ChannelConfig {
  /** Host index: 0 source, 1 main host, 2… sub hosts. */
  host: number;
  role: HostRole;
  /** This worker's channel and how many each host runs. */
  channel: number;
  channels: number;
  pageCount: number;
  seed: number;
  /** Page class codes at the start, and after a still-allocating program's first touch (or null). */
  pageClass: Uint8Array;
  touchClass: Uint8Array | null;
  migrationId: Uint8Array;
  /** The cipher this host offers (none when the policy disables encryption). */
  offer: Offer;
  policy: SecurityPolicy;
  /** Per class code: 1 = sealed; 0 = authenticated but readable (SEmigrate's non-sensitive pages). */
  sealedClasses: Uint8Array;
  framePages: number;
  /** SEmigrate sub host: stores records, never decrypts, holds no key. */
  storesCiphertext: boolean;
  /** This host's signing identity (null: it has none, so it cannot prove who it is). */
  identity: Identity | null;
  /** Identity public keys the management plane records, by host index. */
  identities: (Uint8Array | null)[];
  defences: Defences;
  /** Teaching mode: the sender reuses one nonce (never in a real run). */
  nonceReuse: boolean;
  /** Pages that carry a canary secret, and the secret's prefix. */
  canaryPages: Uint32Array;
  canaryPrefix: string;
  /** Records in flight per outbound link before the sender waits for credit. */
  window: number;
  /** Keep every (key, nonce) pair sealed with, for the nonce audit (tests). */
  auditNonces: boolean;
  /** Rejected records this worker tolerates before it aborts the migration (refuses all further records). */
  failureLimit: number;
  /** SEmigrate sub host under the rollback attack: keep each page's previous record too. */
  keepHistory: boolean;
}

export interface Rejected {
  reason: Rejection | ControlRejection;
  link: number;
  seq: number | null;
}

export type ControlRejection = 'control-kind' | 'handshake' | 'aborted';

/** Per link this worker sends on or receives from. */
export interface LinkStats {
  records: number;
  /** (page, version) pairs, as an order-free digest, and how many. */
  digest: string;
  pages: number;
}

export interface HostStats {
  host: number;
  channel: number;
  sealCalls: number;
  pagesSealed: number;
  /** Zero pages sent as markers (no bytes; QEMU's `duplicate`). */
  zeroPages: number;
  openCalls: number;
  pagesOpened: number;
  recordsIn: number;
  recordsOut: number;
  bytesOut: number;
  storedRecords: number;
  rejected: Rejected[];
  allocatedBytes: number;
  /** Milliseconds spent sending (sealing, framing), receiving (checking, opening, storing), and inside the cipher. */
  sendMs: number;
  receiveMs: number;
  cryptoMs: number;
  /** Milliseconds a sender waited for credit (the receiver was the slower side). */
  creditWaitMs: number;
  sent: Record<number, LinkStats>;
  accepted: Record<number, LinkStats>;
  /** Every (key, nonce) pair this worker sealed with, as hex, when asked to keep them (tests). */
  nonces: string[];
  /** Past its failure limit: this worker refuses everything and the migration is aborted. */
  aborted: boolean;
  /** Pages asked of a sub host that never came back valid (a swapped or rolled-back page). */
  pendingPageIns: number;
}

/** Data from sender to receiver: records as header and body buffers in turn, always transferred. */
export interface RecordsMessage {
  t: 'records';
  parts: ArrayBuffer[];
  /** Records a sub host hands back as stored (SEmigrate page-in): opened under their original link. */
  forwarded: boolean;
}

/** From receiver back to sender: records processed, so as many more may be sent. */
export interface CreditMessage {
  t: 'credit';
  records: number;
}

export type WireMessage = RecordsMessage | CreditMessage;

export interface WireSample {
  page: number;
  protection: Protection;
  link: number;
  channel: number;
  /** The first bytes of the page as they crossed the link (ciphertext when sealed). */
  bytes: Uint8Array;
  /** It left as a zero-page marker: its number crossed, no bytes of it did. */
  zero: boolean;
}

export type HandshakeVerdict =
  | { ok: true; encrypted: boolean; authenticated: boolean }
  | { ok: false; reason: string };

/** Control records: the end-of-migration protocol and the state that moves with the VM. */
export type ControlKind = 'manifest' | 'ready' | 'abort' | 'commit' | 'done' | 'page-request' | 'unused-list' | 'security-context' | 'protection-metadata' | 'placement';
export const CONTROL_KINDS: readonly ControlKind[] = ['manifest', 'ready', 'abort', 'commit', 'done', 'page-request', 'unused-list', 'security-context', 'protection-metadata', 'placement'];

export type ControlOpened = { ok: true; kind: ControlKind; payload: Uint8Array; authenticated: boolean } | { ok: false; reason: string };
