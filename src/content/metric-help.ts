/** Plain-language explanations of every metric shown; text lives here, not in components. */
export const METRIC_HELP: Record<string, string> = {
  status: 'How the migration ended: completed, or cancelled when it could not converge and was told to give up.',
  'total-time': 'From the start of migration to the moment the destination has everything.',
  downtime: 'How long the VM was paused: no work done, no packets answered. Measured, not estimated.',
  'expected-downtime': "Pre-copy's own estimate before stopping: dirty bytes left ÷ bandwidth of the last round.",
  'setup-time': 'Connecting and agreeing keys before the first page moves.',
  'ram.transferred': 'Bytes sent over the link, including pages sent again after the guest rewrote them.',
  'ram.total': 'Guest memory size.',
  'ram.normal': 'Pages sent whole (4 KiB each).',
  'ram.duplicate': 'Uniform pages (all one byte, mostly zero) sent as an 8-byte marker.',
  'ram.skipped': 'Unused pages never sent (FCtrans).',
  'ram.dirty-sync-count': 'How many times the dirty-page log was read: one per round plus the final one.',
  'ram.dirty-pages-rate': 'Pages the guest dirtied per second in the last round.',
  'ram.mbps': 'Average migration throughput in megabits per second.',
  'ram.postcopy-requests': 'Post-copy network faults: the guest touched a page that had not arrived and waited.',
  'minor-faults': 'Post-copy: first touches of pages that had already arrived; cheap, no network.',
  'workload.progress': 'Work the guest did during migration ÷ what it would have done undisturbed.',
};
