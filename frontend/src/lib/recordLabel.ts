/**
 * A record id packs patient (160 bits) ‖ category (8) ‖ index (88) (RecordRegistry._encode), so
 * every id of one patient starts alike. People see "category.index", e.g. "4.12", unique per patient.
 */
export function recordLabel(recordId: bigint): string {
  const index = recordId & ((1n << 88n) - 1n);
  const category = (recordId >> 88n) & 0xffn;
  return `#${category}.${index}`;
}
