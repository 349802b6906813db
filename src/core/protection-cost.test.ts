/**
 * Zhang & Chen: "protection metadata … migrated with the VM", with "low" overhead. The metadata is
 * priced as the real hosts seal it (its bytes) and installed page by page before the VM resumes: it
 * costs something, grows with the number of protected processes, and stays small beside the downtime.
 */
import { describe, expect, it } from 'vitest';
import { mustResolve } from './resolve-scenario';
import { simulate } from './simulate';
import { PRESETS } from './presets';
import { protectionMetadata } from './cost-model';

const base = PRESETS.find((p) => p.id === 'protocol-attacks')!.input;
const downtimeWith = (protectedProcesses: number): number => {
  const r = simulate(mustResolve({ ...base, security: { protectedProcesses } }), { trace: false });
  return r.metrics.guestDowntime;
};

describe('protection metadata (Zhang & Chen)', () => {
  it('should size the metadata as the real hosts encode it, and count the pages it protects', () => {
    const s = mustResolve({ ...base, security: { protectedProcesses: 100 } });
    const m = protectionMetadata(s, 16384);
    expect(m.bytes).toBeGreaterThan(100 * 10);
    expect(m.pages).toBeGreaterThanOrEqual(100);
  });

  it('should make the downtime grow with the protected processes, and stay within a few per cent at 100 (on Xen)', () => {
    const none = downtimeWith(0);
    const some = downtimeWith(100);
    const many = downtimeWith(1000);
    expect(some).toBeGreaterThan(none);
    expect(many).toBeGreaterThan(some);
    expect(some / none - 1).toBeLessThan(0.05);
  });
});
