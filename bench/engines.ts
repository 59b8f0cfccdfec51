/**
 * The kept engines the embedded store could sit on, measured on this machine (issue 18):
 * `node --import tsx bench/engines.ts`. Blocks: 64 × 1 MiB put then get, blockstore-fs vs
 * blockstore-level. Pins and metadata: 2,000 small records (the size of Helia's pinned-block
 * records) put, read and listed, datastore-level vs datastore-fs. Three rounds each, fresh
 * folders; prints best and worst.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FsBlockstore } from "blockstore-fs";
import { NextToLast } from "blockstore-fs/sharding";
import { LevelBlockstore } from "blockstore-level";
import { FsDatastore } from "datastore-fs";
import { LevelDatastore } from "datastore-level";
import { Key } from "interface-datastore";
import { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import { sha256 } from "multiformats/hashes/sha2";
import { randomBytes } from "../sdk/src/bytes.js";

const MiB = 1024 * 1024;
const ROUNDS = 3;

async function blocks(name: string, make: (dir: string) => FsBlockstore | LevelBlockstore) {
  const put: number[] = [];
  const get: number[] = [];
  const direct: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const dir = await mkdtemp(join(tmpdir(), "careledger-engines-"));
    const store = make(join(dir, "blocks"));
    await store.open();
    const items = await Promise.all(
      Array.from({ length: 64 }, async () => {
        const bytes = randomBytes(MiB);
        return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes };
      }),
    );
    let t = performance.now();
    for (const { cid, bytes } of items) await store.put(cid, bytes);
    put.push(64 / 1024 / ((performance.now() - t) / 1000));
    t = performance.now();
    for (const { cid } of items) for await (const _ of store.get(cid)) void _;
    get.push(64 / 1024 / ((performance.now() - t) / 1000));
    if (store instanceof FsBlockstore) {
      // What the embedded store does for a leaf: one readFile of the block's file.
      t = performance.now();
      for (const { cid } of items) {
        const { dir, file } = new NextToLast().encode(cid);
        await readFile(join(store.path, dir, file));
      }
      direct.push(64 / 1024 / ((performance.now() - t) / 1000));
    }
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
  const range = (v: number[]) => `${Math.min(...v).toFixed(2)}–${Math.max(...v).toFixed(2)} GiB/s`;
  const read = direct.length ? `   readFile ${range(direct)}` : "";
  console.log(`${name.padEnd(18)} put ${range(put)}   get ${range(get)}${read}`);
}

async function data(name: string, make: (dir: string) => FsDatastore | LevelDatastore) {
  const put: number[] = [];
  const get: number[] = [];
  const list: number[] = [];
  const n = 2000;
  for (let round = 0; round < ROUNDS; round++) {
    const dir = await mkdtemp(join(tmpdir(), "careledger-engines-"));
    const store = make(join(dir, "data"));
    await store.open();
    const keys = Array.from(
      { length: n },
      (_, i) => new Key(`/pinned-block/k${i}${Math.random().toString(36).slice(2)}`),
    );
    const value = randomBytes(60);
    let t = performance.now();
    for (const key of keys) await store.put(key, value);
    put.push(((performance.now() - t) * 1000) / n);
    t = performance.now();
    for (const key of keys) await store.get(key);
    get.push(((performance.now() - t) * 1000) / n);
    t = performance.now();
    let listed = 0;
    for await (const _ of store.query({ prefix: "/pinned-block" })) listed++;
    if (listed !== n) throw new Error(`listed ${listed}`);
    list.push(((performance.now() - t) * 1000) / n);
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
  const range = (v: number[]) => `${Math.min(...v).toFixed(0)}–${Math.max(...v).toFixed(0)} µs`;
  console.log(`${name.padEnd(18)} put ${range(put)}   get ${range(get)}   list ${range(list)} per record`);
}

console.log(`blocks: ${ROUNDS} rounds of 64 × 1 MiB`);
await blocks("blockstore-fs", (dir) => new FsBlockstore(dir));
await blocks("blockstore-level", (dir) => new LevelBlockstore(dir));
console.log(`pins and metadata: ${ROUNDS} rounds of 2,000 records of 60 bytes`);
await data("datastore-level", (dir) => new LevelDatastore(dir));
await data("datastore-fs", (dir) => new FsDatastore(dir));
