/**
 * What each attack of the security lab teaches: what the attacker does, what stops it, what happens
 * when that defence is switched off, and which paper it comes from. The attack ids and their short
 * labels live once in the scenario schema (`ATTACK_LABELS`); the mechanics in `runtime/attacks.ts`.
 */
import { ATTACK_LABELS, type AttackId } from '../core/index';

export interface AttackLesson {
  id: AttackId;
  label: string;
  /** Where the attack needs a particular scenario to mean anything. */
  needs?: 'post-copy' | 'semigrate' | 'fctrans' | 'firewall' | 'protected' | 'aes';
  does: string;
  stoppedBy: string;
  /** With the defence off (null: not a teaching switch, the check always runs). */
  unopposed: string | null;
  source: string;
}

const L = (id: AttackId, x: Omit<AttackLesson, 'id' | 'label'>): AttackLesson => ({ id, label: ATTACK_LABELS[id], ...x });

export const ATTACK_LESSONS: AttackLesson[] = [
  L('none', { does: 'Nobody touches the link.', stoppedBy: '—', unopposed: null, source: '' }),
  L('tamper', {
    does: 'Flips one bit of a record on the link.',
    stoppedBy: 'The AES-GCM tag: the record fails authentication and is dropped before any byte reaches memory; its pages are missing, so the manifest does not match and the destination refuses to resume.',
    unopposed: null,
    source: 'Zhang & Chen, integrity',
  }),
  L('replay', {
    does: 'Sends an old record again, later.',
    stoppedBy: 'The replay window (each sequence number once) and page versions (no page may go back in time).',
    unopposed: 'The copy is accepted: an old page version can overwrite a newer one.',
    source: 'Zhang & Chen, replay',
  }),
  L('reorder', {
    does: 'Swaps two records on the link.',
    stoppedBy: 'Nothing needs to: both arrive within the replay window and carry page versions, so order does not matter.',
    unopposed: null,
    source: 'Zhang & Chen, reordering',
  }),
  L('drop', {
    does: 'Drops one record, hoping the destination resumes without it.',
    stoppedBy: 'The final manifest: per channel, the pages sent and a digest of their versions. The destination checks it and answers ABORT; the source resumes.',
    unopposed: null,
    source: 'Zhang & Chen, resumption order',
  }),
  L('splice-migration', {
    does: 'Splices in a valid record from another migration under a reused key.',
    stoppedBy: 'Header binding: the migration id is in the authenticated header and must be this session’s.',
    unopposed: 'The foreign record is accepted in place of the genuine one with its sequence number, which then looks like a replay and is lost.',
    source: 'Zhang & Chen, splicing',
  }),
  L('splice-channel', {
    does: 'Moves a valid record onto another channel.',
    stoppedBy: 'Header binding: the channel id is authenticated and each channel has its own key and nonce space.',
    unopposed: 'The record is accepted on the wrong channel and shadows a genuine one.',
    source: 'QEMU multifd; Zhang & Chen',
  }),
  L('downgrade-clear', {
    does: 'Strips the cipher offer (and the signature it cannot forge) from the handshake.',
    stoppedBy: 'Policy “required”: both hosts must offer the cipher and sign with the identity on record, or no page moves.',
    unopposed: 'Under “opportunistic”, the hosts fall back to clear pages: canary secrets appear on the wire.',
    source: 'VMware encrypted vMotion policies',
  }),
  L('downgrade-cipher', {
    does: 'Rewrites record headers mid-stream to claim the weaker 3DES suite.',
    stoppedBy: 'The suite agreed in the handshake: records that claim another are refused; past the failure limit the destination aborts.',
    unopposed: null,
    source: 'Hu et al. (AES vs 3DES); downgrade attacks',
  }),
  L('impersonate', {
    does: 'An impostor answers the handshake as the destination, with its own identity and key.',
    stoppedBy: 'Mutual authentication: each hello is signed by the host identity the management plane recorded.',
    unopposed: 'The source agrees keys with the impostor, who could read every page; the real destination can open nothing.',
    source: 'Zhang & Chen, authentication',
  }),
  L('wrong-key', {
    does: 'A man in the middle swaps the key shares in both hellos.',
    stoppedBy: 'The signature covers the key share: a swapped share no longer verifies.',
    unopposed: 'The hosts derive keys with the attacker; the pages are his to read.',
    source: 'Zhang & Chen, authentication',
  }),
  L('forge-commit', {
    does: 'Drops a record, forges a manifest that fits what arrived and a COMMIT, and hides the real READY.',
    stoppedBy: 'Control messages are sealed under the session key: forgeries are refused; the real manifest does not match; ABORT.',
    unopposed: 'Both copies run, and the destination runs with a hole in its memory: split-brain.',
    source: 'Zhang & Chen, resumption order',
  }),
  L('drop-commit', {
    does: 'Drops every COMMIT.',
    stoppedBy: 'Safety over availability: after READY the source never runs again, and the destination never runs without COMMIT. The VM stops until an operator repairs the link; never two copies.',
    unopposed: null,
    source: 'Zhang & Chen; two generals',
  }),
  L('delay-commit', {
    does: 'Holds the first COMMIT back.',
    stoppedBy: 'Retries: the destination re-sends READY, the source re-sends COMMIT; the late duplicate is harmless.',
    unopposed: null,
    source: 'Zhang & Chen',
  }),
  L('forge-abort', {
    does: 'Forges ABORT to the source and COMMIT to the destination.',
    stoppedBy: 'Both are refused: not sealed under the session key.',
    unopposed: 'The source resumes and the destination runs: two copies of one VM.',
    source: 'Zhang & Chen, resumption order',
  }),
  L('tamper-request', {
    needs: 'post-copy',
    does: 'Changes the page number of a post-copy page request.',
    stoppedBy: 'Page requests are sealed: the tampered one is refused, the vCPU keeps waiting and the destination asks again.',
    unopposed: 'The source serves the wrong page.',
    source: 'Hu et al. (post-copy faults)',
  }),
  L('link-reset', {
    needs: 'post-copy',
    does: 'Resets the connection during post-copy: records in flight are lost.',
    stoppedBy: 'Recovery: the destination pauses the faulting vCPU, says which pages it lacks, and the source sends them again (as QEMU’s postcopy-recover does). It never runs with a hole.',
    unopposed: null,
    source: 'QEMU post-copy recovery',
  }),
  L('subhost-read', {
    needs: 'semigrate',
    does: 'The untrusted sub host reads what it stores.',
    stoppedBy: 'SEmigrate: sensitive pages stay sealed at the sub host, which holds no key. Non-sensitive pages are readable by design (authenticated, not encrypted).',
    unopposed: null,
    source: 'Horio et al., SEmigrate',
  }),
  L('subhost-swap', {
    needs: 'semigrate',
    does: 'The sub host hands back another page’s record when asked for one.',
    stoppedBy: 'Page identity is in the authenticated header: the main host takes only the pages it asked for, and will not resume while owed one.',
    unopposed: null,
    source: 'Horio et al., SEmigrate',
  }),
  L('subhost-rollback', {
    needs: 'semigrate',
    does: 'The sub host hands back an older record of a page.',
    stoppedBy: 'Page versions: the source tells the main host which version it placed; an older one is refused.',
    unopposed: 'The old page is accepted: the VM runs with stale memory.',
    source: 'Horio et al., SEmigrate',
  }),
  L('tamper-unused', {
    needs: 'fctrans',
    does: 'Adds pages in use to the unused-page list.',
    stoppedBy: 'The list travels sealed; a tampered list is refused and the destination will not resume without it.',
    unopposed: 'The destination drops live pages: it runs with wrong memory.',
    source: 'Mitsuda et al., FCtrans',
  }),
  L('tamper-context', {
    needs: 'firewall',
    does: 'Rewrites the firewall rules in the security context to open every port.',
    stoppedBy: 'The context travels sealed and is applied only if it authenticates.',
    unopposed: 'The destination installs the attacker’s rules.',
    source: 'Chen et al., security context',
  }),
  L('tamper-metadata', {
    needs: 'protected',
    does: 'Shifts the memory regions of protected processes.',
    stoppedBy: 'Protection metadata travels sealed and is checked before the VM resumes.',
    unopposed: 'A protected page falls outside its region: the guest OS could read it.',
    source: 'Zhang & Chen, protected processes',
  }),
  L('flood', {
    does: 'Floods the destination with forged records.',
    stoppedBy: 'The failure limit: after that many rejected records the destination aborts cleanly and the VM keeps running at the source.',
    unopposed: 'Without a limit the destination checks every forgery: the migration is kept busy for as long as the attacker likes.',
    source: 'Zhang & Chen, denial of service',
  }),
  L('nonce-reuse', {
    needs: 'aes',
    does: 'Teaching mode: two pages sealed under one (key, nonce), as a careless implementation would.',
    stoppedBy: 'Nonces are the channel id and a sequence number: never repeated. The demo shows what reuse would leak: the XOR of the two ciphertexts equals the XOR of the two pages.',
    unopposed: null,
    source: 'AES-GCM (NIST SP 800-38D)',
  }),
];

export const lessonOf = (id: AttackId): AttackLesson => ATTACK_LESSONS.find((a) => a.id === id)!;

/** What an observer on the link still learns, even with every page sealed. */
export const OBSERVER_LEARNS = [
  'Record sizes: how many pages each record holds, so how much memory moves and when.',
  'Timing: when the rounds start and end, how fast the guest dirties memory, when the VM pauses.',
  'Header fields in clear: page numbers and their versions (which pages the guest writes, and how often), the migration id, channel, sequence number and round.',
  'Which pages are all zeros: like QEMU, the hosts send a zero page as a marker with no bytes.',
  'That a migration happens at all, between which hosts, and how long it takes.',
];
