import { describe, expect, it } from 'vitest';
import { mustResolve } from './resolve-scenario';
import { sweepWorkingSet } from './sweep';

describe('sweepWorkingSet', () => {
  it('should give one point per cipher and working set, with 3DES slowest and not converging', () => {
    const pts = sweepWorkingSet(mustResolve({ vm: { memoryMiB: 1024 } }));
    expect(pts).toHaveLength(18);
    const at = (c: string, ws: number) => pts.find((p) => p.cipher === c && p.x === ws)!;
    expect(at('3des', 128).totalMs).toBeGreaterThan(at('aes-gcm', 128).totalMs * 5);
    expect(at('3des', 128).converged).toBe(false);
    expect(at('aes-gcm', 768).totalMs).toBeGreaterThan(at('aes-gcm', 64).totalMs);
  });
});
