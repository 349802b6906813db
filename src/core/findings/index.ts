/** Every paper finding the model is held to, in the papers' order. */
import type { Finding } from './finding';
import { HU_APPS } from './hu-apps';
import { HU_MEMORY } from './hu-memory';
import { OTHERS } from './others';

export type { Finding, FindingResult, Runner } from './finding';
export { runner } from './runner';
export const FINDINGS: readonly Finding[] = [...HU_MEMORY, ...HU_APPS, ...OTHERS];
