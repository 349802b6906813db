/**
 * Build-time check of the lessons: `vite build` (and the dev server) stop on a lesson file that does not
 * pass `parseLesson`, naming the file, the step and the field — a lecturer's typo never ships.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';
import { parseLesson } from '../src/content/lesson-schema';

export function checkLessons(dir: string): Plugin {
  return {
    name: 'migrascope-check-lessons',
    buildStart() {
      const errors: string[] = [];
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
        let json: unknown;
        try {
          json = JSON.parse(readFileSync(join(dir, file), 'utf8'));
        } catch (e) {
          errors.push(`${file}: not valid JSON (${(e as Error).message})`);
          continue;
        }
        const r = parseLesson(json, file);
        if (!r.ok) errors.push(...r.errors);
      }
      if (errors.length) this.error(`Lessons refused:\n  ${errors.join('\n  ')}`);
    },
  };
}
