import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { toHex as viemToHex, fromHex as viemFromHex } from "viem";
import {
  MAX_SEALED_REASON_BYTES,
  openDenialReason,
  sealDenialReason,
  type DenialContext,
} from "../src/crypto/denialReason.js";
import { generateKeyPair } from "../src/crypto/keys.js";
import { MalformedInputError, WrongKeyError } from "../src/errors.js";

const patient = { account: "0x1111111111111111111111111111111111111111", key: generateKeyPair() };
const provider = { account: "0x2222222222222222222222222222222222222222", key: generateKeyPair() };
const insurer = { account: "0x3333333333333333333333333333333333333333", key: generateKeyPair() };
const stranger = { account: "0x4444444444444444444444444444444444444444", key: generateKeyPair() };
const context: DenialContext = {
  chainId: 31337,
  registry: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  settlement: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
  kind: "claim",
  id: 123456789n,
  patient: patient.account,
};
const parties = [patient, provider, insurer].map((p) => ({ account: p.account, publicKey: p.key.publicKey }));

describe("sealed denial reasons", () => {
  it("opens to the code for the patient, the provider and the insurer", async () => {
    const sealed = await sealDenialReason(50, parties, context);
    for (const reader of [patient, provider, insurer])
      assert.equal(await openDenialReason(sealed, reader, context), 50);
  });

  it("every code seals to the same length, so the length tells nothing", async () => {
    const a = await sealDenialReason(50, parties, context);
    const b = await sealDenialReason(197, parties, context);
    assert.equal(a.length, b.length);
    assert.notEqual(a, await sealDenialReason(50, parties, context), "fresh HPKE encapsulation each time");
  });

  it("the longest sealed reason fits ClaimsSettlement's MAX_SEALED_REASON", () => {
    const impl = readFileSync(
      fileURLToPath(new URL("../../contracts/claims/ClaimsSettlement.sol", import.meta.url)),
      "utf8",
    );
    const value = Number(/MAX_SEALED_REASON = (\d+);/.exec(impl)?.[1]);
    assert.ok(value >= MAX_SEALED_REASON_BYTES, `contract allows ${value}, SDK can write ${MAX_SEALED_REASON_BYTES}`);
  });

  it("a stranger's key does not open it", async () => {
    const sealed = await sealDenialReason(50, parties, context);
    await assert.rejects(openDenialReason(sealed, stranger, context), WrongKeyError);
  });

  it("does not open on another claim, kind, deployment, patient or chain", async () => {
    const sealed = await sealDenialReason(50, parties, context);
    for (const moved of [
      { ...context, id: 1n },
      { ...context, kind: "preauth" as const },
      { ...context, settlement: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0" },
      { ...context, patient: provider.account },
      { ...context, chainId: 1 },
    ]) {
      await assert.rejects(openDenialReason(sealed, patient, moved), WrongKeyError);
    }
  });

  it("an altered byte or a dropped envelope is refused", async () => {
    const sealed = viemFromHex(await sealDenialReason(50, parties, context), "bytes");
    const flipped = sealed.slice();
    flipped[flipped.length - 1]! ^= 1;
    await assert.rejects(openDenialReason(viemToHex(flipped), insurer, context), WrongKeyError);
    await assert.rejects(
      openDenialReason(viemToHex(sealed.subarray(0, sealed.length - 1)), patient, context),
      MalformedInputError,
    );
    await assert.rejects(openDenialReason("0x00", patient, context), MalformedInputError);
  });

  it("refuses a code out of range and an empty or oversized recipient list", async () => {
    await assert.rejects(sealDenialReason(70000, parties, context), /0 to 65535/);
    await assert.rejects(sealDenialReason(50, [], context), /1 to 4 recipients/);
    await assert.rejects(sealDenialReason(50, [...parties, ...parties], context), /1 to 4 recipients/);
    await assert.rejects(
      sealDenialReason(50, [{ account: stranger.account, publicKey: new Uint8Array(32) }], context),
      /has no encryption key in CareRegistry/,
    );
  });
});
