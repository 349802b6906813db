/**
 * `npm run validate [runs.csv]`: every measured QEMU migration predicted by the model, with the errors.
 * Exits 1 when a completed run's time or bytes are off by more than ±20 % or an outcome is wrong.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseRunsCsv } from '../src/core/validation/measured-run';
import { validateRuns, TOLERANCE } from '../src/core/validation/compare';
import { formatTable } from '../src/core/validation/report';

const file = process.argv[2] ?? fileURLToPath(new URL('../src/core/validation/qemu-7.2/runs.csv', import.meta.url));
const parsed = parseRunsCsv(readFileSync(file, 'utf8'));
if (!parsed.ok) {
  process.stderr.write(`cannot read ${file}: ${parsed.error}\n`);
  process.exit(2);
}
const rows = validateRuns(parsed.runs);
process.stdout.write(`${formatTable(rows)}\n`);
const bad = rows.filter((r) => !r.withinTolerance);
process.stdout.write(`\n${rows.length - bad.length} of ${rows.length} runs within ±${TOLERANCE * 100} % on time and bytes with the right outcome.\n`);
process.exit(bad.length ? 1 : 0);
