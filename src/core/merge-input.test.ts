import { describe, expect, it } from 'vitest';
import { mergeInput } from './merge-input';

describe('mergeInput', () => {
  it.each([
    [{ a: 1 }, { b: 2 }, { a: 1, b: 2 }],
    [{ vm: { memoryMiB: 1, vcpus: 2 } }, { vm: { memoryMiB: 8 } }, { vm: { memoryMiB: 8, vcpus: 2 } }],
    [{ list: [1, 2, 3] }, { list: [9] }, { list: [9] }],
    [{ x: { y: 1 } }, { x: 'flat' }, { x: 'flat' }],
  ])('should merge %j with %j', (a, b, want) => {
    expect(mergeInput(a, b)).toEqual(want);
  });
});
