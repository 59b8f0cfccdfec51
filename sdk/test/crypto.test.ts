import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { randomBytes } from "../src/bytes.js";
import {
  decryptBytes,
  encryptBytes,
  generateContentKey,
  importContentKey,
  newPayloadParams,
  SEGMENT_SIZE,
} from "../src/crypto/blob.js";
import {
  openFhirRecord,
  openRecord,
  openRecordStream,
  parseRecordHeader,
  prepareRecordSeal,
  recordRecipients,
  sealRecord,
  sealRecordStream,
  sealWith,
  unwrapRecordKey,
} from "../src/crypto/container.js";
import {
  decodeKeyEnvelopes,
  encodeKeyEnvelopes,
  EnvelopeKind,
  ENVELOPE_HEADER_LENGTH,
  unwrapKey,
  useNativeX25519,
  wrapKey,
} from "../src/crypto/envelope.js";
import { generateKeyPair } from "../src/crypto/keys.js";
import {
  TamperedCiphertextError,
  TamperedEnvelopeError,
  TruncatedBlobError,
  UnsupportedVersionError,
  WrongKeyError,
} from "../src/errors.js";

const MiB = 1024 * 1024;
const SEG = SEGMENT_SIZE;
const SIZES = [0, 1, MiB - 1, MiB, MiB + 1, 50 * MiB, SEG - 1, SEG + 1];

function fill(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + (i >>> 11)) & 0xff;
  return bytes;
}

function parties() {
  const category = generateKeyPair();
  const author = generateKeyPair();
  return {
    category,
    author,
    recipients: recordRecipients({
      category: 4,
      epoch: 0,
      categoryPublicKey: category.publicKey,
      authorPublicKey: author.publicKey,
    }),
  };
}

describe("segmented payload encryption", () => {
  for (const size of SIZES) {
    it(`round-trips ${size} bytes`, async () => {
      const key = await importContentKey(generateContentKey());
      const params = newPayloadParams(size);
      const aad = new Uint8Array([1, 2, 3]);
      const plain = size === 50 * MiB ? randomBytes(size) : fill(size);
      const sealed = await encryptBytes(key, params, aad, plain);
      assert.equal(sealed.length, size + Math.max(1, Math.ceil(size / SEG)) * 16);
      const opened = await decryptBytes(key, params, aad, sealed);
      assert.ok(Buffer.from(opened).equals(Buffer.from(plain)));
    });
  }

  it("rejects reordered segments", async () => {
    const key = await importContentKey(generateContentKey());
    const params = newPayloadParams(3 * SEG);
    const sealed = await encryptBytes(key, params, new Uint8Array(), fill(3 * SEG));
    const seg = SEG + 16;
    const swapped = new Uint8Array(sealed);
    swapped.set(sealed.subarray(seg, 2 * seg), 0);
    swapped.set(sealed.subarray(0, seg), seg);
    await assert.rejects(decryptBytes(key, params, new Uint8Array(), swapped), TamperedCiphertextError);
  });

  it("refuses a plaintext longer or shorter than declared", async () => {
    const key = await importContentKey(generateContentKey());
    await assert.rejects(encryptBytes(key, newPayloadParams(10), new Uint8Array(), fill(11)), RangeError);
    await assert.rejects(encryptBytes(key, newPayloadParams(10), new Uint8Array(), fill(9)), RangeError);
  });
});

describe("record container", () => {
  for (const size of SIZES) {
    it(`round-trips a ${size}-byte attachment for the category key and the author`, async () => {
      const { category, author, recipients } = parties();
      const bytes = size === 50 * MiB ? randomBytes(size) : fill(size);
      const blob = await sealRecord(
        { kind: "attachment", contentType: "application/pdf", fileName: "scan.pdf", bytes },
        recipients,
      );
      for (const reader of [category, author]) {
        const opened = await openRecord(blob, reader);
        assert.equal(opened.meta.contentType, "application/pdf");
        assert.equal(opened.meta.fileName, "scan.pdf");
        assert.ok(Buffer.from(opened.bytes).equals(Buffer.from(bytes)));
      }
    });
  }

  it("keeps the content type inside the encryption", async () => {
    const { recipients } = parties();
    const blob = await sealRecord({ kind: "attachment", contentType: "application/pdf", bytes: fill(10) }, recipients);
    assert.equal(Buffer.from(blob).indexOf("application/pdf"), -1);
  });

  it("round-trips FHIR JSON", async () => {
    const { category, recipients } = parties();
    const resource = { resourceType: "Observation" as const, status: "final" as const, code: { text: "x" } };
    const blob = await sealRecord({ kind: "fhir", resource }, recipients);
    assert.deepEqual(await openFhirRecord(blob, category), resource);
  });

  it("seals with a prepared seal once only, and opens with an unwrapped content key", async () => {
    const { category, author, recipients } = parties();
    const body = fill(3 * SEG + 7);
    const seal = await prepareRecordSeal({ meta: { contentType: "image/png" }, bodyLength: body.length, recipients });
    const sealed = sealWith(seal, body);
    const parts: Uint8Array[] = [];
    for await (const part of sealed.stream) parts.push(part);
    const blob = Buffer.concat(parts);
    assert.equal(blob.length, sealed.length);
    // Reusing a seal would reuse its key and nonce: refused.
    assert.throws(() => sealWith(seal, body), /used twice/);
    // So is a copy of one, however it was made.
    const fresh = await prepareRecordSeal({ meta: { contentType: "image/png" }, bodyLength: 1, recipients });
    assert.throws(() => sealWith({ ...fresh } as typeof fresh, fill(1)), /not a record seal/);
    assert.throws(() => sealWith(Object.create(fresh) as typeof fresh, fill(1)), /not a record seal/);

    const contentKey = await unwrapRecordKey(blob, author);
    const opened = await openRecord(blob, contentKey);
    assert.ok(Buffer.from(opened.bytes).equals(Buffer.from(body)));
    assert.equal(opened.meta.contentType, "image/png");
    // The same key does not open another record, even one sealed to the same parties.
    const other = await sealRecord({ kind: "attachment", contentType: "image/png", bytes: body }, recipients);
    await assert.rejects(openRecord(other, contentKey), WrongKeyError);
    await assert.rejects(unwrapRecordKey(blob, generateKeyPair()), WrongKeyError);
    // Nor a blob with this record's prefix but other envelopes.
    const header = await parseRecordHeader(blob);
    const spliced = new Uint8Array(blob);
    spliced[header.length - 1]! ^= 1; // the last envelope's last byte
    await assert.rejects(openRecord(spliced, contentKey), WrongKeyError);
    assert.ok(Buffer.from((await openRecord(other, category)).bytes).equals(Buffer.from(body)));
  });

  it("streams in and out with bounded pieces", async () => {
    const { category, recipients } = parties();
    const size = 5 * MiB + 3;
    async function* source() {
      for (let i = 0; i < size; i += 100_000) yield fill(Math.min(100_000, size - i));
    }
    const sealed = await sealRecordStream({
      meta: { contentType: "image/png" },
      body: source(),
      bodyLength: size,
      recipients,
    });
    const chunks: Uint8Array[] = [];
    for await (const c of sealed.stream) chunks.push(c);
    assert.equal(
      chunks.reduce((n, c) => n + c.length, 0),
      sealed.length,
    );
    assert.ok(chunks.every((c) => c.length <= SEG + 16 || c === chunks[0]));
    const opened = await openRecordStream(chunks, category);
    let total = 0;
    for await (const piece of opened.body) {
      assert.ok(piece.length <= SEG);
      total += piece.length;
    }
    assert.equal(total, size);
  });

  it("exposes the category and epoch of its envelopes in the clear header", async () => {
    const { recipients } = parties();
    const blob = await sealRecord({ kind: "attachment", contentType: "text/plain", bytes: fill(3) }, recipients);
    const header = await parseRecordHeader(blob);
    assert.deepEqual(
      header.envelopeHeaders.map((h) => [h.kind, h.category, h.epoch]),
      [
        [EnvelopeKind.RecordForCategory, 4, 0],
        [EnvelopeKind.RecordForAuthor, 4, 0],
      ],
    );
  });

  describe("rejects", () => {
    async function sample(size = 2 * SEG + 5) {
      const p = parties();
      const blob = await sealRecord(
        { kind: "attachment", contentType: "application/octet-stream", bytes: fill(size) },
        p.recipients,
      );
      const header = await parseRecordHeader(blob);
      return { ...p, blob, header };
    }

    it("tampered ciphertext with TamperedCiphertextError", async () => {
      const { blob, category, header } = await sample();
      for (const offset of [header.length, header.length + SEG + 20, blob.length - 1]) {
        const bad = new Uint8Array(blob);
        bad[offset]! ^= 1;
        await assert.rejects(openRecord(bad, category), TamperedCiphertextError);
      }
    });

    it("appended data with TamperedCiphertextError", async () => {
      const { blob, category } = await sample();
      const longer = new Uint8Array(blob.length + 1);
      longer.set(blob);
      await assert.rejects(openRecord(longer, category), TamperedCiphertextError);
      const longer2 = new Uint8Array(blob.length + SEG + 16);
      longer2.set(blob);
      await assert.rejects(openRecord(longer2, category), TamperedCiphertextError);
    });

    it("a tampered envelope with TamperedEnvelopeError", async () => {
      const { blob, category } = await sample();
      const bad = new Uint8Array(blob);
      bad[31 + 2 + ENVELOPE_HEADER_LENGTH + 3]! ^= 0x40; // inside the first envelope's ciphertext
      await assert.rejects(openRecord(bad, category), TamperedEnvelopeError);
    });

    it("a tampered header (payload parameters) with TamperedEnvelopeError", async () => {
      const { blob, category } = await sample();
      const bad = new Uint8Array(blob);
      bad[5 + 12]! ^= 1; // base nonce
      await assert.rejects(openRecord(bad, category), TamperedEnvelopeError);
      const bad2 = new Uint8Array(blob);
      bad2[5 + 11]! ^= 1; // plaintext length
      await assert.rejects(openRecord(bad2, category), TamperedEnvelopeError);
    });

    it("a wrong key with WrongKeyError", async () => {
      const { blob } = await sample();
      await assert.rejects(openRecord(blob, generateKeyPair()), WrongKeyError);
    });

    it("a truncated blob with TruncatedBlobError, wherever it is cut", async () => {
      const { blob, category, header } = await sample();
      for (const cut of [3, 40, header.length, header.length + 100, header.length + SEG + 16, blob.length - 1]) {
        await assert.rejects(openRecord(blob.subarray(0, cut), category), TruncatedBlobError, `cut at ${cut}`);
      }
    });

    it("an unsupported or replayed container version with UnsupportedVersionError", async () => {
      const { blob, category } = await sample(10);
      for (const version of [0, 2, 255]) {
        const bad = new Uint8Array(blob);
        bad[4] = version;
        await assert.rejects(openRecord(bad, category), UnsupportedVersionError);
      }
    });
  });
});

describe("key envelopes", () => {
  for (const kind of Object.values(EnvelopeKind)) {
    for (const size of [0, 1, 32, 1000]) {
      it(`round-trip kind ${kind}, ${size}-byte secret`, async () => {
        const recipient = generateKeyPair();
        const secret = fill(size);
        const context = new Uint8Array([9, 9]);
        const envelope = await wrapKey(secret, recipient.publicKey, { kind, category: 2, epoch: 7, context });
        assert.deepEqual(await unwrapKey(envelope, recipient, { context }), secret);
        await assert.rejects(unwrapKey(envelope, recipient, { context: new Uint8Array([9]) }), TamperedEnvelopeError);
      });
    }
  }

  it("binds every header field: kind, category, epoch, nonce", async () => {
    const recipient = generateKeyPair();
    const envelope = await wrapKey(fill(32), recipient.publicKey, {
      kind: EnvelopeKind.CategoryGrant,
      category: 2,
      epoch: 1,
    });
    for (const offset of [6, 7, 11, 20, 60, ENVELOPE_HEADER_LENGTH, envelope.length - 1]) {
      const bad = new Uint8Array(envelope);
      bad[offset]! ^= 1;
      await assert.rejects(unwrapKey(bad, recipient), TamperedEnvelopeError, `offset ${offset}`);
    }
  });

  it("rejects a wrong key, and unsupported or replayed versions", async () => {
    const recipient = generateKeyPair();
    const envelope = await wrapKey(fill(32), recipient.publicKey, { kind: EnvelopeKind.CategoryGrant });
    await assert.rejects(unwrapKey(envelope, generateKeyPair()), WrongKeyError);
    for (const version of [0, 2]) {
      const replayed = new Uint8Array(envelope);
      replayed[4] = version;
      await assert.rejects(unwrapKey(replayed, recipient), UnsupportedVersionError);
    }
  });

  it("interoperate between the native (WebCrypto) and pure-JS X25519 paths, both ways", async () => {
    const recipient = generateKeyPair();
    const secret = fill(32);
    try {
      useNativeX25519(true);
      const native = await wrapKey(secret, recipient.publicKey, { kind: EnvelopeKind.CategoryGrant });
      useNativeX25519(false);
      assert.deepEqual(await unwrapKey(native, recipient), secret);
      const js = await wrapKey(secret, recipient.publicKey, { kind: EnvelopeKind.CategoryGrant });
      useNativeX25519(true);
      assert.deepEqual(await unwrapKey(js, recipient), secret);
      // A low-order (all-zero) ephemeral key is refused on either path.
      for (const native of [true, false]) {
        useNativeX25519(native);
        const bad = new Uint8Array(js);
        bad.fill(0, 20, 52);
        await assert.rejects(unwrapKey(bad, recipient), TamperedEnvelopeError);
      }
    } finally {
      useNativeX25519(true);
    }
  });

  it("encodes and decodes envelope lists", async () => {
    const r = generateKeyPair();
    const list = await Promise.all(
      [1, 2, 3].map((e) => wrapKey(fill(32), r.publicKey, { kind: EnvelopeKind.CategoryGrant, epoch: e })),
    );
    assert.deepEqual(decodeKeyEnvelopes(encodeKeyEnvelopes(list)), list);
    assert.deepEqual(decodeKeyEnvelopes(encodeKeyEnvelopes([])), []);
  });

  it("wraps and unwraps in under 5 ms each", async () => {
    const recipient = generateKeyPair();
    const secret = fill(32);
    for (let i = 0; i < 5; i++) await unwrapKey(await wrapKey(secret, recipient.publicKey, { kind: 1 }), recipient); // warm-up
    // Best of three batches: the machine is shared, a busy neighbour should not fail the suite.
    let wrapMs = Infinity;
    let unwrapMs = Infinity;
    for (let batch = 0; batch < 3; batch++) {
      const n = 30;
      let t = performance.now();
      const envelopes: Uint8Array[] = [];
      for (let i = 0; i < n; i++) envelopes.push(await wrapKey(secret, recipient.publicKey, { kind: 1 }));
      wrapMs = Math.min(wrapMs, (performance.now() - t) / n);
      t = performance.now();
      for (const e of envelopes) await unwrapKey(e, recipient);
      unwrapMs = Math.min(unwrapMs, (performance.now() - t) / n);
    }
    assert.ok(wrapMs < 5, `wrap ${wrapMs.toFixed(2)} ms`);
    assert.ok(unwrapMs < 5, `unwrap ${unwrapMs.toFixed(2)} ms`);
  });
});
