/**
 * Deterministic natural log and exp built only from +, −, ×, ÷ (which IEEE-754 rounds identically
 * everywhere). `Math.log`/`Math.exp` may differ in the last bit between JS engines, and one bit is
 * enough to flip a seeded coin: the model must give the same trace in Node and in every browser.
 */

const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const SQRT2 = 1.4142135623730951;
const LG1 = 6.666666666666735130e-1;
const LG2 = 3.999999999940941908e-1;
const LG3 = 2.857142874366239149e-1;
const LG4 = 2.222219843214978396e-1;
const LG5 = 1.818357216161805012e-1;
const LG6 = 1.531383769920937332e-1;
const LG7 = 1.479819860511658591e-1;
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Little-endian on every platform JS runs on in practice; checked once so a big-endian host fails loudly.
const HI = (() => {
  f64[0] = 1;
  if (u32[1] === 0x3ff00000) return 1;
  throw new Error('det-math: unsupported float layout');
})();

/** Natural logarithm of x > 0, reproducible bit-for-bit across engines. */
export function detLog(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN;
  if (x === Infinity) return Infinity;
  f64[0] = x;
  let hi = u32[HI]!;
  let k = 0;
  if (hi < 0x00100000) {
    // subnormal: scale into the normal range first
    f64[0] = x * 18014398509481984; // 2^54
    hi = u32[HI]!;
    k = -54;
  }
  k += (hi >>> 20) - 1023;
  u32[HI] = (hi & 0x000fffff) | 0x3ff00000;
  let m = f64[0]!; // in [1, 2)
  if (m > SQRT2) {
    m /= 2;
    k += 1;
  }
  // fdlibm's e_log.c: log(1+f) = f - f²/2 + s·(f²/2 + R(s²)), s = f/(2+f), R a minimax polynomial.
  const f = m - 1;
  const hfsq = 0.5 * f * f;
  const sv = f / (2 + f);
  const z = sv * sv;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const r = t2 + t1;
  return k * LN2_HI - (hfsq - (sv * (hfsq + r) + k * LN2_LO) - f);
}

/** e^x, reproducible bit-for-bit across engines. */
export function detExp(x: number): number {
  if (x !== x) return NaN;
  if (x > 709.7) return Infinity;
  if (x < -745.2) return 0;
  // x = k ln2 + r, |r| <= ln2/2; e^r by Taylor series, then scale by 2^k exactly
  const k = Math.round(x / (LN2_HI + LN2_LO));
  const r = x - k * LN2_HI - k * LN2_LO;
  let term = 1;
  let sum = 1;
  for (let n = 1; n < 30; n++) {
    term = (term * r) / n;
    sum += term;
    if (term < 1e-17 && term > -1e-17) break;
  }
  return scaleByPowerOfTwo(sum, k);
}

function scaleByPowerOfTwo(v: number, k: number): number {
  while (k > 1000) {
    v *= 2 ** 1000;
    k -= 1000;
  }
  while (k < -1000) {
    v *= 2 ** -1000;
    k += 1000;
  }
  return v * 2 ** k;
}
