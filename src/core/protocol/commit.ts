/**
 * The end of a migration as a protocol (after Zhang & Chen's resumption order): the source sends a
 * manifest — per channel, how many records it sent and a digest of every page version among them; the
 * destination checks it against what it accepted and answers READY or ABORT; only on READY does the
 * source commit (from then on it never runs the VM again) and send COMMIT; only on COMMIT does the
 * destination resume; DONE tells the source it may destroy its copy. An authentic ABORT before the
 * commit makes the source resume. Lost messages are retried on timeouts; forged ones are ignored.
 *
 * Pure state machines: the real hosts authenticate the messages, the security lab and the property
 * tests drive these with any schedule of losses, delays, duplicates and forgeries, and the invariant
 * holds: at most one copy of the VM ever runs, and the destination never runs with wrong memory.
 */

export type MessageKind = 'manifest' | 'ready' | 'abort' | 'commit' | 'done';

export interface Message {
  kind: MessageKind;
  /** Verified under the session key of this migration (a forgery or another migration's message is not). */
  authentic: boolean;
  /** MANIFEST: whether it matches what the destination holds; READY: whether it answers this manifest. */
  matches?: boolean;
}

/** Retries before a side gives up waiting. */
export const MAX_RETRIES = 5;

export type SourceState = 'stopped' | 'awaiting-ready' | 'committed' | 'destroyed' | 'resumed';

/** The source's agent. The VM is stopped when the protocol starts (end of the paused stage). */
export class SourceSide {
  state: SourceState = 'stopped';
  #retries = 0;
  rejected = 0;

  /** Whether the VM runs here. */
  get running(): boolean {
    return this.state === 'resumed';
  }

  /** Whether a copy still exists here (it is destroyed only once the destination confirms it runs). */
  get holdsCopy(): boolean {
    return this.state !== 'destroyed';
  }

  start(): Message[] {
    this.state = 'awaiting-ready';
    return [{ kind: 'manifest', authentic: true }];
  }

  receive(m: Message): Message[] {
    if (!m.authentic) {
      this.rejected++;
      return [];
    }
    switch (this.state) {
      case 'awaiting-ready':
        if (m.kind === 'ready' && m.matches !== false) {
          this.state = 'committed';
          this.#retries = 0;
          return [{ kind: 'commit', authentic: true }];
        }
        if (m.kind === 'abort') {
          this.state = 'resumed';
          return [];
        }
        return [];
      case 'committed':
        // READY again: our COMMIT was lost; DONE: the destination runs, our copy can go.
        if (m.kind === 'ready') return [{ kind: 'commit', authentic: true }];
        if (m.kind === 'done') this.state = 'destroyed';
        return [];
      default:
        return [];
    }
  }

  /** Nothing arrived for a while. */
  timeout(): Message[] {
    if (this.state === 'awaiting-ready') {
      if (++this.#retries > MAX_RETRIES) {
        // The destination never answered: it cannot have resumed (it needs our COMMIT), so we may.
        this.state = 'resumed';
        return [{ kind: 'abort', authentic: true }];
      }
      return [{ kind: 'manifest', authentic: true }];
    }
    // Committed: we never resume; keep asking until the destination confirms.
    if (this.state === 'committed') return [{ kind: 'commit', authentic: true }];
    return [];
  }
}

export type DestinationState = 'receiving' | 'ready' | 'running' | 'aborted';

/** The destination's agent. `memoryVerified` is the outcome of checking the manifest. */
export class DestinationSide {
  state: DestinationState = 'receiving';
  rejected = 0;
  #retries = 0;

  get running(): boolean {
    return this.state === 'running';
  }

  receive(m: Message): Message[] {
    if (!m.authentic) {
      this.rejected++;
      return [];
    }
    switch (this.state) {
      case 'receiving':
        if (m.kind === 'manifest') {
          if (m.matches) {
            this.state = 'ready';
            return [{ kind: 'ready', authentic: true, matches: true }];
          }
          this.state = 'aborted';
          return [{ kind: 'abort', authentic: true }];
        }
        if (m.kind === 'abort') this.state = 'aborted';
        return [];
      case 'ready':
        if (m.kind === 'commit') {
          this.state = 'running';
          return [{ kind: 'done', authentic: true }];
        }
        if (m.kind === 'manifest') return [{ kind: 'ready', authentic: true, matches: true }];
        if (m.kind === 'abort') this.state = 'aborted';
        return [];
      case 'running':
        // A duplicate COMMIT: the source did not hear DONE.
        return m.kind === 'commit' ? [{ kind: 'done', authentic: true }] : [];
      case 'aborted':
        return m.kind === 'manifest' ? [{ kind: 'abort', authentic: true }] : [];
    }
  }

  timeout(): Message[] {
    if (this.state !== 'ready') return [];
    // Still no COMMIT: remind the source; never resume on our own. At last, give up: the source runs on.
    if (++this.#retries > MAX_RETRIES * 4) {
      this.state = 'aborted';
      return [];
    }
    return [{ kind: 'ready', authentic: true, matches: true }];
  }
}

/** The invariant, at any moment: never two running copies; the destination runs only on verified memory. */
export function safe(source: SourceSide, destination: DestinationSide, memoryVerified: boolean): { bothRunning: boolean; wrongMemory: boolean } {
  return { bothRunning: source.running && destination.running, wrongMemory: destination.running && !memoryVerified };
}
