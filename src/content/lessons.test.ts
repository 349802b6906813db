/**
 * Every shipped lesson passes its check, each step's scenario resolves, and each step's moment exists in
 * that step's run (a lesson must never stop at a moment its run does not have). Hostile lesson files are
 * refused with the field named.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findMoment, mustResolve, simulate, teachingMoments } from '../core/index';
import { parseLesson, stepInput } from './lesson-schema';

const DIR = new URL('./lessons/', import.meta.url);
const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

describe('lessons', () => {
  it('should ship the newcomers lesson and one per seed paper', () => {
    const ids = files.map((f) => JSON.parse(readFileSync(new URL(f, DIR), 'utf8')).id);
    expect(ids).toEqual(expect.arrayContaining(['five-minutes', 'hu-encryption', 'fctrans-unused', 'semigrate-sub-hosts', 'protocol-attacks', 'firewall-context']));
  });

  it.each(files)('should accept %s, and reach every step’s moment in its run', (file) => {
    const r = parseLesson(JSON.parse(readFileSync(new URL(file, DIR), 'utf8')), file);
    expect(r.ok ? [] : r.errors).toEqual([]);
    if (!r.ok) return;
    for (const step of r.lesson.steps) {
      const run = simulate(mustResolve(stepInput(step)), { trace: step.moment === 'first-network-fault' || step.moment === 'start' });
      const m = findMoment(teachingMoments(run.trace), step.moment);
      expect(m, `${file}: "${step.title}" stops at ${step.moment}`).not.toBeNull();
      if (step.realHosts) expect(run.scenario.vm.memoryMiB, `${file}: "${step.title}" runs real hosts`).toBeLessThanOrEqual(1024);
    }
  });

  it.each([
    ['JSON object', { id: 'x', title: 't', audience: 'a', summary: 's', steps: [], __proto__: { polluted: 1 } }],
    ['__proto__', JSON.parse('{"id":"x","title":"t","audience":"a","summary":"s","steps":[{"title":"t","preset":"first-look","moment":"end","text":"x","__proto__":{"a":1}}]}')],
    ['id', { id: 'Bad Id', title: 't', audience: 'a', summary: 's', steps: [{ title: 't', preset: 'first-look', moment: 'end', text: 'x' }] }],
    ['preset', { id: 'x', title: 't', audience: 'a', summary: 's', steps: [{ title: 't', preset: 'nope', moment: 'end', text: 'x' }] }],
    ['moment', { id: 'x', title: 't', audience: 'a', summary: 's', steps: [{ title: 't', preset: 'first-look', moment: 'round:0', text: 'x' }] }],
    ['vm.memoryMiB', { id: 'x', title: 't', audience: 'a', summary: 's', steps: [{ title: 't', preset: 'first-look', moment: 'end', text: 'x', scenario: { vm: { memoryMiB: 1 } } }] }],
    ['text', { id: 'x', title: 't', audience: 'a', summary: 's', steps: [{ title: 't', preset: 'first-look', moment: 'end', text: 'x'.repeat(5000) }] }],
    ['object', 'not an object'],
  ])('should refuse a bad lesson, naming %s', (field, bad) => {
    const r = parseLesson(bad, 'bad.json');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join(' ')).toContain(field);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('teaching moments', () => {
  it('should find rounds, the switch-over and the end of a pre-copy run, in time order', () => {
    const run = simulate(mustResolve({ vm: { memoryMiB: 128 }, workload: { workingSetMiB: 32 } }));
    const ms = teachingMoments(run.trace);
    expect(ms[0]!.id).toBe('start');
    expect(ms.at(-1)!.id).toBe('end');
    expect(ms.map((m) => m.id)).toContain('round:1');
    expect(ms.map((m) => m.id)).toContain('switch-over');
    expect(ms.every((m, i) => i === 0 || m.time >= ms[i - 1]!.time)).toBe(true);
    expect(findMoment(ms, 'first-network-fault')).toBeNull();
  });

  it('should find the first network fault of a post-copy run', () => {
    const run = simulate(mustResolve({ vm: { memoryMiB: 128 }, workload: { workingSetMiB: 32 }, migration: { algorithm: 'postcopy' } }));
    const m = findMoment(teachingMoments(run.trace), 'first-network-fault');
    expect(m).not.toBeNull();
    expect(m!.time).toBeGreaterThanOrEqual(run.trace.resumeAt);
  });

  it('should open a lesson written in scenario format 1, upgrading its steps and saying so', () => {
    const old = { id: 'old', title: 't', audience: 'a', summary: 's', steps: [{ title: 't', preset: 'first-look', moment: 'end', text: 'x', scenario: { workload: { rateMiBps: 24 } } }] };
    const r = parseLesson(old, 'old.json');
    expect(r.ok ? [] : r.errors).toEqual([]);
    if (!r.ok) return;
    expect(r.lesson.steps[0]!.scenario).toEqual({ workload: { touchesPerS: 6144 } });
    expect(r.lesson.upgraded[0]).toMatch(/old\.json\.steps\[0\]\.scenario: workload\.rateMiBps = 24 MiB\/s/);
  });

  it('should refuse a lesson from a newer format by its field', () => {
    const r = parseLesson({ format: 9, id: 'x', title: 't', audience: 'a', summary: 's', steps: [{ title: 't', preset: 'first-look', moment: 'end', text: 'x' }] }, 'new.json');
    expect(r.ok ? [] : r.errors).toEqual([expect.stringMatching(/^new\.json\.format is 9/)]);
  });
});
