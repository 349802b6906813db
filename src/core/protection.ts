/**
 * The protection rule, stated once for the model and the real hosts alike: how each page class
 * travels, which hosts hold a key and open what they receive, and which host holds each page when the
 * run ends. If this changes, the animation and the real bytes change together.
 */
import { PAGE_CLASSES, PageClass } from './page-class';
import type { Scenario } from './scenario-types';
import { FaultKind, type Trace } from './trace';

/** How a page crosses a link: sealed (encrypted and authenticated), authenticated but readable, or clear. */
export type Protection = 'sealed' | 'authenticated' | 'clear';

/** Whether pages are encrypted at all: a cipher is chosen and the policy does not disable it. */
export function encrypts(s: Scenario): boolean {
  return s.cipher !== 'none' && s.security.policy !== 'disabled';
}

/**
 * No cipher (or a policy that disables it): clear. With SEmigrate, only the sensitive classes are sealed; the rest stay readable but
 * are still authenticated, so an attacker can read them but not change them unseen (Horio et al. encrypt
 * only sensitive memory). Otherwise every page is sealed.
 */
export function protectionOf(s: Scenario, pageClass: number): Protection {
  if (!encrypts(s)) return 'clear';
  const name = PAGE_CLASSES[pageClass];
  if (s.split.semigrate && name && !s.vm.sensitive[name]) return 'authenticated';
  return 'sealed';
}

/** Per class code (8 entries): 1 where the class is sealed. */
export function sealedClasses(s: Scenario): Uint8Array {
  const out = new Uint8Array(8);
  PAGE_CLASSES.forEach((_, c) => (out[c] = protectionOf(s, c) === 'sealed' ? 1 : 0));
  return out;
}

/** Whether SEmigrate's rule applies: sub hosts keep records as received and hold no key. */
export function subHostsStoreCiphertext(s: Scenario): boolean {
  return s.split.semigrate && encrypts(s);
}

/**
 * Whether a host opens what it receives. Host indexes as in the trace: 0 source, 1 main host, 2… sub
 * hosts. Only SEmigrate's sub hosts never open; everyone else holds a session key.
 */
export function opensOnReceipt(s: Scenario, host: number): boolean {
  return !(host >= 2 && subHostsStoreCiphertext(s));
}

/** Whether a host takes part in key agreement (it must, to open or to seal). */
export function holdsKey(s: Scenario, host: number): boolean {
  return encrypts(s) && opensOnReceipt(s, host);
}

/**
 * Where each page is at the end of a run, from the trace: the host (trace index) that last received it,
 * 0 for a page never sent. `classAtEnd` follows frees and reuses, so a page the guest freed (and FCtrans
 * dropped) is known to be unused rather than missing.
 */
export function endOfRun(trace: Trace): { holder: Uint8Array; classAtEnd: Uint8Array } {
  const holder = new Uint8Array(trace.pageCount);
  const { sends, faults } = trace;
  for (let i = 0; i < sends.page.length; i++) holder[sends.page[i]!] = sends.to[i]!;
  const classAtEnd = trace.pageClass.slice();
  for (let i = 0; i < faults.page.length; i++) {
    const k = faults.kind[i];
    if (k === FaultKind.freed) classAtEnd[faults.page[i]!] = PageClass.free;
    else if (k === FaultKind.reused || k === FaultKind.unusedLocal) classAtEnd[faults.page[i]!] = PageClass.anon;
    else if (k === FaultKind.allocated) classAtEnd[faults.page[i]!] = trace.touchClass?.[faults.page[i]!] ?? PageClass.anon;
  }
  return { holder, classAtEnd };
}
