/**
 * Exports of on-chain objects as FHIR: a consent grant → Consent (one to one), a claim → Claim.
 * Wallets are identified by did:pkh URIs (CAIP-10), so the resources stand alone off chain.
 */
import type { Claim, Consent, Money } from "@medplum/fhirtypes";
import {
  CATEGORIES,
  categoriesInScope,
  ACCESS_READ,
  ACCESS_WRITE,
  PURPOSE_ACT_REASON,
  type Purpose,
} from "../protocol/constants.js";
import { SYSTEM, walletIdentifier } from "./codes.js";

const isoSeconds = (seconds: bigint | number) =>
  new Date(Number(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
/** uint64 max or 0 mean "no expiry" on chain. */
const NO_EXPIRY = 2n ** 64n - 1n;

export interface ConsentGrantRecord {
  grantId: bigint | number;
  patient: `0x${string}`;
  grantee: `0x${string}`;
  scope: number;
  purpose: number;
  access: number;
  notBefore: bigint | number;
  expiresAt: bigint | number;
  revoked?: boolean;
  /** When the grant was made (consentOf.grantedAt): the consent's date, and its start when notBefore is 0. */
  grantedAt?: bigint | number;
  /** consentOf.revokedAt: for a revoked grant, when its access ended. */
  revokedAt?: bigint | number;
}

export function consentGrantToFhirConsent(
  grant: ConsentGrantRecord,
  deployment: { chainId: number; consentManager: `0x${string}` },
  now: Date = new Date(),
): Consent {
  const expiresAt = BigInt(grant.expiresAt);
  const expired = expiresAt !== 0n && expiresAt !== NO_EXPIRY && Number(expiresAt) * 1000 <= now.getTime();
  const actions = [
    ...(grant.access & ACCESS_READ ? [{ code: "access", display: "Access" }] : []),
    ...(grant.access & ACCESS_WRITE ? [{ code: "collect", display: "Collect" }] : []),
  ];
  const reason = PURPOSE_ACT_REASON[grant.purpose as Purpose];
  if (!reason) throw new RangeError(`purpose ${grant.purpose} is not a CareLedger Purpose`);
  // The grant applies from notBefore, or from when it was made when notBefore is 0 (not from 1970).
  const grantedAt = BigInt(grant.grantedAt ?? 0);
  const start = BigInt(grant.notBefore) > grantedAt ? BigInt(grant.notBefore) : grantedAt;
  const revokedAt = grant.revoked ? BigInt(grant.revokedAt ?? 0) : 0n;
  // A revocation ends the permit there, and is stated as a deny from then on.
  const end =
    revokedAt !== 0n && (expiresAt === 0n || expiresAt === NO_EXPIRY || revokedAt < expiresAt)
      ? revokedAt
      : expiresAt !== 0n && expiresAt !== NO_EXPIRY
        ? expiresAt
        : undefined;
  return {
    resourceType: "Consent",
    identifier: [
      {
        system: SYSTEM.URI,
        value: `urn:careledger:eip155:${deployment.chainId}:${deployment.consentManager}:grant:${grant.grantId}`,
      },
    ],
    status: grant.revoked || expired ? "inactive" : "active",
    ...(grantedAt !== 0n ? { dateTime: isoSeconds(grantedAt) } : {}),
    scope: { coding: [{ system: SYSTEM.CONSENT_SCOPE, code: "patient-privacy", display: "Privacy Consent" }] },
    category: [{ coding: [{ system: SYSTEM.LOINC, code: "59284-0", display: "Patient Consent" }] }],
    patient: { identifier: walletIdentifier(grant.patient, deployment.chainId) },
    performer: [{ identifier: walletIdentifier(grant.patient, deployment.chainId) }],
    policyRule: { coding: [{ system: SYSTEM.ACT_CODE, code: "OPTIN", display: "opt-in" }] },
    provision: {
      type: "permit",
      period: {
        ...(start !== 0n ? { start: isoSeconds(start) } : {}),
        ...(end !== undefined ? { end: isoSeconds(end) } : {}),
      },
      actor: [
        {
          role: { coding: [{ system: SYSTEM.PARTICIPATION_TYPE, code: "IRCP", display: "information recipient" }] },
          reference: { identifier: walletIdentifier(grant.grantee, deployment.chainId) },
        },
      ],
      ...(actions.length
        ? { action: actions.map((a) => ({ coding: [{ system: SYSTEM.CONSENT_ACTION, ...a }] })) }
        : {}),
      purpose: [{ system: SYSTEM.ACT_REASON, code: reason.code, display: reason.display }],
      class: categoriesInScope(grant.scope).flatMap((c) =>
        CATEGORIES[c]!.resourceTypes.map((t) => ({ system: SYSTEM.RESOURCE_TYPES, code: t })),
      ),
      ...(revokedAt !== 0n
        ? {
            provision: [
              {
                type: "deny" as const,
                period: { start: isoSeconds(revokedAt) },
                actor: [
                  {
                    role: {
                      coding: [{ system: SYSTEM.PARTICIPATION_TYPE, code: "IRCP", display: "information recipient" }],
                    },
                    reference: { identifier: walletIdentifier(grant.grantee, deployment.chainId) },
                  },
                ],
              },
            ],
          }
        : {}),
    },
  };
}

/** A token amount (integer in the stablecoin's smallest unit) as FHIR Money. */
export function tokenAmountToMoney(amount: bigint, decimals: number, currency: Money["currency"] = "USD"): Money {
  const scale = 10n ** BigInt(decimals);
  const whole = amount / scale;
  const fraction = (amount % scale).toString().padStart(decimals, "0").replace(/0+$/, "");
  return { value: Number(fraction ? `${whole}.${fraction}` : `${whole}`), currency };
}

export interface ClaimRecord {
  claimId: bigint | number;
  patient: `0x${string}`;
  provider: `0x${string}`;
  insurer: `0x${string}`;
  /** On-chain coverage id. */
  coverageId: bigint | number;
  use?: "claim" | "preauthorization";
  created: Date;
  /** ICD-10-CM diagnoses (kept in the encrypted FHIR claim, never on chain). */
  diagnoses: { code: string; display: string }[];
  /** Services (CPT) with their amounts in token units. */
  items: { code: string; display: string; amount: bigint; servicedDate?: string }[];
  /** Record ids of the evidence (RecordRegistry). */
  evidenceRecordIds?: (bigint | number)[];
  tokenDecimals: number;
  currency?: Money["currency"];
}

export function claimToFhirClaim(
  claim: ClaimRecord,
  deployment: { chainId: number; claimsSettlement: `0x${string}` },
): Claim {
  const id = (who: `0x${string}`) => ({ identifier: walletIdentifier(who, deployment.chainId) });
  const total = claim.items.reduce((sum, item) => sum + item.amount, 0n);
  return {
    resourceType: "Claim",
    identifier: [
      {
        system: SYSTEM.URI,
        value: `urn:careledger:eip155:${deployment.chainId}:${deployment.claimsSettlement}:claim:${claim.claimId}`,
      },
    ],
    status: "active",
    type: { coding: [{ system: SYSTEM.CLAIM_TYPE, code: "professional", display: "Professional" }] },
    use: claim.use ?? "claim",
    patient: id(claim.patient),
    created: claim.created.toISOString().replace(/\.\d{3}Z$/, "Z"),
    insurer: id(claim.insurer),
    provider: id(claim.provider),
    priority: { coding: [{ system: SYSTEM.PROCESS_PRIORITY, code: "normal", display: "Normal" }] },
    ...(claim.evidenceRecordIds?.length
      ? {
          supportingInfo: claim.evidenceRecordIds.map((recordId, i) => ({
            sequence: i + 1,
            category: { coding: [{ system: SYSTEM.CLAIM_INFO_CATEGORY, code: "attachment", display: "Attachment" }] },
            valueReference: {
              identifier: {
                system: SYSTEM.URI,
                value: `urn:careledger:eip155:${deployment.chainId}:record:${recordId}`,
              },
            },
          })),
        }
      : {}),
    ...(claim.diagnoses.length
      ? {
          diagnosis: claim.diagnoses.map((d, i) => ({
            sequence: i + 1,
            diagnosisCodeableConcept: { coding: [{ system: SYSTEM.ICD10CM, code: d.code, display: d.display }] },
          })),
        }
      : {}),
    insurance: [
      {
        sequence: 1,
        focal: true,
        coverage: {
          identifier: {
            system: SYSTEM.URI,
            value: `urn:careledger:eip155:${deployment.chainId}:coverage:${claim.coverageId}`,
          },
        },
      },
    ],
    item: claim.items.map((item, i) => ({
      sequence: i + 1,
      ...(claim.diagnoses.length ? { diagnosisSequence: claim.diagnoses.map((_, j) => j + 1) } : {}),
      productOrService: { coding: [{ system: SYSTEM.CPT, code: item.code, display: item.display }] },
      ...(item.servicedDate ? { servicedDate: item.servicedDate } : {}),
      net: tokenAmountToMoney(item.amount, claim.tokenDecimals, claim.currency),
    })),
    total: tokenAmountToMoney(total, claim.tokenDecimals, claim.currency),
  };
}
