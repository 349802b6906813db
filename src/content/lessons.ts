/**
 * The lessons shipped with the app: every JSON file in ./lessons, checked by `parseLesson` (also at
 * build time by scripts/check-lessons.ts, which stops the build on a bad file). A lecturer adds a lesson by
 * copying a file there; its id is its address: `?lesson=<id>`.
 */
import { parseLesson, type Lesson } from './lesson-schema';

/** The order they are offered in: the newcomers' lesson first, then the papers'. */
const ORDER = ['five-minutes', 'hu-encryption', 'fctrans-unused', 'semigrate-sub-hosts', 'protocol-attacks', 'firewall-context'];

const files = import.meta.glob<unknown>('./lessons/*.json', { eager: true, import: 'default' });

export const LESSONS: Lesson[] = Object.entries(files)
  .map(([path, json]) => {
    const r = parseLesson(json, path.replace('./lessons/', ''));
    // The build refuses bad lessons; if one slips through (a dev server edit), it is left out, not half-shown.
    return r.ok ? r.lesson : null;
  })
  .filter((l): l is Lesson => l !== null)
  .sort((a, b) => ORDER.indexOf(a.id) - ORDER.indexOf(b.id));


export const lessonById = (id: string): Lesson | undefined => LESSONS.find((l) => l.id === id);
