/**
 * Hosts named for what they are: Source, Destination, Main host, Sub host N — with the papers' host
 * names glossed ("F1: fast host F", "S: slow host S, 0.55× the speed") rather than bare letters.
 */
import type { Scenario } from '../core/index';

/** The label of host `i` (0 = source, 1 = destination or main host, 2… = sub hosts). */
export function hostLabel(s: Scenario, i: number): string {
  const split = s.destinations.length > 1;
  const role = i === 0 ? 'Source' : !split ? 'Destination' : i === 1 ? 'Main host' : `Sub host ${i - 1}`;
  const h = i === 0 ? s.source : s.destinations[i - 1];
  if (!h) return role;
  const name = h.name.trim();
  const speed = h.speed === 1 ? '' : `${h.speed}× speed`;
  let gloss = '';
  if (/^F\d?$/.test(name)) gloss = `${name}: fast host F`;
  else if (name === 'S') gloss = `S: slow host${speed ? `, ${speed}` : ''}`;
  else if (!/^(host|main|sub\s*\d*|source|destination)$/i.test(name)) gloss = speed ? `${name}, ${speed}` : name;
  else gloss = speed;
  return gloss ? `${role} (${gloss})` : role;
}
