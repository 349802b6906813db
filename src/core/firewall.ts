/**
 * The host's security context for a VM (Chen et al.): a stateful firewall's rules and its table of
 * established connections. A packet of an established connection passes only if the connection is in
 * the table; a new connection passes only if a rule allows it. So if the table does not move with the
 * VM, every established connection is cut at the destination — the insufficiency the paper fixes.
 */
import { Rng } from './prng';

export interface Rule {
  port: number;
  allow: boolean;
}

export interface Connection {
  /** Remote address (as a number) and ports. */
  remote: number;
  remotePort: number;
  localPort: number;
}

export interface SecurityContext {
  rules: Rule[];
  connections: Connection[];
}

/** A VM's context, from the seed: `rules` rules on well-known ports, `connections` established flows. */
export function makeContext(seed: number, rules: number, connections: number): SecurityContext {
  const rng = new Rng(seed, 11);
  const r: Rule[] = Array.from({ length: rules }, (_, i) => ({ port: i < 3 ? [22, 80, 443][i]! : 1024 + rng.int(60000), allow: i < 3 || rng.float() < 0.7 }));
  const c: Connection[] = Array.from({ length: connections }, () => ({ remote: rng.u32(), remotePort: 1024 + rng.int(64000), localPort: [22, 80, 443][rng.int(3)]! }));
  return { rules: r, connections: c };
}

const key = (c: Connection): string => `${c.remote}:${c.remotePort}>${c.localPort}`;

/** A host's firewall for one VM. */
export class Firewall {
  readonly #rules = new Map<number, boolean>();
  readonly #table = new Set<string>();

  install(ctx: SecurityContext): void {
    for (const r of ctx.rules) this.#rules.set(r.port, r.allow);
    for (const c of ctx.connections) this.#table.add(key(c));
  }

  /** A packet of an established connection: allowed only if the connection is tracked. */
  allowsEstablished(c: Connection): boolean {
    return this.#table.has(key(c));
  }

  /** A new connection to a local port: allowed if a rule says so. */
  allowsNew(port: number): boolean {
    return this.#rules.get(port) === true;
  }

  get connections(): number {
    return this.#table.size;
  }
}

/** Bytes of a context on the wire: JSON, as it is sealed into one control record. */
export function encodeContext(ctx: SecurityContext): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ r: ctx.rules.map((x) => [x.port, x.allow ? 1 : 0]), c: ctx.connections.map((x) => [x.remote, x.remotePort, x.localPort]) }));
}

/** Parse a context from a control record's payload; null when it is not one (size and shape checked first). */
export function decodeContext(bytes: Uint8Array): SecurityContext | null {
  if (bytes.length > 64 * 1024 * 1024) return null;
  try {
    const v = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    if (!v || typeof v !== 'object' || !Array.isArray((v as { r?: unknown }).r) || !Array.isArray((v as { c?: unknown }).c)) return null;
    const { r, c } = v as { r: unknown[]; c: unknown[] };
    const nums = (a: unknown, n: number): a is number[] => Array.isArray(a) && a.length === n && a.every((x) => Number.isInteger(x));
    if (!r.every((x) => nums(x, 2)) || !c.every((x) => nums(x, 3))) return null;
    return {
      rules: (r as number[][]).map(([port, allow]) => ({ port: port!, allow: allow === 1 })),
      connections: (c as number[][]).map(([remote, remotePort, localPort]) => ({ remote: remote!, remotePort: remotePort!, localPort: localPort! })),
    };
  } catch {
    return null;
  }
}
