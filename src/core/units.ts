/** Units shared by the whole model. Time is in seconds, sizes in bytes, unless a name says otherwise. */

export const PAGE_SIZE = 4096;
export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;

/** Bytes on the wire for a page sent whole: its 4 KiB plus QEMU's 8-byte page header. */
export const NORMAL_PAGE_WIRE_BYTES = PAGE_SIZE + 8;
/**
 * Bytes on the wire for a uniform (zero) page: QEMU's 8-byte page header and the 1-byte fill value
 * (`save_zero_page_to_file`); the measured runs confirm it: `transferred` = 4,104 × normal + 9 × duplicate.
 */
export const DUPLICATE_PAGE_WIRE_BYTES = 9;

