/**
 * What a chain observer learns from the seeded demo world: every transaction's calldata and every
 * event of every block, decoded with the deployment's ABIs, searched for the clinical text the
 * seed wrote (record labels, claim labels, a dictionary of likely encounter names) in the clear
 * and as an unsalted hash of the kind the seed and the claim task used to publish.
 *
 *   npx hardhat test mocha test/seed/chainObserver.test.ts
 *
 * Denial reasons: every denial on chain carries only its reason sealed to patient, provider and
 * insurer (SDK sealDenialReason); the test decodes each one and finds no reason code, and checks that
 * an account outside the decision cannot open it.
 *
 * It does not (yet) assert that no service class is in the clear: the class is still a
 * ClaimsSettlement argument and event field (SECURITY.md, "What the chain reveals", says so).
 */
import { expect } from "chai";
import {
  createPublicClient,
  decodeEventLog,
  decodeFunctionData,
  http,
  keccak256,
  stringToHex,
  toBytes,
  type Abi,
  type Hex,
} from "viem";

import { openDenialReason } from "../../sdk/src/crypto/denialReason.js";
import { WrongKeyError } from "../../sdk/src/errors.js";
import type { Stack } from "../../scripts/lib/stack.js";
import { startSeededStack } from "../helpers/seededStack.js";

/** Its own chain id, as seed.test.ts has: the committed local deployments file stays put. */
const CHAIN_ID = 31341;

/** Encounter names a curious observer would try first. */
const DICTIONARY = [
  "hypertension check-up",
  "metabolic panel",
  "asthma review",
  "lab panel",
  "annual physical",
  "prenatal visit",
  "therapy session",
  "blood test",
  "follow-up",
  "vaccination",
  "x-ray",
  "mri",
  "physiotherapy",
  "eye exam",
  "dental cleaning",
];

describe("what a chain observer sees of the seeded world", function () {
  let stack: Stack;
  let stop: (() => Promise<void>) | undefined;

  before(async function () {
    this.timeout(240_000);
    ({ stack, stop } = await startSeededStack(CHAIN_ID));
  });

  after(async function () {
    this.timeout(60_000);
    await stop?.();
  });

  it("finds no clinical text, in the clear or hashed without salt, in any calldata or event", async function () {
    this.timeout(120_000);
    const world = stack.world!;
    const client = createPublicClient({ transport: http(stack.rpcUrl) });
    const abi = Object.values(stack.deployment.contracts).flatMap(({ abi }) => abi as Abi) as Abi;
    const settlement = stack.deployment.contracts.ClaimsSettlement.address;

    const texts = [
      ...DICTIONARY,
      ...world.records.map((r) => r.label),
      ...world.insurance.claims.map((c) => c.label),
    ].filter((t) => t.length >= 3);
    // Every way the seed and `careledger:claim` hashed these texts before they were salted.
    const unsalted = new Set<string>();
    for (const text of texts) unsalted.add(keccak256(toBytes(text)));
    for (const claim of world.insurance.claims) {
      const encounter = `${claim.patient.address}:${claim.label}`;
      unsalted.add(keccak256(stringToHex(encounter)));
      unsalted.add(keccak256(stringToHex(`${CHAIN_ID}:${settlement}:${encounter}`)));
    }

    const payloads: { where: string; data: Hex; decoded: unknown }[] = [];
    const latest = await client.getBlockNumber();
    for (let n = 0n; n <= latest; n++) {
      const block = await client.getBlock({ blockNumber: n, includeTransactions: true });
      for (const tx of block.transactions) {
        let decoded: unknown;
        try {
          decoded = decodeFunctionData({ abi, data: tx.input });
        } catch {
          decoded = undefined; // a deployment's creation code
        }
        payloads.push({ where: `tx ${tx.hash}`, data: tx.input, decoded });
      }
    }
    const logs = await client.getLogs({ fromBlock: 0n, toBlock: latest });
    for (const log of logs) {
      let decoded: unknown;
      try {
        decoded = decodeEventLog({ abi, data: log.data, topics: log.topics });
      } catch {
        decoded = undefined;
      }
      payloads.push({ where: `log ${log.transactionHash}#${log.logIndex}`, data: log.data, decoded });
      for (const topic of log.topics) payloads.push({ where: `topic of ${log.transactionHash}`, data: topic, decoded });
    }
    expect(payloads.length).to.be.greaterThan(world.transactions);
    expect(world.insurance.claims.length).to.be.greaterThan(0);

    const findings: string[] = [];
    for (const { where, data, decoded } of payloads) {
      const hex = data.toLowerCase();
      for (const text of texts) {
        for (const variant of new Set([text, text.toLowerCase(), text.toUpperCase()])) {
          if (hex.includes(stringToHex(variant).slice(2))) findings.push(`${where}: "${variant}" in the clear`);
        }
      }
      for (let i = 2; i + 64 <= hex.length; i += 2) {
        if (unsalted.has(`0x${hex.slice(i, i + 64)}`)) findings.push(`${where}: an unsalted hash of clinical text`);
      }
      const strings = JSON.stringify(decoded ?? null, (_, v) => (typeof v === "bigint" ? v.toString() : v));
      for (const text of texts) {
        if (strings.toLowerCase().includes(text.toLowerCase()))
          findings.push(`${where}: "${text}" in decoded arguments`);
      }
    }
    expect(findings, findings.slice(0, 10).join("\n")).to.deep.equal([]);
  });
  it("finds no denial reason code: each denial carries only bytes sealed to its parties", async function () {
    this.timeout(60_000);
    const world = stack.world!;
    const client = createPublicClient({ transport: http(stack.rpcUrl) });
    const { address, abi } = stack.deployment.contracts.ClaimsSettlement;
    // No ClaimsSettlement function or event takes a reason code any more: only sealed reasons.
    const fields = (abi as Abi).flatMap((item) =>
      item.type === "function" || item.type === "event" ? item.inputs.map((input) => `${item.name}.${input.name}`) : [],
    );
    expect(fields.filter((f) => /reason/i.test(f)).sort()).to.deep.equal(
      [
        "ClaimDenied.sealedReason",
        "PreAuthDenied.sealedReason",
        "denyClaim.sealedReason",
        "denyPreAuth.sealedReason",
      ].sort(),
    );

    const denied = world.insurance.claims.filter((c) => c.status === "denied");
    expect(denied.length).to.be.greaterThan(0);
    const logs = await client.getContractEvents({ address, abi: abi as Abi, eventName: "ClaimDenied", fromBlock: 0n });
    expect(logs.length).to.equal(denied.length);
    const outsider = world.people.alice;
    expect(denied.every((c) => c.patient !== outsider && c.provider !== outsider)).to.equal(true);
    for (const log of logs) {
      const { claimId, sealedReason, ...rest } = (log as unknown as { args: Record<string, unknown> }).args as {
        claimId: bigint;
        sealedReason: Hex;
      };
      expect(Object.keys(rest), "ClaimDenied carries the claim id and the sealed reason only").to.deep.equal([]);
      const bytes = toBytes(sealedReason);
      expect(bytes.length).to.equal(1 + bytes[0]! * 56);
      const claim = denied.find((c) => c.claimId === claimId)!;
      const context = {
        chainId: CHAIN_ID,
        registry: stack.deployment.contracts.CareRegistry.address,
        settlement: address,
        kind: "claim" as const,
        id: claimId,
        patient: claim.patient.address,
      };
      const key = world.people.keys.get(outsider.address)!;
      let refused: unknown;
      try {
        await openDenialReason(sealedReason, { account: outsider.address, key }, context);
      } catch (error) {
        refused = error;
      }
      expect(refused, `${outsider.name} opened the reason of a denial she is no party to`).to.be.instanceOf(
        WrongKeyError,
      );
    }
  });
});
