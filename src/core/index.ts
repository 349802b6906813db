/** The simulation core's public surface. Pure TypeScript: no DOM, no workers, no WebCrypto. */
export * from './scenario-types';
export * from './scenario-schema';
export * from './resolve-scenario';
export * from './scenario-url';
export * from './simulate';
export * from './metrics';
export * from './trace';
export * from './page-class';
export * from './units';
export * from './protection';
export { CIPHERS, cipherProfile, resolveCostModel, type CipherProfile, type CostModel } from './cost-model';
export { PRESETS, type Preset } from './presets';
export { traceDigest } from './trace-digest';
export * from './playback';
export { fillPage } from './page-content';
export { mergeInput } from './merge-input';
export * from './sweep';
