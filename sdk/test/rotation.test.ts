import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  CategoryKeyring,
  deriveCategoryKey,
  equalBytes,
  keyPairFromSecret,
  openKeyEnvelopes,
  planKeyRotation,
  rewrapTargets,
  type KnownGrant,
} from "../src/index.js";
import { EnvelopePurpose } from "../src/crypto/envelope.js";
import { WrongKeyError } from "../src/errors.js";

const secret = (n: number) => new Uint8Array(32).fill(n);
const patient = { secret: secret(1) };
const gp = keyPairFromSecret(secret(2));
const insurer = keyPairFromSecret(secret(3));
const NEVER = 2n ** 64n - 1n;
const now = 1_800_000_000n;
const DOMAIN = { chainId: 31337, registry: `0x${"c1".repeat(20)}`, patient: `0x${"a0".repeat(20)}` };
const A1 = "0x00000000000000000000000000000000000000a1";
const B2 = "0x00000000000000000000000000000000000000b2";
const to = (grantee: string) => ({ ...DOMAIN, grantee });
const grants: KnownGrant[] = [
  {
    grantee: "0x00000000000000000000000000000000000000a1",
    purpose: 0,
    scope: 0b110000,
    expiresAt: NEVER,
    revoked: false,
  },
  {
    grantee: "0x00000000000000000000000000000000000000b2",
    purpose: 1,
    scope: 0b010000,
    expiresAt: now + 86_400n,
    revoked: false,
  },
  {
    grantee: "0x00000000000000000000000000000000000000c3",
    purpose: 0,
    scope: 0b110000,
    expiresAt: NEVER,
    revoked: false,
  },
  {
    grantee: "0x00000000000000000000000000000000000000d4",
    purpose: 0,
    scope: 0b010000,
    expiresAt: NEVER,
    revoked: true,
  },
  {
    grantee: "0x00000000000000000000000000000000000000e5",
    purpose: 2,
    scope: 0b010000,
    expiresAt: now + 60n,
    revoked: false,
  },
  {
    grantee: "0x00000000000000000000000000000000000000f6",
    purpose: 2,
    scope: 0b000001,
    expiresAt: NEVER,
    revoked: false,
  },
];

describe("key rotation", () => {
  it("re-wraps to live grants covering the rotated categories only, never to the revoked or about to end", () => {
    const targets = rewrapTargets(grants, [4, 5], now, {
      grantee: "0x00000000000000000000000000000000000000C3",
      purpose: 0,
    });
    assert.deepEqual(
      targets.map((t) => [t.grantee.slice(-2), t.scope]),
      [
        ["a1", 0b110000],
        ["b2", 0b010000],
      ],
    );
  });

  it("states the epochs it expects and hands each remaining grantee exactly the new keys of its categories", async () => {
    const plan = await planKeyRotation({
      patient,
      binding: DOMAIN,
      categories: [5, 4, 4],
      epochs: { 4: 1, 5: 3 },
      targets: [
        { grantee: "0x00000000000000000000000000000000000000a1", purpose: 0, scope: 0b110000, publicKey: gp.publicKey },
        {
          grantee: "0x00000000000000000000000000000000000000b2",
          purpose: 1,
          scope: 0b010000,
          publicKey: insurer.publicKey,
        },
      ],
    });
    assert.deepEqual(
      plan.rotations.map((r) => [r.category, r.expectedEpoch]),
      [
        [4, 1],
        [5, 3],
      ],
    );
    assert.deepEqual(plan.nextEpochs, { 4: 2, 5: 4 });
    assert.ok(equalBytes(plan.rotations[0]!.publicKey, deriveCategoryKey(patient, 4, 2).publicKey));
    const gpKeys = await openKeyEnvelopes(plan.rewraps[0]!.keyEnvelopes, gp, to(A1));
    assert.deepEqual([...gpKeys].map((k) => [k.category, k.epoch]).sort(), [
      [4, 2],
      [5, 4],
    ]);
    const insurerKeys = await openKeyEnvelopes(plan.rewraps[1]!.keyEnvelopes, insurer, to(B2), new CategoryKeyring());
    assert.deepEqual(
      [...insurerKeys].map((k) => [k.category, k.epoch]),
      [[4, 2]],
    );
    // Nobody else can open them: not another key, nor the insurer's envelopes as another grantee's.
    await assert.rejects(openKeyEnvelopes(plan.rewraps[1]!.keyEnvelopes, gp, to(B2)), WrongKeyError);
    await assert.rejects(openKeyEnvelopes(plan.rewraps[1]!.keyEnvelopes, insurer, to(A1)), WrongKeyError);
  });

  it("refuses a category that has no published key", async () => {
    await assert.rejects(
      planKeyRotation({ patient, binding: DOMAIN, categories: [2], epochs: {}, targets: [] }),
      /no published key/,
    );
    await assert.rejects(
      planKeyRotation({ patient, binding: DOMAIN, categories: [], epochs: {}, targets: [] }),
      /no category/,
    );
  });
});

describe("emergency key release", () => {
  it("passes held category keys on to a provider, who opens them like a grant", async () => {
    const { releaseHeldKeys, grantKeyEnvelopes } = await import("../src/index.js");
    const guardian = keyPairFromSecret(secret(4));
    const provider = keyPairFromSecret(secret(5));
    const held = await openKeyEnvelopes(
      await grantKeyEnvelopes({
        patient,
        granteePublicKey: guardian.publicKey,
        binding: to(A1),
        scope: 0b1111,
        epochs: { 0: 1, 1: 2, 2: 1, 3: 1 },
        includePastEpochs: false,
      }),
      guardian,
      to(A1),
    );
    const release = await releaseHeldKeys([...held], provider.publicKey, to(B2));
    const released = await openKeyEnvelopes(release, provider, to(B2), undefined, EnvelopePurpose.Emergency);
    // Bound to purpose emergency and to this provider: not a grant, not another recipient's.
    await assert.rejects(openKeyEnvelopes(release, provider, to(B2)), WrongKeyError);
    await assert.rejects(
      openKeyEnvelopes(release, provider, to(A1), undefined, EnvelopePurpose.Emergency),
      WrongKeyError,
    );
    assert.deepEqual([...released].map((k) => [k.category, k.epoch]).sort(), [
      [0, 1],
      [1, 2],
      [2, 1],
      [3, 1],
    ]);
    assert.ok(equalBytes(released.get(1, 2)!.publicKey, deriveCategoryKey(patient, 1, 2).publicKey));
    await assert.rejects(releaseHeldKeys([], provider.publicKey, to(B2)), /no key/);
  });
});
