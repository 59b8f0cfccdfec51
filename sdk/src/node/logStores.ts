/**
 * Helia's storage interfaces over the append-only log (appendLog.ts): a Blockstore keyed by
 * multihash (as Kubo and blockstore-fs key blocks: the same bytes under any codec are one block)
 * and a Datastore for Helia's pins and metadata. Node only.
 */
import { BaseBlockstore } from "blockstore-core";
import { BaseDatastore } from "datastore-core";
import { Key, type KeyQuery, type Pair as DatastorePair, type Query } from "interface-datastore";
import type { Pair as BlockPair } from "interface-blockstore";
import { NotFoundError } from "interface-store";
import { base32 } from "multiformats/bases/base32";
import { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import * as Digest from "multiformats/hashes/digest";
import { AppendLog } from "./appendLog.js";

type Bytes = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

async function collect(value: Bytes): Promise<Uint8Array[]> {
  if (value instanceof Uint8Array) return [value];
  const parts: Uint8Array[] = [];
  for await (const part of value) parts.push(part);
  return parts;
}

/** The log key of a block: its multihash in base32. */
export const blockKey = (cid: CID): string => base32.encode(cid.multihash.bytes);

export class LogBlockstore extends BaseBlockstore {
  private constructor(readonly log: AppendLog) {
    super();
  }

  static async open(dir: string): Promise<LogBlockstore> {
    return new LogBlockstore(await AppendLog.open(dir));
  }

  override async put(cid: CID, value: Bytes): Promise<CID> {
    await this.log.put(blockKey(cid), await collect(value));
    return cid;
  }

  override async *get(cid: CID): AsyncGenerator<Uint8Array> {
    const bytes = await this.log.get(blockKey(cid));
    if (!bytes) throw new NotFoundError(`block ${cid} is not in ${this.log.dir}`);
    yield bytes;
  }

  override has(cid: CID): boolean {
    return this.log.has(blockKey(cid));
  }

  override async delete(cid: CID): Promise<void> {
    await this.log.delete(blockKey(cid));
  }

  /**
   * Every block, as a raw-codec CIDv1 of its multihash (what blockstore-fs gives too). Bytes are
   * read only when asked for (garbage collection needs just the CIDs).
   */
  override async *getAll(): AsyncGenerator<BlockPair> {
    const log = this.log;
    for (const key of [...log.keys()]) {
      if (!log.has(key)) continue;
      const cid = CID.createV1(raw.code, Digest.decode(base32.decode(key)));
      yield {
        cid,
        bytes: (async function* () {
          const bytes = await log.get(key);
          if (!bytes) throw new NotFoundError(`block ${cid} was removed`);
          yield bytes;
        })(),
      };
    }
  }

  close(): Promise<void> {
    return this.log.close();
  }
}

export class LogDatastore extends BaseDatastore {
  private constructor(readonly log: AppendLog) {
    super();
  }

  /** Values are small metadata (pins): each carries a checksum. */
  static async open(dir: string): Promise<LogDatastore> {
    return new LogDatastore(await AppendLog.open(dir, { checksumValues: true, segmentBytes: 64 * 1024 * 1024 }));
  }

  override async put(key: Key, value: Uint8Array): Promise<Key> {
    await this.log.put(key.toString(), value);
    return key;
  }

  override async get(key: Key): Promise<Uint8Array> {
    const value = await this.log.get(key.toString());
    if (!value) throw new NotFoundError(`no value under ${key.toString()}`);
    return value;
  }

  override has(key: Key): boolean {
    return this.log.has(key.toString());
  }

  override async delete(key: Key): Promise<void> {
    await this.log.delete(key.toString());
  }

  override async *_all(query: Query): AsyncGenerator<DatastorePair> {
    for (const key of this.matching(query.prefix)) {
      const value = await this.log.get(key);
      if (value) yield { key: new Key(key), value };
    }
  }

  override async *_allKeys(query: KeyQuery): AsyncGenerator<Key> {
    for (const key of this.matching(query.prefix)) yield new Key(key);
  }

  private matching(prefix: string | undefined): string[] {
    const keys = [...this.log.keys()];
    return prefix ? keys.filter((k) => k.startsWith(prefix)) : keys;
  }

  close(): Promise<void> {
    return this.log.close();
  }
}
