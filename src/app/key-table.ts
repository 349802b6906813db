/**
 * Every keyboard shortcut in one table: the session's key handler and the help both read it. A
 * presenter's clicker sends PageDown/PageUp (some send arrows), so those step a lesson or a lecture.
 */
import type { Session } from './session.svelte';

export interface KeyBinding {
  keys: readonly string[];
  label: string;
  act: (s: Session) => void;
}

/** One table for every shortcut: the handler and the help both read it. */
export const KEY_TABLE: readonly KeyBinding[] = [
  { keys: ['PageDown', 'ArrowRight'], label: 'Next step of the lesson, or next teaching moment in presentation mode (arrows: next event outside them)', act: (s) => s.forward() },
  { keys: ['PageUp', 'ArrowLeft'], label: 'Previous step of the lesson, or previous teaching moment in presentation mode', act: (s) => s.back() },
  { keys: [' '], label: 'Play or pause', act: (s) => s.player?.toggle() },
  { keys: [']'], label: 'Next round or phase', act: (s) => s.player?.stepRound() },
  { keys: ['['], label: 'Back to the previous round or phase', act: (s) => s.player?.stepBack() },
  { keys: ['p'], label: 'Presentation mode on or off', act: (s) => s.setLecture(!s.lecture) },
  { keys: ['+', '='], label: 'Faster', act: (s) => s.player?.faster() },
  { keys: ['-'], label: 'Slower', act: (s) => s.player?.slower() },
  { keys: ['Home'], label: 'Back to the start', act: (s) => s.player?.reset() },
  { keys: ['End'], label: 'Jump to the end', act: (s) => s.player && s.player.seek(s.player.end) },
];

/**
 * A key press on the page (seen in the capture phase, before the focused control). Shortcuts apply
 * unless the user is typing in a field — except in presentation mode, where the clicker's keys
 * (PageDown/PageUp, arrows) step whatever has focus, and Esc leaves presentation mode.
 */
export function handleKey(s: Session, e: KeyboardEvent): void {
  if (s.view !== 'stage' || e.ctrlKey || e.metaKey || e.altKey) return;
  const target = e.target as HTMLElement | null;
  const clicker = ['PageDown', 'PageUp', 'ArrowRight', 'ArrowLeft'].includes(e.key);
  if (s.lecture && e.key === 'Escape') {
    e.preventDefault();
    s.setLecture(false);
    return;
  }
  if (!(s.lecture && clicker)) {
    if (target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) return;
    if (e.key === ' ' && target?.tagName === 'BUTTON') return;
    // A focused memory grid moves its own selection with the arrows.
    if (target?.tagName === 'CANVAS' && e.key.startsWith('Arrow')) return;
  }
  const binding = KEY_TABLE.find((b) => b.keys.includes(e.key));
  if (!binding || (!s.player && !s.lesson && e.key !== 'p')) return;
  e.preventDefault();
  e.stopPropagation();
  binding.act(s);
}
