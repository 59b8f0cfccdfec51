/**
 * The recovery story on the real core with the SDK's crypto: a patient who loses the device key and
 * the wallet gets both back through two of three guardians, opens an old record on the new address,
 * and an old grant still works for its grantee; the old address cancelling within the delay stops it.
 */
import { expect } from "chai";
import { network } from "hardhat";

import { equalBytes, fromHex, randomBytes, toHex } from "../../sdk/src/bytes.js";
import { deriveCategoryKey } from "../../sdk/src/crypto/categoryKeys.js";
import { openRecord, recordRecipients, sealRecord } from "../../sdk/src/crypto/container.js";
import { grantKeyEnvelopes, openKeyEnvelopes } from "../../sdk/src/crypto/grants.js";
import { identityKeyFromSecret } from "../../sdk/src/crypto/identity.js";
import { generateKeyPair } from "../../sdk/src/crypto/keys.js";
import {
  createGuardianShares,
  decodeRecoveryShares,
  encodeRecoveryShares,
  openGuardianShare,
  recoverFromShares,
  rewrapGuardianShare,
} from "../../sdk/src/crypto/recovery.js";
import { RecoveryError } from "../../sdk/src/errors.js";
import { ACCESS_READ, GUARDIAN_RECOVERY, MAX_UINT64, Purpose, bytes32Of, cidOf, deployCore } from "../helpers/core.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;

const CONDITIONS = 2;
const EPOCH = 1; // the first category key epoch on chain
const DELAY = 48 * 3_600;

async function storyFixture() {
  const core = await deployCore(connection);
  const { careRegistry, consentManager, recordRegistry, accounts, roles } = core;
  const signers = await ethers.getSigners();
  const guardianWallets = signers.slice(9, 12);
  const newWallet = signers[12]!;
  // Everyone's identity key; the patient's is what gets lost.
  const identity = identityKeyFromSecret(randomBytes(32));
  const guardianKeys = guardianWallets.map(() => generateKeyPair());
  const providerKey = generateKeyPair();
  await careRegistry.connect(accounts.patient).registerPatient(toHex(identity.publicKey));
  await careRegistry.grantCredential(roles.PROVIDER_ROLE, accounts.provider.address);
  await careRegistry.connect(accounts.provider).setEncryptionKey(toHex(providerKey.publicKey));
  for (const [i, wallet] of guardianWallets.entries()) {
    await careRegistry.connect(wallet).setEncryptionKey(toHex(guardianKeys[i]!.publicKey));
    await careRegistry.connect(accounts.patient).setGuardian(wallet.address, GUARDIAN_RECOVERY, 0, MAX_UINT64);
  }
  // An old record and an old grant.
  const category = deriveCategoryKey(identity, CONDITIONS, EPOCH);
  await recordRegistry.connect(accounts.patient).publishCategoryKeys([CONDITIONS], [toHex(category.publicKey)]);
  const content = new TextEncoder().encode("Condition: asthma, since 2019");
  const domain = { chainId: (await ethers.provider.getNetwork()).chainId, registry: await careRegistry.getAddress() };
  const patient = accounts.patient.address;
  const recordBinding = { ...domain, patient, author: patient, category: CONDITIONS, epoch: EPOCH };
  const grantBinding = { ...domain, patient, grantee: accounts.provider.address };
  const recoveryBinding = { ...domain, patient };
  const blob = await sealRecord(
    { kind: "attachment", contentType: "text/plain", bytes: content },
    recordRecipients({
      ...recordBinding,
      categoryPublicKey: category.publicKey,
      authorPublicKey: identity.publicKey,
    }),
  );
  await recordRegistry
    .connect(accounts.patient)
    .addRecord(accounts.patient.address, CONDITIONS, cidOf("asthma"), bytes32Of("asthma"), EPOCH);
  const grantEnvelopes = await grantKeyEnvelopes({
    patient: identity,
    granteePublicKey: providerKey.publicKey,
    binding: grantBinding,
    scope: 1 << CONDITIONS,
    epochs: { [CONDITIONS]: EPOCH },
  });
  await consentManager.connect(accounts.patient).grantConsent(
    {
      grantee: accounts.provider.address,
      scope: 1 << CONDITIONS,
      purpose: Purpose.Treatment,
      access: ACCESS_READ,
      notBefore: 0n,
      expiresAt: MAX_UINT64,
    },
    grantEnvelopes,
  );
  // Recovery set up: 2 of 3, each share wrapped to a guardian's registered key, published on chain.
  const shares = await createGuardianShares(
    identity,
    guardianWallets.map((w, i) => ({ id: w.address, address: w.address, publicKey: guardianKeys[i]!.publicKey })),
    2,
    recoveryBinding,
  );
  await careRegistry.connect(accounts.patient).setRecovery(2, encodeRecoveryShares(shares));
  return {
    ...core,
    identity,
    guardianWallets,
    guardianKeys,
    providerKey,
    newWallet,
    blob,
    content,
    grantEnvelopes,
    recordBinding,
    grantBinding,
    recoveryBinding,
  };
}

type Story = Awaited<ReturnType<typeof storyFixture>>;

/** What a guardian's dApp does: find its share in the patient's latest setRecovery, re-wrap it, approve. */
async function guardianReleases(story: Story, index: number, newDevicePublicKey: Uint8Array) {
  const { careRegistry, accounts, guardianWallets, guardianKeys, newWallet } = story;
  const [latest] = (
    await careRegistry.queryFilter(careRegistry.filters.RecoveryConfigured(accounts.patient.address))
  ).slice(-1);
  const wallet = guardianWallets[index]!;
  const mine = decodeRecoveryShares(fromHex(latest!.args.shareEnvelopes)).find(
    (s) => s.guardianId.toLowerCase() === wallet.address.toLowerCase(),
  );
  expect(mine, "the guardian finds its share").to.not.equal(undefined);
  const released = await rewrapGuardianShare(mine!, guardianKeys[index]!, newDevicePublicKey, {
    ...story.recoveryBinding,
    holder: wallet.address,
  });
  await careRegistry.connect(wallet).approveRecovery(accounts.patient.address, newWallet.address, released);
}

describe("Recovery story (real core, SDK crypto)", function () {
  it("two of three guardians release shares; on a new address the patient opens the old record and the old grant still works", async function () {
    const story = await networkHelpers.loadFixture(storyFixture);
    const { careRegistry, consentManager, recordRegistry, accounts, newWallet, blob, content } = story;
    const patient = accounts.patient.address;
    // Lost: the device key and the wallet. A new device key and a new wallet.
    const newDevice = generateKeyPair();
    await guardianReleases(story, 0, newDevice.publicKey);
    await guardianReleases(story, 2, newDevice.publicKey);
    await time.increase(DELAY);
    await careRegistry.connect(newWallet).completeRecovery(patient);
    await consentManager.connect(newWallet).syncAccount(patient);

    // The new device collects the released shares of this round and rebuilds the key, checked on chain.
    const round = (await careRegistry.recoveryOf(patient)).round - 1n;
    const approvals = await careRegistry.queryFilter(
      careRegistry.filters.RecoveryApproved(patient, undefined, newWallet.address),
    );
    const released = approvals.filter((e) => e.args.round === round).map((e) => fromHex(e.args.releasedShare));
    expect(released).to.have.length(2);
    const plain = await Promise.all(
      released.map((envelope) => openGuardianShare(envelope, newDevice, { ...story.recoveryBinding, holder: patient })),
    );
    const [registeredKey, keyVersion] = await careRegistry.encryptionKey(patient);
    const { identity } = await recoverFromShares(plain, {
      publicKey: registeredKey as `0x${string}`,
      keyVersion: Number(keyVersion),
    });
    expect(equalBytes(identity.publicKey, story.identity.publicKey)).to.equal(true);

    // Every old record opens with the recovered key; the records are still the patient id's.
    expect(await recordRegistry.recordCount(patient, CONDITIONS)).to.equal(1n);
    const opened = await openRecord(blob, deriveCategoryKey(identity, CONDITIONS, EPOCH), story.recordBinding);
    expect(equalBytes(opened.bytes, content)).to.equal(true);
    // The new address writes for the patient; the lost wallet cannot.
    expect(await careRegistry.actingFor(newWallet.address)).to.equal(patient);
    await recordRegistry.connect(newWallet).addRecord(patient, CONDITIONS, cidOf("new"), bytes32Of("new"), EPOCH);
    await expect(
      recordRegistry.connect(accounts.patient).addRecord(patient, CONDITIONS, cidOf("thief"), bytes32Of("t"), EPOCH),
    ).to.be.revertedWithCustomError(careRegistry, "RegistryAccountMoved");

    // The grantee: its grant still holds, and the keys it received still open the record.
    expect(
      await consentManager.hasConsent(patient, accounts.provider.address, CONDITIONS, Purpose.Treatment, ACCESS_READ),
    ).to.equal(true);
    const keyring = await openKeyEnvelopes(story.grantEnvelopes, story.providerKey, story.grantBinding);
    expect(
      equalBytes((await openRecord(blob, keyring.get(CONDITIONS, EPOCH)!, story.recordBinding)).bytes, content),
    ).to.equal(true);
  });

  it("one guardian's share alone does not rebuild the key, and shares from another patient are refused", async function () {
    const story = await networkHelpers.loadFixture(storyFixture);
    const { careRegistry, accounts, newWallet } = story;
    const newDevice = generateKeyPair();
    await guardianReleases(story, 1, newDevice.publicKey);
    const [event] = await careRegistry.queryFilter(careRegistry.filters.RecoveryApproved(accounts.patient.address));
    const one = await openGuardianShare(fromHex(event!.args.releasedShare), newDevice, {
      ...story.recoveryBinding,
      holder: accounts.patient.address,
    });
    const [registeredKey] = await careRegistry.encryptionKey(accounts.patient.address);
    try {
      await recoverFromShares([one], { publicKey: registeredKey as `0x${string}`, keyVersion: 1 });
      expect.fail("one share rebuilt the key");
    } catch (error) {
      expect(error).to.be.instanceOf(RecoveryError);
    }
    // Nothing moved with one approval.
    await expect(careRegistry.completeRecovery(accounts.patient.address)).to.be.revertedWithCustomError(
      careRegistry,
      "RegistryNoRecoveryScheduled",
    );
    expect(await careRegistry.controllerOf(accounts.patient.address)).to.equal(accounts.patient.address);
    expect(newWallet.address).to.not.equal(accounts.patient.address);
  });

  it("the old address cancelling within the delay stops the move", async function () {
    const story = await networkHelpers.loadFixture(storyFixture);
    const { careRegistry, accounts, newWallet } = story;
    const newDevice = generateKeyPair();
    await guardianReleases(story, 0, newDevice.publicKey);
    await guardianReleases(story, 1, newDevice.publicKey);
    await time.increase(DELAY / 2);
    await careRegistry.connect(accounts.patient).cancelRecovery();
    await time.increase(DELAY);
    await expect(careRegistry.connect(newWallet).completeRecovery(accounts.patient.address))
      .to.be.revertedWithCustomError(careRegistry, "RegistryNoRecoveryScheduled")
      .withArgs(accounts.patient.address);
    expect(await careRegistry.actingFor(newWallet.address)).to.equal(newWallet.address);
  });
});
