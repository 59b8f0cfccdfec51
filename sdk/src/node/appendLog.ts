/**
 * An append-only key–value log on disk: the storage engine under the embedded IPFS node's
 * blockstore and datastore (Node only).
 *
 * Why not a file per block (blockstore-fs)? Creating a file costs 0.6–1.3 ms on this kind of
 * disk, and one record stored through IPFS needs about seven (its blocks and their pin
 * records), which alone took several times the time of encrypting the record. Here a put is one
 * positioned write into an open file, and a read one positioned read.
 *
 * Layout: `<dir>/<8-digit segment>.log`, each a sequence of records
 *
 *   off len field
 *     0   4 magic "CLG1"
 *     4   1 type (1 put, 2 delete)
 *     5   1 flags (bit 0: value checksum present)
 *     6   2 key length (bytes of the UTF-8 key)
 *     8   4 value length
 *    12   4 value crc32 (0 unless flag 0)
 *    16   4 crc32 of bytes 4..16, the key, and the record's own segment number and offset
 *    20     key, then value
 *
 * The index (key → segment, offset, length) lives in memory and is rebuilt by scanning the
 * segments on open: later records win. A process that dies mid-write can leave a record whose
 * header does not check out, a hole of zeros, or (writes run side by side) a whole header over
 * a value written only in part. The scan skips forward past the first two to the next valid
 * header, so records written after them are kept, and cuts a torn tail off the last segment. A
 * partly written value is caught only where values carry a checksum (the datastore's pin
 * records): the record is skipped and the key keeps its earlier value. Block values carry none
 * (a checksum would cost a quarter of the write time): a damaged block is caught by the
 * reader's integrity check against its on-chain commitment and repaired from a replica
 * (verify-and-repair), as with any IPFS blockstore. The header checksum covers the record's own
 * position, so a log stored as a value inside another record is never mistaken for records of
 * this one. Ordinary writes are not flushed, as with blockstore-fs: what the operating system
 * had not written when the machine lost power may be lost. `sync()` flushes; compaction calls it
 * before removing anything.
 *
 * Deletes append a tombstone. `compact()` copies the live records into a fresh segment and
 * removes the old ones; a crash half-way leaves both, and the copies win on the next scan.
 *
 * One process at a time: `LOCK` holds the owner's pid; a second opener gets LogLockedError.
 * Every segment's file stays open while the log is (a 256 MiB segment each: about 250 GiB of
 * blocks before a default limit of open files is reached).
 */
import { randomBytes } from "node:crypto";
import {
  mkdir,
  open as openFile,
  readdir,
  readFile,
  realpath,
  rename,
  rm,
  writeFile,
  type FileHandle,
} from "node:fs/promises";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { CareLedgerError } from "../errors.js";

const MAGIC = 0x434c4731; // "CLG1"
const HEADER = 20;
const PUT = 1;
const DELETE = 2;
const VALUE_CHECKSUM = 1;
/** Values larger than this are refused (IPFS blocks are at most a few MiB). */
export const MAX_LOG_VALUE_BYTES = 64 * 1024 * 1024;
const MAX_KEY_BYTES = 4096;
/** Bytes read at a time while scanning: a run of small records, or a header and a peek past it. */
const SCAN_WINDOW = 64 * 1024;

/** Another process (or another open store in this one) holds the log. */
export class LogLockedError extends CareLedgerError {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      "STORE_LOCKED",
      `the store at ${dir} is open in process ${pid}${pid === process.pid ? " (this one)" : ""}; ` +
        "close it first, or reach it through its server (e.g. --ipfs-api http://127.0.0.1:5001 while npm start runs)",
    );
  }
}

/** A value was replaced by one of another length while it was being read. */
class ValueReplaced extends Error {}

/** A stored value does not match its checksum (the file was damaged). */
class ChecksumError extends Error {}

interface Entry {
  segment: number;
  /** Offset of the record's header. */
  offset: number;
  keyLength: number;
  length: number;
  valueCrc?: number;
  /** Set while the write is in flight: readers wait for it. */
  pending?: Promise<void>;
  /** What the key held before this record (restored if this write fails). */
  previous?: Entry;
  failed?: boolean;
}

interface Segment {
  id: number;
  /** Opening (a new segment is used from the moment it is started: writes wait for the file). */
  file: Promise<FileHandle>;
  size: number;
  /** Bytes of records the index still points to. */
  live: number;
}

export interface LogOptions {
  /** A new segment is started once the active one reaches this size. Default 256 MiB. */
  segmentBytes?: number;
  /** Checksum every value (for small metadata values; content-addressed blocks need none). */
  checksumValues?: boolean;
}

export interface LogRecovery {
  /** Bytes skipped because they held no valid record (an interrupted write). */
  skippedBytes: number;
  /** Bytes cut off the end of the last segment (a torn final write). */
  truncatedBytes: number;
}

export interface CompactionReport {
  /** Bytes the segments held before and after. */
  before: number;
  after: number;
  /** Keys whose values failed their checksum and were left out. */
  dropped: string[];
}

export interface LogStats {
  keys: number;
  segments: number;
  liveBytes: number;
  totalBytes: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const segmentName = (id: number) => `${String(id).padStart(8, "0")}.log`;
const openDirs = new Set<string>();

function headerChecksum(header: Uint8Array, key: Uint8Array, segment: number, offset: number): number {
  const position = new Uint8Array(8);
  const view = new DataView(position.buffer);
  view.setUint32(0, segment);
  view.setUint32(4, offset);
  return crc32(position, crc32(key, crc32(header.subarray(4, 16))));
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export class AppendLog {
  private readonly index = new Map<string, Entry>();
  private readonly segments = new Map<number, Segment>();
  private active!: Segment;
  /** Writes in flight; compaction and close wait for them. */
  private readonly inFlight = new Set<Promise<void>>();
  private compacting: Promise<CompactionReport> | undefined;
  private closed = false;
  private locked = false;
  recovery: LogRecovery = { skippedBytes: 0, truncatedBytes: 0 };

  private constructor(
    readonly dir: string,
    private readonly segmentBytes: number,
    private readonly checksumValues: boolean,
  ) {}

  static async open(folder: string, options: LogOptions = {}): Promise<AppendLog> {
    await mkdir(folder, { recursive: true });
    // The real path: another spelling of the folder (a symlink) is still the same log.
    const dir = await realpath(folder);
    // Claimed before any await, so two opens in this process cannot both get past it.
    if (openDirs.has(dir)) throw new LogLockedError(dir, process.pid);
    openDirs.add(dir);
    const log = new AppendLog(dir, options.segmentBytes ?? 256 * 1024 * 1024, options.checksumValues ?? false);
    try {
      await log.lock();
    } catch (error) {
      openDirs.delete(dir);
      throw error;
    }
    log.locked = true;
    try {
      const ids = (await readdir(dir))
        .filter((n) => /^\d{8}\.log$/.test(n))
        .map((n) => Number(n.slice(0, 8)))
        .sort((a, b) => a - b);
      for (const id of ids) await log.scan(id, id === ids[ids.length - 1]);
      if (ids.length === 0) await log.startSegment(1).file;
      else log.active = log.segments.get(ids[ids.length - 1]!)!;
    } catch (error) {
      await log.close();
      throw error;
    }
    return log;
  }

  /**
   * Creates LOCK with this pid. A LOCK left by a process that has ended is moved aside under a
   * name of its own before retrying, so two processes breaking the same stale lock cannot both
   * win (the second finds the first one's fresh LOCK, held by a live pid).
   */
  private async lock(): Promise<void> {
    const path = join(this.dir, "LOCK");
    for (let attempt = 0; ; attempt++) {
      try {
        await writeFile(path, String(process.pid), { flag: "wx" });
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 2) throw error;
        const owner = Number((await readFile(path, "utf8").catch(() => "")).trim());
        if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && pidAlive(owner)) {
          throw new LogLockedError(this.dir, owner);
        }
        const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString("hex")}`;
        await rename(path, aside).then(
          () => rm(aside, { force: true }),
          () => undefined, // someone else moved it first: try again
        );
      }
    }
  }

  /** Starts the next segment at once (in call order); its file opens meanwhile. */
  private startSegment(id: number): Segment {
    // Not "a": with O_APPEND, Linux ignores the position of positioned writes.
    const file = openFile(join(this.dir, segmentName(id)), "wx+");
    const previous = this.active;
    const segment: Segment = { id, file, size: 0, live: 0 };
    this.segments.set(id, segment);
    this.active = segment;
    // The writes already placed in it fail with the error; later ones go back to the segment
    // before (and try a new one again once that is full).
    file.catch(() => {
      this.segments.delete(id);
      if (this.active === segment && previous) this.active = previous;
    });
    return segment;
  }

  /** Reads a segment's records into the index (see the header comment for recovery). */
  private async scan(id: number, last: boolean): Promise<void> {
    const handle = await openFile(join(this.dir, segmentName(id)), "r+");
    const size = (await handle.stat()).size;
    const segment: Segment = { id, file: Promise.resolve(handle), size, live: 0 };
    this.segments.set(id, segment);
    let window = new Uint8Array(0);
    let windowStart = 0;
    const read = async (position: number, length: number): Promise<Uint8Array> => {
      if (position >= windowStart && position + length <= windowStart + window.length) {
        return window.subarray(position - windowStart, position - windowStart + length);
      }
      const want = Math.min(Math.max(length, SCAN_WINDOW), size - position);
      window = new Uint8Array(want);
      windowStart = position;
      const { bytesRead } = await handle.read(window, 0, want, position);
      window = window.subarray(0, bytesRead);
      return window.subarray(0, Math.min(length, bytesRead));
    };
    const validAt = async (
      position: number,
    ): Promise<(Entry & { type: number; key: string; damaged: boolean }) | undefined> => {
      if (position + HEADER > size) return undefined;
      const header = (await read(position, HEADER)).slice();
      const view = new DataView(header.buffer);
      if (view.getUint32(0) !== MAGIC) return undefined;
      const type = header[4]!;
      const keyLength = view.getUint16(6);
      const length = view.getUint32(8);
      if ((type !== PUT && type !== DELETE) || keyLength > MAX_KEY_BYTES || length > MAX_LOG_VALUE_BYTES)
        return undefined;
      if (position + HEADER + keyLength + length > size) return undefined;
      const key = (await read(position + HEADER, keyLength)).slice();
      if (headerChecksum(header, key, id, position) !== view.getUint32(16)) return undefined;
      const valueCrc = header[5]! & VALUE_CHECKSUM ? view.getUint32(12) : undefined;
      // A value written only in part (a crash while it was being written) fails its checksum:
      // the record is skipped and the key keeps its earlier value.
      const damaged = valueCrc !== undefined && crc32(await read(position + HEADER + keyLength, length)) !== valueCrc;
      return { type, key: decoder.decode(key), segment: id, offset: position, keyLength, length, valueCrc, damaged };
    };
    /** The next offset after `from` where a valid record starts, or -1. */
    const findNext = async (from: number): Promise<number> => {
      const buffer = new Uint8Array(SCAN_WINDOW + 3);
      for (let start = from; start < size; start += SCAN_WINDOW) {
        const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, size - start), start);
        const chunk = Buffer.from(buffer.buffer, 0, bytesRead);
        for (let at = chunk.indexOf("CLG1"); at >= 0 && at < SCAN_WINDOW; at = chunk.indexOf("CLG1", at + 1)) {
          if (await validAt(start + at)) return start + at;
        }
      }
      return -1;
    };
    let position = 0;
    let lastValidEnd = 0;
    while (position < size) {
      const record = await validAt(position);
      if (record) {
        const end = position + HEADER + record.keyLength + record.length;
        const { type, damaged, key, ...entry } = record;
        if (damaged) this.recovery.skippedBytes += end - position;
        else this.apply(key, type === PUT ? entry : undefined, end - position);
        position = lastValidEnd = end;
        continue;
      }
      const next = await findNext(position + 1);
      if (next < 0) break;
      this.recovery.skippedBytes += next - position;
      position = next;
    }
    if (lastValidEnd < size) {
      if (last) {
        await handle.truncate(lastValidEnd);
        this.recovery.truncatedBytes += size - lastValidEnd;
        segment.size = lastValidEnd;
      } else {
        this.recovery.skippedBytes += size - lastValidEnd;
      }
    }
  }

  /** Points `key` at `entry` (or removes it) and keeps each segment's live-byte count. */
  private apply(key: string, entry: Entry | undefined, recordBytes: number): void {
    const previous = this.index.get(key);
    if (previous) {
      const segment = this.segments.get(previous.segment);
      if (segment) segment.live -= HEADER + previous.keyLength + previous.length;
    }
    if (entry) {
      this.index.set(key, entry);
      this.segments.get(entry.segment)!.live += recordBytes;
    } else {
      this.index.delete(key);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`the log at ${this.dir} is closed`);
  }

  has(key: string): boolean {
    this.assertOpen();
    return this.index.has(key);
  }

  /** Length of the value under `key`, or undefined. */
  sizeOf(key: string): number | undefined {
    this.assertOpen();
    return this.index.get(key)?.length;
  }

  keys(): IterableIterator<string> {
    this.assertOpen();
    return this.index.keys();
  }

  get size(): number {
    return this.index.size;
  }

  /**
   * Appends a record. The index points at it at once (so reads and writes keep their call
   * order); readers of the key wait until the bytes are written. Resolves once they are.
   */
  async put(key: string, value: Uint8Array | readonly Uint8Array[]): Promise<void> {
    return this.append(PUT, key, Array.isArray(value) ? (value as Uint8Array[]) : [value as Uint8Array]);
  }

  async delete(key: string): Promise<void> {
    this.assertOpen();
    if (!this.index.has(key)) return;
    return this.append(DELETE, key, []);
  }

  /**
   * Appends several records with one write. If the write fails, none of them is indexed; a
   * crash while it is being written can leave the first of them on disk without the rest.
   */
  async putMany(records: readonly { key: string; value: Uint8Array | readonly Uint8Array[] }[]): Promise<void> {
    return this.writeRecords(
      records.map(({ key, value }) => ({
        type: PUT,
        key,
        parts: Array.isArray(value) ? (value as Uint8Array[]) : [value as Uint8Array],
      })),
    );
  }

  private append(type: number, key: string, parts: Uint8Array[]): Promise<void> {
    return this.writeRecords([{ type, key, parts }]);
  }

  /** Everything up to the index update happens synchronously, so operations keep their call order. */
  private writeRecords(records: readonly { type: number; key: string; parts: Uint8Array[] }[]): Promise<void> {
    const encoded = records.map((r) => ({ ...r, keyBytes: this.keyBytes(r.key), length: this.valueLength(r.parts) }));
    const total = encoded.reduce((n, r) => n + HEADER + r.keyBytes.length + r.length, 0);
    const { segment, offset } = this.claim(total);
    const buffers: Uint8Array[] = [];
    const placed: { key: string; entry: Entry | undefined; recordBytes: number }[] = [];
    let at = offset;
    for (const r of encoded) {
      const { header, valueCrc } = this.header(r.type, r.keyBytes, r.parts, r.length, segment.id, at);
      buffers.push(header, r.keyBytes, ...r.parts);
      const recordBytes = HEADER + r.keyBytes.length + r.length;
      const entry =
        r.type === PUT
          ? { segment: segment.id, offset: at, keyLength: r.keyBytes.length, length: r.length, valueCrc }
          : undefined;
      placed.push({ key: r.key, entry, recordBytes });
      at += recordBytes;
    }
    const written = this.writeAll(segment, buffers, offset, total);
    return Promise.all(
      placed.map(({ key, entry, recordBytes }) => this.publish(key, entry, recordBytes, written)),
    ).then(() => undefined);
  }

  private keyBytes(key: string): Uint8Array {
    const bytes = encoder.encode(key);
    if (bytes.length > MAX_KEY_BYTES) throw new RangeError(`key longer than ${MAX_KEY_BYTES} bytes: ${key}`);
    return bytes;
  }

  private valueLength(parts: readonly Uint8Array[]): number {
    const length = parts.reduce((n, p) => n + p.length, 0);
    if (length > MAX_LOG_VALUE_BYTES) throw new RangeError(`value of ${length} bytes exceeds ${MAX_LOG_VALUE_BYTES}`);
    return length;
  }

  /** Room at the end of the active segment (a new segment when this one is full), claimed at once. */
  private claim(bytes: number): { segment: Segment; offset: number } {
    this.assertOpen();
    if (this.active.size > 0 && this.active.size + bytes > this.segmentBytes) {
      this.startSegment(this.active.id + 1);
    }
    const segment = this.active;
    const offset = segment.size;
    segment.size += bytes;
    return { segment, offset };
  }

  /** A record header (with the value's checksum when the log keeps them). */
  private header(
    type: number,
    keyBytes: Uint8Array,
    parts: readonly Uint8Array[],
    length: number,
    segment: number,
    offset: number,
  ) {
    const header = new Uint8Array(HEADER);
    const view = new DataView(header.buffer);
    view.setUint32(0, MAGIC);
    header[4] = type;
    let valueCrc: number | undefined;
    if (this.checksumValues && type === PUT) {
      header[5] = VALUE_CHECKSUM;
      valueCrc = parts.reduce((c, p) => crc32(p, c), 0);
      view.setUint32(12, valueCrc);
    }
    view.setUint16(6, keyBytes.length);
    view.setUint32(8, length);
    view.setUint32(16, headerChecksum(header, keyBytes, segment, offset));
    return { header, valueCrc };
  }

  private writeAll(segment: Segment, buffers: Uint8Array[], offset: number, bytes: number): Promise<void> {
    return segment.file
      .then((handle) => handle.writev(buffers, offset))
      .then(({ bytesWritten }) => {
        if (bytesWritten !== bytes) throw new Error(`short write (${bytesWritten} of ${bytes} bytes)`);
      });
  }

  private track(job: Promise<unknown>): void {
    const tracked = job.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.add(tracked);
    void tracked.then(() => this.inFlight.delete(tracked));
  }

  /**
   * Points the index at a record as soon as its write is issued (reads and writes keep their
   * call order; readers of the key wait for the write). If the write fails, the key goes back
   * to the last value before it whose write did not fail, unless something replaced it since.
   */
  private publish(key: string, entry: Entry | undefined, recordBytes: number, written: Promise<void>): Promise<void> {
    const previous = this.index.get(key);
    if (entry) {
      entry.pending = written;
      entry.previous = previous;
    }
    this.apply(key, entry, recordBytes);
    const settled = written.then(
      () => {
        if (entry) delete entry.pending;
      },
      (error: unknown) => {
        if (entry) entry.failed = true;
        if (entry ? this.index.get(key) === entry : !this.index.has(key)) {
          let restore = previous;
          while (restore?.failed) restore = restore.previous;
          this.apply(key, restore, restore ? HEADER + restore.keyLength + restore.length : 0);
        }
        throw error;
      },
    );
    this.track(settled);
    return settled;
  }

  /** The value under `key`, or undefined when there is none. */
  async get(key: string): Promise<Uint8Array | undefined> {
    for (;;) {
      this.assertOpen();
      const entry = this.index.get(key);
      if (!entry) return undefined;
      const out = new Uint8Array(entry.length);
      try {
        await this.readEntry(key, entry, out, 0);
        return out;
      } catch (error) {
        if (!(error instanceof ValueReplaced)) throw error;
        // Replaced by a value of another length while its old segment was compacted away.
      }
    }
  }

  /**
   * Reads `length` bytes of the value under `key`, from `from`, into `out` at `at` (the whole
   * value by default); false when there is no such key.
   * @throws when the stored value is shorter than indexed or fails its checksum
   */
  async readInto(key: string, out: Uint8Array, at: number, from = 0, length?: number): Promise<boolean> {
    this.assertOpen();
    const entry = this.index.get(key);
    if (!entry) return false;
    const want = length ?? entry.length - from;
    if (from < 0 || from + want > entry.length) {
      throw new RangeError(`bytes ${from}..${from + want} are outside ${key} (${entry.length} bytes)`);
    }
    await this.readEntry(key, entry, out, at, from, want);
    return true;
  }

  private async readEntry(
    key: string,
    entry: Entry,
    out: Uint8Array,
    at: number,
    from = 0,
    length = entry.length,
  ): Promise<void> {
    if (entry.pending) await entry.pending;
    const segment = this.segments.get(entry.segment);
    if (!segment) return this.readAgain(key, entry, out, at, from, length);
    const handle = await segment.file;
    const start = entry.offset + HEADER + entry.keyLength + from;
    let done = 0;
    while (done < length) {
      const { bytesRead } = await handle
        .read(out, at + done, length - done, start + done)
        .catch((error: NodeJS.ErrnoException) => {
          // The segment was compacted away (its handle closed) meanwhile.
          if (error.code === "EBADF" || error.code === "ERR_INVALID_STATE") return { bytesRead: -1 };
          throw error;
        });
      if (bytesRead < 0) return this.readAgain(key, entry, out, at, from, length);
      if (bytesRead === 0) throw new Error(`${this.dir}: value of ${key} is cut short (${done} of ${length} bytes)`);
      done += bytesRead;
    }
    const whole = from === 0 && length === entry.length;
    if (whole && entry.valueCrc !== undefined && crc32(out.subarray(at, at + length)) !== entry.valueCrc) {
      throw new ChecksumError(`${this.dir}: value of ${key} fails its checksum (the file was damaged)`);
    }
  }

  /** The key moved (compaction): read it from where it is now. */
  private async readAgain(
    key: string,
    stale: Entry,
    out: Uint8Array,
    at: number,
    from: number,
    length: number,
  ): Promise<void> {
    this.assertOpen();
    const entry = this.index.get(key);
    if (!entry) throw new Error(`${this.dir}: ${key} was removed while being read`);
    if (entry === stale) throw new Error(`${this.dir}: the segment holding ${key} is gone`);
    if (entry.length !== stale.length) throw new ValueReplaced();
    return this.readEntry(key, entry, out, at, from, length);
  }

  /** Where a value sits on disk (tests use it to damage a stored block). */
  location(key: string): { file: string; offset: number; length: number } | undefined {
    const entry = this.index.get(key);
    if (!entry) return undefined;
    return {
      file: join(this.dir, segmentName(entry.segment)),
      offset: entry.offset + HEADER + entry.keyLength,
      length: entry.length,
    };
  }

  stats(): LogStats {
    let live = 0;
    let total = 0;
    for (const s of this.segments.values()) {
      live += s.live;
      total += s.size;
    }
    return { keys: this.index.size, segments: this.segments.size, liveBytes: live, totalBytes: total };
  }

  /**
   * Copies every live record into a fresh segment and removes the old segments, reclaiming the
   * space of deleted and overwritten values. Reads and writes go on meanwhile (writes land in
   * the fresh segment; a key written during compaction keeps its newer value). The copies are
   * flushed to disk before anything is removed. A value that fails its checksum is dropped and
   * named in `dropped`; any other failure stops the compaction with nothing removed.
   */
  async compact(onProgress?: (done: number, total: number) => void): Promise<CompactionReport> {
    this.assertOpen();
    this.compacting ??= this.runCompaction(onProgress).finally(() => (this.compacting = undefined));
    return this.compacting;
  }

  private async runCompaction(onProgress?: (done: number, total: number) => void): Promise<CompactionReport> {
    const before = this.stats().totalBytes;
    const old = [...this.segments.values()];
    const fresh = this.startSegment(this.active.id + 1);
    await fresh.file;
    const keys = [...this.index.keys()];
    const dropped: string[] = [];
    const copies: Promise<void>[] = [];
    let done = 0;
    for (const key of keys) {
      const entry = this.index.get(key);
      if (entry && entry.segment < fresh.id) {
        const value = new Uint8Array(entry.length);
        let read = true;
        await this.readEntry(key, entry, value, 0).catch((error: unknown) => {
          read = false;
          if (this.index.get(key) !== entry) return; // replaced or removed meanwhile
          if (error instanceof ChecksumError) dropped.push(key);
          else throw error;
        });
        // Only if nothing newer was written meanwhile.
        if (read && this.index.get(key) === entry) {
          const copy = this.append(PUT, key, [value]);
          copy.catch(() => undefined); // settled below
          copies.push(copy);
        }
      }
      onProgress?.(++done, keys.length);
    }
    const failed = (await Promise.allSettled(copies)).find((r) => r.status === "rejected");
    if (failed) {
      throw new Error(`${this.dir}: compaction stopped, nothing was removed: ${String(failed.reason)}`, {
        cause: failed.reason,
      });
    }
    await Promise.allSettled([...this.inFlight]);
    await this.sync();
    for (const key of dropped) {
      const entry = this.index.get(key);
      if (entry && entry.segment < fresh.id) await this.delete(key); // it would point into a removed segment
    }
    for (const segment of old) {
      this.segments.delete(segment.id);
      await (await segment.file.catch(() => undefined))?.close();
      await rm(join(this.dir, segmentName(segment.id)), { force: true });
    }
    return { before, after: this.stats().totalBytes, dropped };
  }

  /**
   * Flushes every segment's data and the folder's entries to disk: what was written before it
   * survives a power loss (ordinary writes are left to the operating system, as with
   * blockstore-fs).
   */
  async sync(): Promise<void> {
    this.assertOpen();
    await Promise.allSettled([...this.inFlight]);
    for (const segment of this.segments.values()) {
      const handle = await segment.file.catch(() => undefined);
      await handle?.datasync();
    }
    const folder = await openFile(this.dir, "r");
    try {
      await folder.sync();
    } catch {
      // Some platforms cannot sync a folder; the data itself is flushed.
    } finally {
      await folder.close();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
    await this.compacting?.catch(() => undefined);
    for (const segment of this.segments.values()) {
      await (await segment.file.catch(() => undefined))?.close().catch(() => undefined);
    }
    this.segments.clear();
    if (this.locked) await rm(join(this.dir, "LOCK"), { force: true });
    openDirs.delete(this.dir);
  }
}
