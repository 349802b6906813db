/**
 * The paused stage: stop the vCPUs, read the dirty log one last time, send what is left and the
 * vCPU/device state — with QEMU's max-bandwidth lifted, as `migration_completion` and `postcopy_start`
 * lift it — then resume on the main host. QEMU's `downtime` ends when the source has written its last
 * byte; the guest resumes only when that byte has been received, so both are kept.
 */
import type { RunContext } from '../run-context';
import { PROTECT_INSTALL_SECONDS, protectionMetadata, securityContextBytes } from '../cost-model';
import { PageClass } from '../page-class';
import { SendFlag } from '../trace';

export interface SwitchOver {
  pauseAt: number;
  /** The guest runs again on the destination. */
  resumeAt: number;
  /** QEMU's downtime: the source has written everything, s after pauseAt. */
  sourceDowntime: number;
}

export function switchOver(ctx: RunContext, remaining: Uint32Array, t: number): SwitchOver {
  const pauseAt = t;
  const sendsFrom = ctx.trace.sends.page.length;
  const bytesBefore = ctx.bytes;
  const cost = ctx.cost;
  const start = pauseAt + cost.pauseS;
  const rates = ctx.ratesFor(remaining, remaining.length, 'none');
  const sent = ctx.send(remaining, remaining.length, start, 'none', rates, { flags: SendFlag.downtime });
  // vCPU and device state go last, to the main host, sealed like any page. The security context's
  // connection table changes with every packet, so it travels paused too, and each entry is installed
  // in the destination's firewall before the VM resumes (Chen et al.).
  // Protection metadata (Zhang & Chen) travels with them, sealed, and is installed before the VM resumes.
  const protection = protectionMetadata(ctx.s, ctx.pageCount);
  const stateBytes = cost.deviceStateBytes + securityContextBytes(ctx.s).connections + protection.bytes;
  const mix = ctx.s.destinations.map((_, i) => {
    const m = new Float64Array(8);
    if (i === 0) m[PageClass.kernelData] = 1;
    return m;
  });
  const state = ctx.ratesForMix(mix, 'none').streams[0]!;
  const perByte = (a: Float64Array): number => a[PageClass.kernelData]! / cost.perClass.pageBytes[PageClass.kernelData]!;
  const pipe = ctx.pipes[0]!;
  const arrived = pipe.send(perByte(state.up) * stateBytes, perByte(state.down) * stateBytes, stateBytes, sent.sourceEnd);
  const sourceDone = pipe.sourceDone;
  // Installing the moved rules and connections in the destination's firewall; nothing moves without the context.
  const moved = ctx.s.security.migrateContext ? ctx.s.vm.firewallRules + ctx.s.vm.firewallConnections : 0;
  const install = (moved * cost.firewall.installS + protection.pages * PROTECT_INSTALL_SECONDS) / cost.hosts[1]!.speed;
  const resumeAt = Math.max(arrived, sent.end, ...ctx.busyUntil) + install;
  // The paused pages were charged as they were sent (ctx.send); only the state's write is left to charge.
  ctx.account(sourceDone - sent.sourceEnd, rates, 'none');
  ctx.trace.phases.push({
    kind: 'stop-copy',
    round: 0,
    start: pauseAt,
    end: resumeAt,
    pages: remaining.length,
    bytes: ctx.bytes - bytesBefore,
    dirtied: 0,
    skipped: 0,
    throttle: 0,
    sends: [sendsFrom, ctx.trace.sends.page.length],
    dirties: [ctx.trace.dirties.page.length, ctx.trace.dirties.page.length],
  });
  ctx.now = resumeAt;
  return { pauseAt, resumeAt, sourceDowntime: sourceDone - pauseAt };
}
