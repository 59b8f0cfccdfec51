/**
 * Kept only to migrate: a read-only reader of the append-only log format the embedded store
 * wrote before issue 18 (`blocklog/` and `datalog/`, segments `<8 digits>.log`), and of the
 * one-file-per-pin `datastore/` (datastore-fs) before that. Nothing here writes that format.
 *
 * A record: magic "CLG1" ‖ type u8 (1 put, 2 delete) ‖ flags u8 (bit 0: value crc present) ‖
 * key length u16 ‖ value length u32 ‖ value crc32 u32 ‖ header crc32 u32 (over bytes 4..16, the
 * key, and the record's segment number u32 and offset u32) ‖ key ‖ value; big-endian. Later
 * records win; bytes that hold no valid record (a torn or interrupted write) are skipped to the
 * next valid header, and a put whose value fails its crc leaves the key its earlier value —
 * exactly what the log's own scan did.
 */
import { existsSync } from "node:fs";
import { readdir, readFile, rename, rmdir } from "node:fs/promises";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { FsDatastore } from "datastore-fs";
import type { Blockstore } from "interface-blockstore";
import { Key, type Datastore } from "interface-datastore";
import { base32 } from "multiformats/bases/base32";
import { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import * as Digest from "multiformats/hashes/digest";

const MAGIC = Buffer.from("CLG1");
const HEADER = 20;
const PUT = 1;
const DELETE = 2;

interface Location {
  segment: string;
  start: number;
  end: number;
}

/** The live records of one log folder: key → where its value sits. */
async function liveRecords(dir: string): Promise<Map<string, Location>> {
  const live = new Map<string, Location>();
  const segments = (await readdir(dir)).filter((n) => /^\d{8}\.log$/.test(n)).sort();
  for (const name of segments) {
    const id = Number(name.slice(0, 8));
    const bytes = await readFile(join(dir, name));
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    const position = Buffer.alloc(8);
    for (let at = bytes.indexOf(MAGIC); at >= 0;) {
      const type = bytes[at + 4];
      const keyLength = at + HEADER <= bytes.length ? view.getUint16(at + 6) : 0;
      const length = at + HEADER <= bytes.length ? view.getUint32(at + 8) : 0;
      const end = at + HEADER + keyLength + length;
      let valid = at + HEADER <= bytes.length && end <= bytes.length && (type === PUT || type === DELETE);
      if (valid) {
        position.writeUInt32BE(id, 0);
        position.writeUInt32BE(at, 4);
        const key = bytes.subarray(at + HEADER, at + HEADER + keyLength);
        valid = crc32(position, crc32(key, crc32(bytes.subarray(at + 4, at + 16)))) === view.getUint32(at + 16);
      }
      if (!valid) {
        at = bytes.indexOf(MAGIC, at + 1);
        continue;
      }
      const key = bytes.toString("utf8", at + HEADER, at + HEADER + keyLength);
      const value = { segment: name, start: at + HEADER + keyLength, end };
      const damaged = bytes[at + 5]! & 1 && crc32(bytes.subarray(value.start, end)) !== view.getUint32(at + 12);
      if (type === DELETE) live.delete(key);
      else if (!damaged) live.set(key, value);
      at = bytes.indexOf(MAGIC, end);
    }
  }
  return live;
}

/** Yields each live [key, value] of a log folder, reading one segment at a time. */
export async function* readLegacyLog(dir: string): AsyncGenerator<[key: string, value: Uint8Array]> {
  const bySegment = new Map<string, [string, Location][]>();
  for (const entry of await liveRecords(dir)) {
    const list = bySegment.get(entry[1].segment) ?? [];
    list.push(entry);
    bySegment.set(entry[1].segment, list);
  }
  for (const [segment, entries] of bySegment) {
    const bytes = await readFile(join(dir, segment));
    for (const [key, { start, end }] of entries) yield [key, bytes.subarray(start, end)];
  }
}

/**
 * Moves what an earlier version stored into the kept stores, on open: the block log's blocks
 * (keyed by base32 multihash) into blockstore-fs, the data log's and datastore-fs's records
 * (Helia's pins and metadata) into datastore-level. Everything is copied before a folder is set
 * aside as `*.migrated` (delete it when satisfied), so a migration cut short runs again in full.
 */
export async function migrateLegacyStores(dataDir: string, blocks: Blockstore, datastore: Datastore): Promise<void> {
  const blockLog = join(dataDir, "blocklog");
  const dataLog = join(dataDir, "datalog");
  const fsData = join(dataDir, "datastore");
  if (existsSync(blockLog)) {
    for await (const [key, bytes] of readLegacyLog(blockLog))
      await blocks.put(CID.createV1(raw.code, Digest.decode(base32.decode(key))), bytes);
  }
  if (existsSync(dataLog)) {
    for await (const [key, value] of readLegacyLog(dataLog)) await datastore.put(new Key(key), value);
  }
  if (existsSync(fsData)) {
    const legacy = new FsDatastore(fsData);
    await legacy.open();
    for await (const { key, value } of legacy.query({})) await datastore.put(key, value);
    await legacy.close();
  }
  for (const folder of [blockLog, dataLog, fsData]) if (existsSync(folder)) await rename(folder, `${folder}.migrated`);
  // The temporary-file folder of an earlier write path, when nothing was left in it.
  await rmdir(join(dataDir, "tmp")).catch(() => undefined);
}
