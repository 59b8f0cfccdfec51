/**
 * Gas of the core operations: CareRegistry, ConsentManager, RecordRegistry.
 * Each operation is measured in the state a real user meets it in (e.g. a patient's first
 * signed grant pays for its nonce slot), so the numbers are the ones users will see.
 */
import {
  ACCESS_READ,
  ACCESS_WRITE,
  MAX_UINT64,
  Purpose,
  bytes32Of,
  cidOf,
  deployCore,
  envelopesOf,
} from "../../test/helpers/core.js";
import { signConsentGrant, signConsentRevocation } from "../../test/helpers/consentTypedData.js";
import { gasOf, type GasMeasurement, type GasSuite } from "./types.js";

const ALL_CATEGORIES = [0, 1, 2, 3, 4, 5, 6, 7, 8];
const FULL_SCOPE = 0x1ff;

export const coreGasSuite: GasSuite = {
  name: "core",
  async run(connection) {
    const { careRegistry, consentManager, recordRegistry, accounts, roles, domain } = await deployCore(connection);
    const { admin, patient, provider, guardian, relayer, patient2, provider2, insurer, stranger } = accounts;
    const latest = async () => BigInt(await connection.networkHelpers.time.latest());
    const results: GasMeasurement[] = [];
    const measure = async (
      operation: string,
      tx: Parameters<typeof gasOf>[0],
      budget?: bigint,
      note?: string,
    ): Promise<bigint> => {
      const gasUsed = await gasOf(tx);
      results.push({ operation, gasUsed, budget, note });
      return gasUsed;
    };

    // Registry
    await measure("register patient", careRegistry.connect(patient).registerPatient(bytes32Of("b1")), 75_000n);
    await careRegistry.connect(patient2).registerPatient(bytes32Of("b2"));
    await measure(
      "publish key custody (first passkey)",
      careRegistry.connect(patient).setKeyCustody(bytes32Of("custody-1")),
      55_000n,
    );
    await measure(
      "replace key custody (a passkey added or removed)",
      careRegistry.connect(patient).setKeyCustody(bytes32Of("custody-2")),
      35_000n,
    );
    await measure(
      "set encryption key (provider, first)",
      careRegistry.connect(provider).setEncryptionKey(bytes32Of("b3")),
    );
    await measure(
      "grant credential",
      careRegistry.connect(admin).grantCredential(roles.PROVIDER_ROLE, provider.address),
    );
    await careRegistry.connect(admin).grantCredential(roles.PROVIDER_ROLE, provider2.address);
    const now = await latest();
    await measure(
      "set guardian",
      careRegistry.connect(patient).setGuardian(guardian.address, 3, 0, now + 365n * 86_400n),
    );
    await measure(
      "publish category keys (9 categories)",
      recordRegistry.connect(patient).publishCategoryKeys(
        ALL_CATEGORIES,
        ALL_CATEGORIES.map((c) => bytes32Of(`category-key-${c}`)),
      ),
    );
    await recordRegistry.connect(patient2).publishCategoryKeys([0], [bytes32Of("b5")]);

    // Consent
    const terms = {
      grantee: provider.address,
      scope: FULL_SCOPE,
      purpose: Purpose.Treatment,
      access: ACCESS_READ | ACCESS_WRITE,
      notBefore: 0n,
      expiresAt: MAX_UINT64,
    };
    const oneEnvelope = envelopesOf("grant", 1);
    await measure(
      "grant consent",
      consentManager.connect(patient).grantConsent(terms, oneEnvelope),
      70_000n,
      "new grant, 1 key envelope (94 B)",
    );
    await measure(
      "grant consent (9 envelopes)",
      consentManager.connect(patient).grantConsent({ ...terms, purpose: Purpose.Claims }, envelopesOf("grant9", 9)),
      undefined,
      "new grant, 9 key envelopes (846 B)",
    );
    const deadline = (await latest()) + 3_600n;
    const signedTerms = {
      ...terms,
      grantee: provider2.address,
      expiresAt: (await latest()) + 30n * 86_400n,
    };
    const grantSig = await signConsentGrant(patient2, domain, signedTerms, oneEnvelope, 0n, deadline);
    await measure(
      "grant consent by signature",
      consentManager
        .connect(relayer)
        .grantConsentBySig(
          patient2.address,
          signedTerms,
          oneEnvelope,
          grantSig.issuedAt,
          0n,
          deadline,
          grantSig.serialized,
        ),
      85_000n,
      "patient's first signature (nonce slot 0 -> 1), 1 key envelope",
    );
    const nextTerms = { ...signedTerms, purpose: Purpose.Claims };
    const nextSig = await signConsentGrant(patient2, domain, nextTerms, oneEnvelope, 1n, deadline);
    await measure(
      "grant consent by signature (later)",
      consentManager
        .connect(relayer)
        .grantConsentBySig(
          patient2.address,
          nextTerms,
          oneEnvelope,
          nextSig.issuedAt,
          1n,
          deadline,
          nextSig.serialized,
        ),
      undefined,
      "nonce slot already non-zero",
    );
    // A contract-wallet patient (ERC-1271): its first signed grant, like the EOA row above.
    const wallet = await connection.ethers.deployContract("MockERC1271Wallet", [patient.address]);
    const walletAddress = await wallet.getAddress();
    const walletSig = await signConsentGrant(patient, domain, signedTerms, oneEnvelope, 0n, deadline, {
      patient: walletAddress,
    });
    await measure(
      "grant consent by ERC-1271 signature",
      consentManager
        .connect(relayer)
        .grantConsentBySig(
          walletAddress,
          signedTerms,
          oneEnvelope,
          walletSig.issuedAt,
          0n,
          deadline,
          walletSig.serialized,
        ),
      100_000n,
      "contract-wallet patient's first signature (MockERC1271Wallet: owner's ECDSA), 1 key envelope",
    );
    await measure(
      "grant consent by guardian",
      consentManager
        .connect(guardian)
        .grantConsentFor(
          patient.address,
          { ...terms, grantee: provider2.address, expiresAt: now + 365n * 86_400n },
          oneEnvelope,
        ),
    );
    await measure(
      "revoke consent",
      consentManager.connect(patient).revokeConsent(provider2.address, Purpose.Treatment),
      35_000n,
    );
    const revokeSig = await signConsentRevocation(patient2, domain, provider2.address, Purpose.Treatment, 2n, deadline);
    await measure(
      "revoke consent by signature",
      consentManager
        .connect(relayer)
        .revokeConsentBySig(patient2.address, provider2.address, Purpose.Treatment, 2n, deadline, revokeSig.serialized),
    );

    // The revocations above left every category of the patient needing new keys (the guardian's
    // grant covered them all): renew them, re-wrapped to the provider's two grants, so writes go on.
    await consentManager.connect(patient).rotateCategoryKeys(
      ALL_CATEGORIES.map((category) => ({ category, expectedEpoch: 1, publicKey: bytes32Of(`renew-all-${category}`) })),
      [
        { grantee: provider.address, purpose: Purpose.Treatment, keyEnvelopes: envelopesOf("all-a", 9) },
        { grantee: provider.address, purpose: Purpose.Claims, keyEnvelopes: envelopesOf("all-b", 9) },
      ],
    );

    // Records (key epoch 2 after the renewal)
    await measure(
      "add record",
      recordRegistry.connect(provider).addRecord(patient.address, 4, cidOf("c11"), bytes32Of("b6"), 2),
      90_000n,
      "credentialed provider with write consent, 36 B CID",
    );
    await measure(
      "add record (by patient)",
      recordRegistry.connect(patient).addRecord(patient.address, 6, cidOf("c12"), bytes32Of("b7"), 2),
    );
    const batch = Array.from({ length: 10 }, (_, i) => ({
      category: i % 3,
      commitment: bytes32Of(`batch-commitment-${i}`),
      keyEpoch: 2,
      cid: cidOf(`batch-cid-${i}`),
    }));
    const batchGas = await gasOf(recordRegistry.connect(provider).addRecords(patient.address, batch));
    results.push({
      operation: "add record (batch of 10, per record)",
      gasUsed: batchGas / 10n,
      budget: 55_000n,
      note: `whole batch ${batchGas}, 3 categories`,
    });
    const spreadBatch = Array.from({ length: 10 }, (_, i) => ({
      category: i % 9,
      commitment: bytes32Of(`spread-commitment-${i}`),
      keyEpoch: 2,
      cid: cidOf(`spread-cid-${i}`),
    }));
    const spreadGas = await gasOf(recordRegistry.connect(provider).addRecords(patient.address, spreadBatch));
    results.push({
      operation: "add record (batch of 10 over 9 categories, per record)",
      gasUsed: spreadGas / 10n,
      note: `whole batch ${spreadGas}; worst case: every category pays its own counter, consent check and metadata`,
    });
    const firstId = await recordRegistry.computeRecordId(patient.address, 4, 0);
    await measure(
      "amend record",
      recordRegistry.connect(provider).amendRecord(firstId, cidOf("c14"), bytes32Of("b9"), 2),
    );
    const epochOf = async (who: string, category: number) =>
      Number((await recordRegistry.categoryKey(who, category))[1]);
    await measure(
      "rotate category key",
      consentManager
        .connect(patient)
        .rotateCategoryKeys(
          [{ category: 4, expectedEpoch: await epochOf(patient.address, 4), publicKey: bytes32Of("b10") }],
          [],
        ),
      undefined,
      "one category, re-wrapped to nobody",
    );

    // Revocation that holds: rotation in the revoking transaction, re-wraps, renewal.
    const threeCategories = [5, 6, 7];
    await consentManager
      .connect(patient)
      .grantConsent(
        { ...terms, grantee: stranger.address, scope: 0b11100000, purpose: Purpose.Research, access: ACCESS_READ },
        envelopesOf("research", 3),
      );
    const rotationsOf = async (who: string, categories: number[], label: string) =>
      Promise.all(
        categories.map(async (category) => ({
          category,
          expectedEpoch: await epochOf(who, category),
          publicKey: bytes32Of(`${label}-${category}`),
        })),
      );
    await measure(
      "revoke with rotation of 3 categories + re-wrap to 2 remaining grantees",
      consentManager
        .connect(patient)
        .revokeAndRotate(
          stranger.address,
          Purpose.Research,
          await rotationsOf(patient.address, threeCategories, "rotated"),
          [
            { grantee: provider.address, purpose: Purpose.Treatment, keyEnvelopes: envelopesOf("rewrap-a", 3) },
            { grantee: provider.address, purpose: Purpose.Claims, keyEnvelopes: envelopesOf("rewrap-b", 3) },
          ],
        ),
      120_000n,
      "one transaction: revoke, 3 new public keys, 2 × 3 key envelopes (282 B each) as event data",
    );
    await consentManager
      .connect(patient2)
      .grantConsent(
        { ...terms, grantee: stranger.address, scope: 1, purpose: Purpose.Research, access: ACCESS_READ },
        envelopesOf("research2", 1),
      );
    await measure(
      "revoke with rotation of 1 category, no remaining grantee",
      consentManager
        .connect(patient2)
        .revokeAndRotate(stranger.address, Purpose.Research, await rotationsOf(patient2.address, [0], "alone"), []),
      45_000n,
    );
    await consentManager
      .connect(patient)
      .grantConsent(
        { ...terms, grantee: insurer.address, scope: 0b11100000, purpose: Purpose.Research, access: ACCESS_READ },
        envelopesOf("insurer", 3),
      );
    await measure(
      "revoke consent by guardian (3 categories then need new keys)",
      consentManager.connect(guardian).revokeConsentFor(patient.address, insurer.address, Purpose.Research),
    );
    await measure(
      "renewal of 3 pending categories",
      consentManager
        .connect(patient)
        .rotateCategoryKeys(await rotationsOf(patient.address, threeCategories, "renewed"), [
          { grantee: provider.address, purpose: Purpose.Treatment, keyEnvelopes: envelopesOf("renew-a", 3) },
        ]),
      90_000n,
      "3 new public keys, re-wrapped to 1 remaining grantee (3 envelopes)",
    );

    // Break-glass
    await measure(
      "open break-glass",
      consentManager.connect(provider2).openBreakGlass(patient.address, 1, 4n * 3_600n),
      80_000n,
    );
    await measure(
      "release emergency keys (guardian)",
      consentManager.connect(guardian).releaseEmergencyKeys(patient.address, provider2.address, envelopesOf("sos", 4)),
      undefined,
      "4 emergency-summary envelopes as event data",
    );
    await measure(
      "close break-glass",
      consentManager.connect(patient).closeBreakGlass(patient.address, provider2.address),
      undefined,
      "keys were released: the emergency categories stop being writable",
    );

    return results;
  },
};
