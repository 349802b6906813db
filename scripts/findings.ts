/**
 * `npm run findings`: every paper finding the model is held to (src/core/findings), run on its paper's
 * testbed, as a Markdown table — paper, claim, the paper's figure, the model's, holds or not. With
 * `--differs`, only the findings known to differ, with why (the README's list).
 */
import { FINDINGS, runner } from '../src/core/findings/index';

const onlyDiffers = process.argv.includes('--differs');
const run = runner();
const cell = (s: string): string => s.replace(/\|/g, '\\|');
let holds = 0;
const rows: string[] = [];
for (const f of FINDINGS) {
  const r = f.check(run);
  if (r.holds) holds++;
  if (onlyDiffers && f.expected === 'holds') continue;
  rows.push(
    onlyDiffers
      ? `- **${f.id}** (${f.paper}, ${f.where}): paper ${f.paperFigure}; model ${r.model}. ${f.why ?? ''}`
      : `| ${cell(f.paper)}, ${cell(f.where)} | ${cell(f.claim)} | ${cell(f.paperFigure)} | ${cell(r.model)} | ${r.holds ? 'holds' : '**differs**'} |`,
  );
}
if (!onlyDiffers) {
  console.log('| Paper | Finding | Paper’s figure | Model | |');
  console.log('|---|---|---|---|---|');
}
for (const row of rows) console.log(row);
console.log(`\n${holds} of ${FINDINGS.length} findings hold on their papers’ testbeds.`);
