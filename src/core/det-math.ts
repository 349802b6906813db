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

/** 2^e for e in [−32, 32] at `POW2[32 + e]`, built by exact doublings and halvings. */
const POW2 = new Float64Array(65);
POW2[32] = 1;
for (let e = 1; e <= 32; e++) {
  POW2[32 + e] = POW2[31 + e]! * 2;
  POW2[32 - e] = POW2[33 - e]! / 2;
}
const TWO_32 = 4294967296;

/** Natural logarithm of x > 0, reproducible bit-for-bit across engines. */
export function detLog(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN;
  if (x === Infinity) return Infinity;
  if (x >= 1 / TWO_32 && x < TWO_32) {
    // Nearly all the model's logs fall here: of 1 − u for a uniform 32-bit u, and of the inverse-CDF
    // tables' 1 − v·q (below 2^-32 only when a page is all but certain to be written). The
    // exponent from the integer part of x (or of x·2^32, exact) and the mantissa by an exact power-of-two
    // scaling: the same e and m as reading the bits, without a store and a reload of another width
    // through a shared buffer (which stalls the CPU: 27–34 ns a log that way, 21 ns this way).
    const e = x >= 1 ? 31 - Math.clz32(x >>> 0) : -1 - Math.clz32((x * TWO_32) >>> 0);
    return logOfMantissa(x * POW2[32 - e]!, e);
  }
  return logByBits(x);
}

/** `detLog` for a positive finite x, its exponent and mantissa read from its bits (any such x; the other path is checked against it). */
export function logByBits(x: number): number {
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
  return logOfMantissa(f64[0]!, k);
}

/** log(m · 2^k) for m in [1, 2). */
function logOfMantissa(m: number, k: number): number {
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
