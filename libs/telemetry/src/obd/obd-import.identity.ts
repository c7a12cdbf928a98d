import { createHash } from 'node:crypto';

/**
 * Imported rows get seqs no device uses: devices count up from 0 (the simulator's replay uses epoch
 * milliseconds, about 2^41), imports live at 2^52 and above. `(vehicle, seq)` is what makes a resent
 * sample land once, so a seq derived from the file's bytes makes the same file, uploaded twice, store once.
 */
export const OBD_IMPORT_SEQ_FLOOR = 2 ** 52;

/** Rows one file may hold: the seq block of a file. 2^52 + (2^31 - 1) * 2^20 + 2^20 - 1 stays below 2^53 (the contract's seq limit). */
export const OBD_IMPORT_MAX_ROWS = 2 ** 20;

/** The SHA-256 of a file's bytes, hex: its identity, also recorded with the import. */
export function obdFileSha256(file: Buffer): string {
  return createHash('sha256').update(file).digest('hex');
}

/**
 * Seq of the first row of an imported file: the floor plus a block chosen by 31 bits of the file's hash (and
 * the log vehicle, for a file of several cars). Two different files of one car share a block with a chance
 * of 1 in 2^31 per pair.
 */
export function obdImportSeqBase(fileSha256: string, logVehicle: string | null): number {
  const block = createHash('sha256')
    .update(`${fileSha256}\u0000${logVehicle ?? ''}`)
    .digest()
    .readUInt32BE(0);
  return OBD_IMPORT_SEQ_FLOOR + (block >>> 1) * OBD_IMPORT_MAX_ROWS;
}
