/**
 * The scenario's types, derived from the schema (`scenario-schema.ts` is the one definition): names
 * for the parts other modules talk about. Nothing here can drift from what the resolver accepts.
 */
import type { ScenarioShape } from './scenario-schema';

/** A resolved, valid scenario: every field present. */
export type Scenario = ScenarioShape;
export type VmSpec = Scenario['vm'];
export type WorkloadSpec = Scenario['workload'];
export type HostSpec = Scenario['source'];
export type LinkSpec = Scenario['pagingLink'];
export type CpuCosts = Scenario['cpu'];
export type MigrationSpec = Scenario['migration'];
export type SplitSpec = Scenario['split'];
export type DataPlaneSpec = Scenario['dataPlane'];
export type SecuritySpec = Scenario['security'];
export type SecurityPolicy = SecuritySpec['policy'];

export type WorkloadKind = WorkloadSpec['kind'];
export type NetDirection = WorkloadSpec['netDirection'];
export type Algorithm = MigrationSpec['algorithm'];
export type NoConvergence = MigrationSpec['onNoConvergence'];
export type StopRule = MigrationSpec['stopRule'];
export type PartitionPolicy = SplitSpec['policy'];
export type Transport = Scenario['transport'];
export type Hypervisor = Scenario['hypervisor'];
/** Every cipher a scenario may name, including the browser-measured speed profile. */
export type CipherId = Scenario['cipher'];
/** Ciphers that exist as real code on the wire (the measured profile is a speed, not a cipher). */
export type WireCipher = Exclude<CipherId, 'measured'>;

/** What a caller may pass: any subset; `resolveScenario` fills the rest. */
export type ScenarioInput = DeepPartial<Scenario>;
export type DeepPartial<T> = T extends (infer U)[]
  ? DeepPartial<U>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;
