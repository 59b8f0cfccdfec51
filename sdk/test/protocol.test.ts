import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { encodeAbiParameters, keccak256, recoverTypedDataAddress, toBytes } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { claimIdHex, claimIdOf, claimLabel } from "../src/protocol/claimIds.js";
import { opensCommitment, saltedCommitment } from "../src/protocol/commitments.js";
import * as C from "../src/protocol/constants.js";
import {
  CONSENT_GRANT_TYPE,
  CONSENT_GRANT_TYPEHASH,
  consentGrantTypedData,
  consentGrantTypes,
  IDENTITY_KEY_TYPE,
  IDENTITY_KEY_TYPEHASH,
  identityKeyTypedData,
  identityKeyTypes,
} from "../src/protocol/typedData.js";

const solidity = readFileSync(
  fileURLToPath(new URL("../../contracts/libraries/CareTypes.sol", import.meta.url)),
  "utf8",
);

function solidityUint(name: string): number {
  const match = new RegExp(`uint(?:8|16) constant ${name} = (\\d+);`).exec(solidity);
  assert.ok(match, `${name} not found in CareTypes.sol`);
  return Number(match[1]);
}

describe("protocol constants mirror contracts/libraries/CareTypes.sol", () => {
  it("categories 0..8 and CATEGORY_COUNT", () => {
    const names: Record<string, number> = {
      ALLERGIES: C.Category.Allergies,
      MEDICATIONS: C.Category.Medications,
      CONDITIONS: C.Category.Conditions,
      IMMUNIZATIONS: C.Category.Immunizations,
      OBSERVATIONS: C.Category.Observations,
      DIAGNOSTICS: C.Category.Diagnostics,
      DOCUMENTS: C.Category.Documents,
      ENCOUNTERS: C.Category.Encounters,
      FINANCIAL: C.Category.Financial,
    };
    const declared = [...solidity.matchAll(/uint8 constant CATEGORY_([A-Z_]+) = (\d+);/g)].filter(
      (m) => m[1] !== "COUNT",
    );
    assert.equal(declared.length, Object.keys(names).length);
    for (const [, name, value] of declared) assert.equal(names[name!], Number(value), `CATEGORY_${name}`);
    assert.equal(C.CATEGORY_COUNT, solidityUint("CATEGORY_COUNT"));
    assert.deepEqual(
      C.CATEGORIES.map((c) => c.id),
      [0, 1, 2, 3, 4, 5, 6, 7, 8],
    );
  });

  it("the Purpose enum, in order", () => {
    const body = /enum Purpose \{([^}]*)\}/.exec(solidity)![1]!;
    const members = body
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    assert.deepEqual(members, Object.keys(C.Purpose));
    members.forEach((m, i) => assert.equal(C.Purpose[m as keyof typeof C.Purpose], i));
  });

  it("access and guardian bits", () => {
    assert.equal(C.ACCESS_READ, solidityUint("ACCESS_READ"));
    assert.equal(C.ACCESS_WRITE, solidityUint("ACCESS_WRITE"));
    assert.equal(C.GUARDIAN_MANAGE_CONSENT, solidityUint("GUARDIAN_MANAGE_CONSENT"));
    assert.equal(C.GUARDIAN_EMERGENCY, solidityUint("GUARDIAN_EMERGENCY"));
    assert.equal(C.GUARDIAN_RECOVERY, solidityUint("GUARDIAN_RECOVERY"));
  });

  it("role ids are keccak256 of their names", () => {
    for (const role of [
      "PROVIDER_ROLE",
      "INSURER_ROLE",
      "RESEARCHER_ROLE",
      "SPONSOR_ROLE",
      "ETHICS_BOARD_ROLE",
      "REGULATOR_ROLE",
      "MANUFACTURER_ROLE",
      "DISTRIBUTOR_ROLE",
      "PHARMACY_ROLE",
      "CREDENTIAL_ADMIN_ROLE",
    ] as const) {
      assert.match(solidity, new RegExp(`bytes32 constant ${role} = keccak256\\("${role}"\\);`));
      assert.equal(C[role], keccak256(toBytes(role)));
    }
  });

  it("CREDENTIAL_ROLES names every credentialable role of CareTypes.sol once", () => {
    const inSolidity = [...solidity.matchAll(/bytes32 constant (\w+_ROLE) = keccak256/g)]
      .map((m) => m[1])
      .filter((name) => name !== "CREDENTIAL_ADMIN_ROLE");
    assert.deepEqual(
      C.CREDENTIAL_ROLES.map((role) => role.name),
      inSolidity,
    );
    for (const role of C.CREDENTIAL_ROLES) {
      assert.equal(role.id, keccak256(toBytes(role.name)));
      assert.equal(C.credentialRole(role.id.toUpperCase().replace("0X", "0x")), role);
    }
    assert.equal(new Set(C.CREDENTIAL_ROLES.map((role) => role.flag)).size, C.CREDENTIAL_ROLES.length);
    assert.equal(C.credentialRole(C.CREDENTIAL_ADMIN_ROLE), undefined);
  });

  it("EMERGENCY_SCOPE is the IPS subset (allergies, medications, conditions, immunisations)", () => {
    assert.match(
      solidity,
      /EMERGENCY_SCOPE = uint16\(\s*\(1 << CATEGORY_ALLERGIES\) \| \(1 << CATEGORY_MEDICATIONS\) \| \(1 << CATEGORY_CONDITIONS\) \| \(1 << CATEGORY_IMMUNIZATIONS\)\s*\)/,
    );
    assert.equal(C.EMERGENCY_SCOPE, 0b1111);
    assert.deepEqual(C.categoriesInScope(C.EMERGENCY_SCOPE), [0, 1, 2, 3]);
    assert.equal(C.scopeOf([0, 1, 2, 3]), C.EMERGENCY_SCOPE);
    assert.throws(() => C.scopeOf([9]), RangeError);
  });

  it("maps FHIR resource types to categories", () => {
    assert.equal(C.categoryForResourceType("Observation"), C.Category.Observations);
    assert.equal(C.categoryForResourceType("ClaimResponse"), C.Category.Financial);
    // The patient's own Patient record (the only place a name lives) is shared with the encounters.
    assert.equal(C.categoryForResourceType("Patient"), C.Category.Encounters);
    assert.equal(C.categoryForResourceType("Practitioner"), undefined);
  });
});

describe("EIP-712 typed data", () => {
  it("ConsentGrant: the exact type string, its typehash, and the field list agree", () => {
    assert.equal(
      CONSENT_GRANT_TYPE,
      "ConsentGrant(address patient,address grantee,uint16 scope,uint8 purpose,uint8 access,uint64 notBefore,uint64 expiresAt,bytes keyEnvelopes,uint64 issuedAt,uint256 nonce,uint256 deadline)",
    );
    assert.equal(CONSENT_GRANT_TYPEHASH, keccak256(toBytes(CONSENT_GRANT_TYPE)));
    const fromFields = `ConsentGrant(${consentGrantTypes.ConsentGrant.map((f) => `${f.type} ${f.name}`).join(",")})`;
    assert.equal(fromFields, CONSENT_GRANT_TYPE);
  });

  it("ConsentGrant signs and recovers with the ConsentManager domain", async () => {
    const patient = privateKeyToAccount(generatePrivateKey());
    const typed = consentGrantTypedData({
      chainId: 31337,
      verifyingContract: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
      message: {
        patient: patient.address,
        grantee: "0x00000000000000000000000000000000000000b2",
        scope: C.EMERGENCY_SCOPE,
        purpose: C.Purpose.Emergency,
        access: C.ACCESS_READ,
        notBefore: 0n,
        expiresAt: 2_000_000_000n,
        keyEnvelopes: "0x",
        issuedAt: 1_900_000_000n,
        nonce: 0n,
        deadline: 2_000_000_000n,
      },
    });
    assert.equal(typed.domain.name, "CareLedger ConsentManager");
    assert.equal(typed.domain.version, "1");
    const signature = await patient.signTypedData(typed);
    assert.equal(await recoverTypedDataAddress({ ...typed, signature }), patient.address);
  });

  it("identity key message: bound to chain and CareRegistry, versioned, warns, typehash next to its preimage", async () => {
    assert.equal(IDENTITY_KEY_TYPEHASH, keccak256(toBytes(IDENTITY_KEY_TYPE)));
    assert.equal(
      IDENTITY_KEY_TYPE,
      `CareLedgerIdentityKey(${identityKeyTypes.CareLedgerIdentityKey.map((f) => `${f.type} ${f.name}`).join(",")})`,
    );
    const binding = { chainId: 31337, verifyingContract: "0x5FbDB2315678afecb367f032d93F642f64180aa3" } as const;
    assert.deepEqual(identityKeyTypedData(binding), identityKeyTypedData(binding, 1));
    assert.deepEqual(identityKeyTypedData(binding).domain, {
      name: "CareLedger identity key",
      version: "2",
      chainId: 31337n,
      verifyingContract: binding.verifyingContract,
    });
    assert.match(identityKeyTypedData(binding).message.warning, /ONLY inside the CareLedger app/);
    assert.notDeepEqual(identityKeyTypedData(binding, 2).message, identityKeyTypedData(binding, 1).message);
    assert.throws(() => identityKeyTypedData(binding, 0), RangeError);
    assert.throws(() => identityKeyTypedData({ chainId: 1, verifyingContract: "0x12" as never }), /not an address/);
    const signer = privateKeyToAccount(generatePrivateKey());
    const typed = identityKeyTypedData(binding);
    const signature = await signer.signTypedData(typed);
    assert.equal(await recoverTypedDataAddress({ ...typed, signature }), signer.address);
  });
});

describe("claim ids", () => {
  const encounter = keccak256(toBytes("Encounter/123 + salt"));
  const provider = "0x00000000000000000000000000000000000000a1" as const;
  const copier = "0x00000000000000000000000000000000000000b2" as const;

  it("a claim's id is keccak256(abi.encode(provider, encounter)), printed back as the same 32 bytes", () => {
    const expected = keccak256(encodeAbiParameters([{ type: "address" }, { type: "bytes32" }], [provider, encounter]));
    assert.equal(claimIdOf(provider, encounter), BigInt(expected));
    assert.equal(claimIdHex(claimIdOf(provider, encounter)), expected);
    assert.notEqual(claimIdOf(copier, encounter), claimIdOf(provider, encounter));
    assert.equal(claimIdHex(7n), `0x${"0".repeat(63)}7`);
  });

  it("people see the first and last four hex digits", () => {
    const hex = claimIdHex(claimIdOf(provider, encounter));
    assert.equal(claimLabel(claimIdOf(provider, encounter)), `${hex.slice(0, 6)}…${hex.slice(-4)}`);
    assert.equal(claimLabel(1n), "0x0000…0001");
  });
});

describe("directory listings", () => {
  it("refuse what CareRegistry.setProfile refuses: an empty name, over 64 UTF-8 bytes of name or identifier", () => {
    assert.deepEqual(C.profileTextProblems({ displayName: "Northside Labs", registryId: "" }), {
      displayName: undefined,
      registryId: undefined,
    });
    assert.equal(C.profileTextProblems({ displayName: "", registryId: "" }).displayName, "empty");
    assert.equal(C.profileTextProblems({ displayName: "x".repeat(65), registryId: "" }).displayName, "too long");
    // Bytes, not characters: 32 × "é" is 64 bytes (allowed), 33 are 66.
    assert.equal(C.profileTextProblems({ displayName: "é".repeat(32), registryId: "" }).displayName, undefined);
    assert.equal(C.profileTextProblems({ displayName: "é".repeat(33), registryId: "" }).displayName, "too long");
    assert.equal(C.profileTextProblems({ displayName: "Lab", registryId: "9".repeat(65) }).registryId, "too long");
    assert.equal(C.MAX_PROFILE_TEXT, 64);
  });
});

describe("salted commitments of guessable text", () => {
  const scope = { chainId: 31337, contract: `0x${"5e".repeat(20)}` } as const;
  const DICTIONARY = [
    "hypertension check-up",
    "asthma review",
    "lab panel",
    "flu shot",
    "annual physical",
    "prenatal visit",
    "therapy session",
    "x-ray",
    "mri",
    "blood test",
    "follow-up",
    "vaccination",
    "dental cleaning",
    "eye exam",
    "physiotherapy",
  ];

  it("commit to the same text differently each time (256 random bits) and open with the salt", () => {
    const a = saltedCommitment({ ...scope, purpose: "encounter" }, "hypertension check-up");
    const b = saltedCommitment({ ...scope, purpose: "encounter" }, "hypertension check-up");
    assert.notEqual(a.commitment, b.commitment);
    assert.equal(a.salt.length, 2 + 64);
    assert.ok(opensCommitment({ ...scope, purpose: "encounter" }, "hypertension check-up", a.salt, a.commitment));
    // Bound to the purpose, the chain and the contract.
    assert.ok(!opensCommitment({ ...scope, purpose: "claim" }, "hypertension check-up", a.salt, a.commitment));
    assert.ok(
      !opensCommitment({ ...scope, chainId: 1, purpose: "encounter" }, "hypertension check-up", a.salt, a.commitment),
    );
    assert.ok(
      !opensCommitment(
        { ...scope, contract: `0x${"5f".repeat(20)}`, purpose: "encounter" },
        "hypertension check-up",
        a.salt,
        a.commitment,
      ),
    );
  });

  it("are not recovered by a dictionary of likely texts without the salt", () => {
    const { commitment } = saltedCommitment({ ...scope, purpose: "encounter" }, "hypertension check-up");
    const zero = `0x${"00".repeat(32)}` as const;
    for (const guess of DICTIONARY) {
      assert.notEqual(saltedCommitment({ ...scope, purpose: "encounter" }, guess, zero).commitment, commitment);
      assert.notEqual(keccak256(toBytes(guess)), commitment);
    }
  });

  it("refuse a salt that is not 256 bits", () => {
    assert.throws(() => saltedCommitment({ ...scope, purpose: "appeal" }, "x", "0x1234"), /32 bytes of 0x hex/);
  });
});
