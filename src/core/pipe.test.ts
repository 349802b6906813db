/** The two-stage stream with socket buffers: what arrives when, and when the sender is blocked. */
import { describe, expect, it } from 'vitest';
import { Pipe } from './pipe';

describe('Pipe', () => {
  it('should carry pages in order, each arriving after the downstream stage and the latency', () => {
    const pipe = new Pipe(1e9, 0.001);
    const a = pipe.send(0.1, 1, 100);
    const b = pipe.send(0.1, 1, 100);
    expect(a).toBeCloseTo(0.1 + 1 + 0.001, 12);
    expect(b).toBeCloseTo(2.1 + 0.001, 12);
    expect(pipe.sourceDone).toBeCloseTo(0.2, 12);
  });

  it('should let the sender run ahead only as far as the buffer holds', () => {
    // Downstream 1 s a page, buffer of 3 pages: the 5th write waits until the 2nd page has left.
    const pipe = new Pipe(300, 0);
    for (let i = 0; i < 5; i++) pipe.send(0, 1, 100);
    expect(pipe.sourceDone).toBeCloseTo(2, 12);
    expect(pipe.drained).toBeCloseTo(5, 12);
  });

  it('should keep the buffer empty when the sender is the slow stage (a throttle)', () => {
    const pipe = new Pipe(1000, 0);
    for (let i = 0; i < 10; i++) pipe.send(1, 0.01, 100);
    expect(pipe.queuedAt(pipe.sourceDone + 0.02)).toBe(0);
    expect(pipe.drained).toBeCloseTo(10.01, 9);
  });

  it('should make a page written behind a full buffer wait for the whole queue (head-of-line)', () => {
    const pipe = new Pipe(1000, 0);
    for (let i = 0; i < 10; i++) pipe.send(0, 0.1, 100);
    const urgent = pipe.send(0, 0.1, 100, 0);
    expect(urgent).toBeGreaterThanOrEqual(1.1 - 1e-9);
  });

  it('should grow past its first storage without losing order', () => {
    const pipe = new Pipe(1e12, 0);
    let last = 0;
    for (let i = 0; i < 5000; i++) {
      const t = pipe.send(0, 0.001, 1);
      expect(t).toBeGreaterThan(last);
      last = t;
    }
  });
});
