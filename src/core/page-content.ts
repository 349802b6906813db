/**
 * Real bytes for a guest page, generated from the seed, the page number, its class and its version,
 * so every host can rebuild exactly what the source holds. Zero pages are zero; kernel code looks like
 * x86 code; page-cache pages hold readable file text; sensitive pages hold recognisable secrets (a
 * password line, a private-key block, a session token) — what an eavesdropper would read off the wire.
 */
import { PageClass } from './page-class';
import { PAGE_SIZE } from './units';

const TEXT = [
  'The quick brown fox jumps over the lazy dog. ',
  '/var/log/syslog: systemd[1]: Started Daily apt upgrade and clean activities. ',
  'GET /index.html HTTP/1.1 Host: course.example Accept: text/html ',
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. ',
  '#include <stdio.h> int main(void) { printf("hello, world\\n"); return 0; } ',
];
const SECRETS = [
  'root:$6$rounds=5000$migrascope$Zq3.password=hunter2-',
  '-----BEGIN PRIVATE KEY-----MIIEvQIBADANBgkqhkiG9w0BAQEFAASC-',
  'Set-Cookie: session=eyJhbGciOiJIUzI1NiJ9.c2Vzc2lvbg;',
  'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY ',
  'db_password="correct horse battery staple" ',
];
// x86-64 function prologues, calls and returns: what a hex dump of kernel text looks like.
const CODE = [0x55, 0x48, 0x89, 0xe5, 0x48, 0x83, 0xec, 0x20, 0xe8, 0x00, 0x00, 0x00, 0x00, 0x48, 0x8b, 0x45, 0xf8, 0xc9, 0xc3, 0x90];
const encoder = new TextEncoder();
const TEXT_BYTES = TEXT.map((t) => encoder.encode(t));
const SECRET_BYTES = SECRETS.map((t) => encoder.encode(t));

function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Eight template pages per class, built once; a page is a template picked by (seed, page, version),
 * stamped with a header naming the page and its version, and a few bytes scattered from its own
 * stream. Copying a template is a memcpy, so filling a 1 GiB image takes a fraction of a second.
 */
const VARIANTS = 8;
const templates = new Map<number, Uint8Array[]>();

function template(cls: number, variant: number): Uint8Array {
  let list = templates.get(cls);
  if (!list) {
    list = [];
    for (let v = 0; v < VARIANTS; v++) list.push(buildTemplate(cls, v));
    templates.set(cls, list);
  }
  return list[variant]!;
}

function buildTemplate(cls: number, variant: number): Uint8Array {
  const out = new Uint8Array(PAGE_SIZE);
  let x = mix(cls + 1, variant + 1);
  const next = (): number => (x = mix(x, 0x6d2b79f5));
  if (cls === PageClass.kernelCode) {
    for (let i = 0; i < PAGE_SIZE; i++) out[i] = i % 23 < CODE.length ? CODE[i % 23]! : next() & 0xff;
    return out;
  }
  const pool = cls === PageClass.anon || cls === PageClass.kernelData ? SECRET_BYTES : TEXT_BYTES;
  let at = 0;
  while (at < PAGE_SIZE) {
    const piece = pool[next() % pool.length]!;
    const n = Math.min(piece.length, PAGE_SIZE - at);
    out.set(piece.subarray(0, n), at);
    at += n;
    if (cls === PageClass.kernelData && at < PAGE_SIZE) {
      // kernel structures: pointers between the strings
      for (let k = 0; k < 8 && at < PAGE_SIZE; k++) out[at++] = k < 6 ? next() & 0xff : 0xff;
    }
  }
  if (cls === PageClass.free) for (let i = 0; i < PAGE_SIZE; i += 64) out[i] = 0; // stale leftovers
  return out;
}

/** Write page `page`'s bytes (class `cls`, version `version`) into `out` (PAGE_SIZE bytes). */
export function fillPage(out: Uint8Array, seed: number, page: number, cls: number, version: number): void {
  if (cls === PageClass.zero) {
    out.fill(0, 0, PAGE_SIZE);
    return;
  }
  let x = mix(mix(seed, page), version);
  out.set(template(cls, x % VARIANTS));
  // A header line names the page and its version, so a learner can see which page a dump shows.
  let at = 0;
  const head = `[page ${page} v${version}] `;
  for (; at < head.length; at++) out[at] = head.charCodeAt(at);
  // Scattered bytes of the page's own make every page (and every version) differ.
  for (let k = 0; k < 16; k++) {
    x = mix(x, k);
    out[at + (x % (PAGE_SIZE - at))] = 0x41 + (x >>> 27);
  }
}

/**
 * Plant a canary secret in a page: a marker and the page number, where an eavesdropper who can read the
 * page would find it. The security lab searches the wire for it (never found when pages are sealed).
 */
export function stampCanary(out: Uint8Array, secret: string, page: number): void {
  const text = `${secret}:${page};`;
  const at = 512 + (page % 64) * 48;
  for (let i = 0; i < text.length && at + i < out.length; i++) out[at + i] = text.charCodeAt(i) & 0xff;
}
