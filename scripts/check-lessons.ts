/**
 * `npm run check-lessons` (run by `npm run build`, `npm run dev` and `npm test`): every lesson in
 * src/content/lessons passes `parseLesson`, or the build stops naming the file, the step and the field —
 * a lecturer's typo never ships.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseLesson } from '../src/content/lesson-schema';

const dir = fileURLToPath(new URL('../src/content/lessons/', import.meta.url));
const errors: string[] = [];
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
for (const file of files) {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(dir + file, 'utf8'));
  } catch (e) {
    errors.push(`${file}: not valid JSON (${(e as Error).message})`);
    continue;
  }
  const r = parseLesson(json, file);
  if (!r.ok) errors.push(...r.errors);
}
if (errors.length) {
  process.stderr.write(`Lessons refused:\n  ${errors.join('\n  ')}\n`);
  process.exit(1);
}
process.stdout.write(`${files.length} lessons checked.\n`);
