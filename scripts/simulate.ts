/**
 * Batch runs without a browser: `npm run simulate -- scenario.json` prints the run's metrics as JSON.
 * `-` reads the scenario from standard input; `--preset ID` starts from a preset (the file overrides it).
 * A bad scenario prints every validation error and exits with status 2.
 */
import { readFileSync } from 'node:fs';
import { mergeInput, PRESETS, readScenarioFile, resolveScenario, simulate, traceDigest } from '../src/core/index';

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: npm run simulate -- [--preset ID] [--trace-digest] <scenario.json | ->\n`);
  process.stderr.write(`presets: ${PRESETS.map((p) => p.id).join(', ')}\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
let presetId: string | null = null;
let file: string | null = null;
let digest = false;
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === '--preset') presetId = args[++i] ?? usage('--preset needs an id');
  else if (a === '--trace-digest') digest = true;
  else if (a === '--help' || a === '-h') usage('Simulate one live migration and print its metrics.');
  else if (file === null) file = a;
  else usage(`unexpected argument ${a}`);
}
if (file === null && presetId === null) usage('give a scenario file, - for standard input, or --preset');

const preset = presetId === null ? undefined : PRESETS.find((p) => p.id === presetId);
if (presetId !== null && !preset) usage(`no preset ${presetId}`);

let input: Record<string, unknown> = {};
if (file !== null) {
  try {
    const read = readScenarioFile(JSON.parse(readFileSync(file === '-' ? 0 : file, 'utf8')));
    if (!read.ok) usage(`invalid scenario file ${file}: ${read.message}`);
    input = read.input;
    // An older format opens, upgraded; the user reads what changed (stderr keeps stdout pure JSON).
    for (const n of read.notes) process.stderr.write(`upgraded: ${n}\n`);
  } catch (e) {
    usage(`cannot read scenario ${file}: ${(e as Error).message}`);
  }
}
const merged = preset ? mergeInput(preset.input as Record<string, unknown>, input) : input;
const resolved = resolveScenario(merged);
if (!resolved.ok) {
  process.stderr.write(`invalid scenario:\n${resolved.errors.map((e) => `  - ${e.message}`).join('\n')}\n`);
  process.exit(2);
}
const run = simulate(resolved.scenario);
const out: Record<string, unknown> = { ...run.metrics };
if (digest) out['trace-digest'] = traceDigest(run.trace);
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);

