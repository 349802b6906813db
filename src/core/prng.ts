/**
 * Seeded pseudo-random numbers: sfc32 seeded through splitmix32. Integer-only arithmetic, so the
 * stream is identical in every JS engine; every random choice in the model draws from one of these.
 */
import { detLog } from './det-math';

export class Rng {
  private a_: number;
  private b_: number;
  private c_: number;
  private d_: number;

  /** @param seed any 32-bit integer; @param stream separates independent streams from one seed */
  constructor(seed: number, stream = 0) {
    let s = (seed ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a_ = next();
    this.b_ = next();
    this.c_ = next();
    this.d_ = next();
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** A uniform unsigned 32-bit integer. */
  u32(): number {
    const t = (((this.a_ + this.b_) | 0) + this.d_) | 0;
    this.d_ = (this.d_ + 1) | 0;
    this.a_ = this.b_ ^ (this.b_ >>> 9);
    this.b_ = (this.c_ + (this.c_ << 3)) | 0;
    this.c_ = (this.c_ << 21) | (this.c_ >>> 11);
    this.c_ = (this.c_ + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Fill `out[0..n)` with the stream's next n unsigned 32-bit integers: the same stream as n calls of `u32()` (`float()` is one of them ÷ 2^32). */
  fillU32(out: Uint32Array, n: number): void {
    let a = this.a_;
    let b = this.b_;
    let c = this.c_;
    let d = this.d_;
    for (let i = 0; i < n; i++) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      out[i] = t;
    }
    this.a_ = a;
    this.b_ = b;
    this.c_ = c;
    this.d_ = d;
  }

  /** Uniform integer in [0, n) for n <= 2^32 (multiply-shift; the bias is below 2^-32·n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /**
   * Uniform integer in [0, n) redrawn until `ok[kind[p]]` is set: the same stream as
   * `do p = int(n); while (!ok[kind[p]])`, with the state in locals (a rare kind of page is many draws).
   */
  intWhere(n: number, kind: Uint8Array, ok: Uint8Array): number {
    let a = this.a_;
    let b = this.b_;
    let c = this.c_;
    let d = this.d_;
    let p: number;
    do {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      p = Math.floor(((t >>> 0) / 4294967296) * n);
    } while (!ok[kind[p]!]);
    this.a_ = a;
    this.b_ = b;
    this.c_ = c;
    this.d_ = d;
    return p;
  }

  /** Exponential with the given rate (mean 1/rate). */
  exponential(rate: number): number {
    return -detLog(1 - this.float()) / rate;
  }
}
