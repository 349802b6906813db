/** Calibration and seal benchmarks in their own worker (not the production host worker). */
import { expose } from 'comlink';
import { measureRecordSeal, measureSeal } from './bench/seal-bench';

const benchApi = { measureSeal, measureRecordSeal };
export type BenchApi = typeof benchApi;
expose(benchApi);
