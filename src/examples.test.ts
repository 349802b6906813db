/**
 * Examples that stay true: every scenario file in scenarios/ runs and equals its preset, and every
 * `npm run simulate` command and example link in the README works as a newcomer would copy it.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lessonById } from './content/lessons';
import { parseQuery, PRESETS, readScenarioFile, resolveScenario, SCENARIO_FORMAT, simulate } from './core/index';

const ROOT = new URL('../', import.meta.url);
const readme = readFileSync(new URL('README.md', ROOT), 'utf8');
const files = readdirSync(new URL('scenarios/', ROOT)).filter((f) => f.endsWith('.json'));

describe('examples', () => {
  it('should ship a scenario file for the first look and for each paper', () => {
    const papers = new Set(PRESETS.map((p) => p.paper).filter(Boolean));
    const shipped = new Set(files.map((f) => PRESETS.find((p) => `${p.id}.json` === f)?.paper ?? (f === 'first-look.json' ? 'first-look' : null)));
    expect(shipped.has('first-look')).toBe(true);
    for (const paper of papers) expect(shipped.has(paper), `a scenario file for ${paper}`).toBe(true);
  });

  it.each(files)('should run scenarios/%s in the current format, equal to its preset', (f) => {
    const read = readScenarioFile(JSON.parse(readFileSync(new URL(`scenarios/${f}`, ROOT), 'utf8')));
    if (!read.ok) throw new Error(read.message);
    expect(read.format).toBe(SCENARIO_FORMAT);
    const r = resolveScenario(read.input);
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
    const preset = PRESETS.find((p) => `${p.id}.json` === f);
    if (preset) expect(r.scenario).toEqual(resolveScenario(preset.input).ok && (resolveScenario(preset.input) as { scenario: unknown }).scenario);
    expect(simulate(r.scenario, { trace: false }).metrics.status).toMatch(/completed|cancelled/);
  });

  const commands = [...readme.matchAll(/^npm run simulate -- (.+)$/gm)].map((m) => m[1]!.trim());
  it('should find the README commands', () => expect(commands.length).toBeGreaterThanOrEqual(3));
  it.each(commands)('should run the README command npm run simulate -- %s', (args) => {
    const out = execFileSync('npx', ['tsx', 'scripts/simulate.ts', ...args.split(/\s+/)], { cwd: ROOT, encoding: 'utf8' });
    const metrics = JSON.parse(out) as Record<string, unknown>;
    expect(metrics.status).toMatch(/completed|cancelled/);
  });

  const links = [...readme.matchAll(/`\?([^`\s]+)`/g), ...readme.matchAll(/src="https:\/\/[^"?]+\?([^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
  it('should find the README links', () => expect(links.length).toBeGreaterThanOrEqual(6));
  it.each(links)('should open the README link ?%s without refusing any part', (q) => {
    const p = parseQuery(q);
    expect(p.errors).toEqual([]);
    const lesson = p.app.get('lesson');
    if (lesson && lesson !== '<id>') expect(lessonById(lesson), lesson).toBeDefined();
    const preset = p.app.get('preset');
    if (preset) expect(PRESETS.some((x) => x.id === preset), preset).toBe(true);
    expect(resolveScenario(p.input, { fromText: true }).ok).toBe(true);
  });
});
