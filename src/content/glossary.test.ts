import { describe, expect, it } from 'vitest';
import { gloss, GLOSSARY } from './glossary';

describe('glossary', () => {
  it('should gloss each term at its first appearance only, longest phrase first', () => {
    const pieces = gloss('Pre-copy sends dirty pages in rounds; dirty pages go again. Post-copy faults.');
    const terms = pieces.filter((p) => p.term).map((p) => p.text);
    expect(terms).toEqual(['Pre-copy', 'dirty pages', 'rounds', 'Post-copy']);
    expect(pieces.map((p) => p.text).join('')).toBe('Pre-copy sends dirty pages in rounds; dirty pages go again. Post-copy faults.');
  });

  it('should match whole words only', () => {
    expect(gloss('paged roundabout').filter((p) => p.term)).toEqual([]);
  });

  it('should define every term in words', () => {
    for (const t of GLOSSARY) expect(t.definition.length).toBeGreaterThan(20);
  });
});
