/**
 * The attacks a learner can put on the source → main link, after Zhang & Chen's threat model, with
 * what each should teach. The hosts really receive the altered traffic.
 */
import type { Attack } from '../runtime/link';

export interface AttackChoice {
  id: string;
  label: string;
  expect: string;
  attack: Attack | null;
}

export const ATTACKS: AttackChoice[] = [
  { id: 'none', label: 'No attacker', expect: 'Every record is accepted; memory verifies; the destination resumes.', attack: null },
  {
    id: 'flip-bit',
    label: 'Flip one bit of record 3 (tampering)',
    expect: 'The tag fails and the record is rejected before memory is touched; its pages are missing, so the destination refuses to resume.',
    attack: { kind: 'flip-bit', record: 3, bit: 8 * 900 + 5 },
  },
  {
    id: 'replay',
    label: 'Replay record 2 later (replay)',
    expect: 'The copy is rejected as a replay; nothing is written twice; memory verifies.',
    attack: { kind: 'replay', record: 2, after: 40 },
  },
  {
    id: 'reorder',
    label: 'Swap records 5 and 6 (reordering)',
    expect: 'Both arrive within the replay window and carry page versions: accepted safely, memory verifies.',
    attack: { kind: 'reorder', record: 5 },
  },
  {
    id: 'drop',
    label: 'Drop record 7 (resumption before completion)',
    expect: "The commit says more records were sent than arrived: the destination refuses to resume the VM.",
    attack: { kind: 'drop', record: 7 },
  },
];
