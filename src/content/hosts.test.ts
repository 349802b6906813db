import { describe, expect, it } from 'vitest';
import { mustResolve } from '../core/index';
import { hostLabel } from './hosts';

describe('host labels', () => {
  it('should gloss the papers’ hosts F and S', () => {
    const s = mustResolve({ source: { name: 'S', speed: 0.55 }, destinations: [{ name: 'F1' }] });
    expect(hostLabel(s, 0)).toBe('Source (S: slow host, 0.55× speed)');
    expect(hostLabel(s, 1)).toBe('Destination (F1: fast host F)');
  });

  it('should name split migration hosts by role, without repeating generic names', () => {
    const s = mustResolve({ vm: { memoryMiB: 4096 }, destinations: [{ name: 'main', capacityMiB: 2048 }, { name: 'sub1', capacityMiB: 2048 }] });
    expect(hostLabel(s, 1)).toBe('Main host');
    expect(hostLabel(s, 2)).toBe('Sub host 1');
  });
});
