/** Placeholder replaced by the experiments sweep benchmark. */
export async function runSweepBench(): Promise<string[]> {
  return [];
}
