import { concatBytes, iterateBytes, type ByteSource } from "../bytes.js";

/** Reads exact byte counts from the front of a stream, then hands over the rest unread. */
export class ByteReader {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private buffered: Uint8Array = new Uint8Array();
  bytesRead = 0;

  constructor(source: ByteSource) {
    this.iterator = iterateBytes(source)[Symbol.asyncIterator]();
  }

  /** Returns exactly n bytes, or fewer if the stream ends first. */
  async read(n: number): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let have = 0;
    while (have < n) {
      if (this.buffered.length === 0) {
        const { value, done } = await this.iterator.next();
        if (done) break;
        this.buffered = value;
        continue;
      }
      const take = Math.min(n - have, this.buffered.length);
      parts.push(this.buffered.subarray(0, take));
      this.buffered = this.buffered.subarray(take);
      have += take;
    }
    this.bytesRead += have;
    return parts.length === 1 ? parts[0]! : concatBytes(parts);
  }

  async *rest(): AsyncGenerator<Uint8Array> {
    if (this.buffered.length > 0) {
      const first = this.buffered;
      this.buffered = new Uint8Array();
      yield first;
    }
    while (true) {
      const { value, done } = await this.iterator.next();
      if (done) return;
      yield value;
    }
  }
}
