/**
 * What a guest page holds, as guest-OS analysis (VM introspection) would classify it. SEmigrate encrypts
 * only the sensitive classes; FCtrans never sends the free ones; pre-copy sends zero pages as 8 bytes.
 */

export const PAGE_CLASSES = ['free', 'zero', 'kernelCode', 'kernelData', 'pageCache', 'anon'] as const;
export type PageClassName = (typeof PAGE_CLASSES)[number];

/** Numeric codes used in the compact per-page `Uint8Array`s. */
export const PageClass = {
  free: 0,
  zero: 1,
  kernelCode: 2,
  kernelData: 3,
  pageCache: 4,
  anon: 5,
} as const satisfies Record<PageClassName, number>;

export const PAGE_CLASS_LABELS: Record<PageClassName, string> = {
  free: 'free (unused by the guest)',
  zero: 'zero-filled',
  kernelCode: 'kernel code',
  kernelData: 'kernel data',
  pageCache: 'page cache (file data)',
  anon: 'anonymous user memory',
};
