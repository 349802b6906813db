/**
 * The narration line: what is happening now, in plain words. All the sentences live here, not in
 * components, so they can be read, corrected and translated in one place.
 */
import { FaultKind, PageState, type Phase, type Playback, type RunResult } from '../core/index';

const n = (x: number): string => Math.round(x).toLocaleString('en');
const s = (sec: number): string => (sec < 1 ? `${(sec * 1000).toFixed(0)} ms` : `${sec.toFixed(2)} s`);

export function narrate(run: RunResult, pb: Playback): string {
  const { trace, metrics, scenario } = run;
  const t = pb.time;
  const phases = trace.phases;
  const i = pb.phaseIndex;
  const phase: Phase = phases[i]!;
  const algo = scenario.migration.algorithm;
  if (t >= trace.endTime) {
    const verdict =
      metrics.status === 'cancelled'
        ? 'Pre-copy could not converge and the migration was cancelled: the VM stays on the source.'
        : `Done in ${s(metrics['total-time'] / 1000)}, with ${s(metrics.downtime / 1000)} of downtime${metrics['expected-downtime'] !== null ? ` (pre-copy expected ${s(metrics['expected-downtime'] / 1000)})` : ''}.`;
    return metrics.converged ? verdict : `${verdict} It did not converge: the guest dirtied pages as fast as they could be sent.`;
  }
  switch (phase.kind) {
    case 'setup':
      return scenario.cipher === 'none'
        ? 'Connecting to the destination. No encryption: pages will cross the link readable.'
        : 'Connecting and agreeing a secret session key, so every page can be sealed before it leaves.';
    case 'round': {
      if (phase.round === 1) {
        const skip = phase.skipped > 0 ? ` FCtrans passes over ${n(phase.skipped)} unused pages: they are never sent.` : '';
        const split = scenario.destinations.length > 1 ? ` Each page goes to the host that will hold it: ${scenario.destinations.map((d) => d.name).join(', ')}.` : '';
        return `Round 1: every page is sent once while the VM keeps running.${split}${skip}`;
      }
      const prev = phases[i - 1]!;
      const exp = prev.expectedDowntime !== undefined ? ` Expected downtime if it stopped now: ${s(prev.expectedDowntime)}, limit ${scenario.migration.downtimeLimitMs} ms.` : '';
      const throttle = phase.throttle > 0 ? ` Auto-converge slows the vCPUs by ${Math.round(phase.throttle * 100)} %.` : '';
      // QEMU re-reads the dirty bitmap when what is left looks small: the pass before may not have reached every page yet.
      const left = pb.countState(PageState.notSent);
      const unreached = left > 0 ? ` The ${n(left)} grey pages the first pass has not reached yet go too.` : '';
      return `Round ${phase.round}: ${n(prev.dirtied)} pages were written after they were sent; they go again.${unreached}${exp}${throttle}`;
    }
    case 'stop-copy': {
      const down = Math.max(0, t - phase.start);
      return phase.pages > 0
        ? `The VM is paused. The last ${n(phase.pages)} dirty pages and the CPU state go now: downtime so far ${s(down)}.`
        : `The VM is paused only to send its CPU and device state (${scenario.vm.deviceStateKiB} KiB): downtime so far ${s(down)}.`;
    }
    case 'postcopy': {
      const faults = pb.faultsOfKind(FaultKind.network);
      return algo === 'hybrid'
        ? `Hybrid: after ${metrics.rounds.length} pre-copy rounds the VM runs on the destination; missing pages are pushed or fetched on a fault (${n(faults)} network faults so far).`
        : `Post-copy: the VM already runs on the destination. The source pushes pages; when the VM touches one that has not arrived it waits for a network fault (${n(faults)} so far; first touches of arrived pages are cheap minor faults: ${n(pb.faultsOfKind(FaultKind.minor))}).`;
    }
    case 'paging': {
      const sm = metrics.split;
      return `The VM runs on the main host with its memory spread over ${scenario.destinations.length} hosts: a touch of a page on a sub host is a remote fault (${sm ? sm.remoteFaultsPerS.toFixed(0) : 0}/s), and when the main host's memory is full it pages cold pages out to a sub host.${scenario.split.skipUnused ? ' Unused pages are served locally at once (FCtrans).' : ''}${scenario.split.semigrate ? ' Sub hosts keep ciphertext and never decrypt (SEmigrate).' : ''}`;
    }
  }
}
