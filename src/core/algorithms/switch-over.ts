/**
 * The downtime window: pause the VM, sync the dirty log, send what is left (if anything) and the
 * vCPU/device state, resume on the main host. Its length is the *actual* downtime, which is why it
 * exceeds pre-copy's `expected-downtime` (that estimate ignores the pause, the log sync and the state).
 */
import { FIREWALL_INSTALL_SECONDS, phaseRates, securityContextBytes, SEND_BUFFER_BYTES, switchOverheadSeconds } from '../cost-model';
import type { RunContext } from '../run-context';
import { SendFlag } from '../trace';
import { KiB } from '../units';

export interface SwitchOver {
  pauseAt: number;
  resumeAt: number;
}

/** `afterLive`: live rounds ran before, so the send buffers are full and must drain in the downtime. */
export function switchOver(ctx: RunContext, remaining: Uint32Array, t: number, afterLive: boolean): SwitchOver {
  const pauseAt = t;
  const sendsFrom = ctx.trace.sends.page.length;
  const bytesBefore = ctx.bytes;
  let now = pauseAt + switchOverheadSeconds(ctx.s);
  now = ctx.sendList(remaining, remaining.length, now, 'none', 0, SendFlag.downtime);
  // vCPU and device state go last, to the main host, sealed like any page.
  const enc = ctx.encrypting ? 1 : 0;
  const rates = phaseRates(ctx.s, {
    vmOn: 'none',
    active: ctx.s.destinations.map((_, i) => i === 0),
    encFraction: ctx.s.destinations.map(() => enc),
    decFraction: ctx.s.destinations.map((_, i) => (i === 0 ? enc : 0)),
    throttle: 0,
  });
  // The security context's connection table changes with every packet, so it travels paused, with the
  // vCPU state, and each entry is installed in the destination's firewall before the VM resumes.
  const context = securityContextBytes(ctx.s);
  const install = (ctx.s.vm.firewallRules + ctx.s.vm.firewallConnections) * FIREWALL_INSTALL_SECONDS / ctx.s.destinations[0]!.speed;
  const stateBytes = ctx.s.vm.deviceStateKiB * KiB + context.connections;
  const drain = afterLive ? SEND_BUFFER_BYTES / rates.streamBps[0]! : 0;
  const stateTime = drain + stateBytes / rates.streamBps[0]! + ctx.s.links[0]!.latencyMs / 1000 + install;
  ctx.account(stateTime, rates, 'none');
  ctx.bytes += stateBytes;
  const resumeAt = Math.max(now, ctx.busyUntil[0]!) + stateTime;
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
  return { pauseAt, resumeAt };
}
