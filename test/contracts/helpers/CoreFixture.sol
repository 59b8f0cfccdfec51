// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "../../utils/Test.sol";
import {CareRegistry} from "../../../contracts/registry/CareRegistry.sol";
import {ConsentManager} from "../../../contracts/consent/ConsentManager.sol";
import {RecordRegistry} from "../../../contracts/records/RecordRegistry.sol";
import {IConsentManager} from "../../../contracts/interfaces/IConsentManager.sol";
import {PROVIDER_ROLE, Purpose} from "../../../contracts/libraries/CareTypes.sol";

/// @notice Deploys the core like `ignition/modules/CareLedgerCore.ts` (this test contract is the
/// admin) and signs EIP-712 messages the way the SDK does.
abstract contract CoreFixture is Test {
    bytes32 internal constant EIP712_DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );

    CareRegistry internal registry;
    ConsentManager internal consents;
    RecordRegistry internal records;

    /// @dev When the fixture's signed grants say they were issued: the time `setUp` warps to.
    uint64 internal constant ISSUED_AT = 1_700_000_000;
    uint256 internal constant PATIENT_KEY = 0xA11CE;
    uint256 internal constant PATIENT2_KEY = 0xB0B;
    address internal patient;
    address internal patient2;
    address internal provider = makeAddr("provider");
    address internal provider2 = makeAddr("provider2");
    address internal guardian = makeAddr("guardian");
    address internal stranger = makeAddr("stranger");

    function setUp() public virtual {
        vm.warp(1_700_000_000);
        registry = new CareRegistry(address(this));
        consents = new ConsentManager(registry);
        records = RecordRegistry(address(consents.recordRegistry()));
        patient = vm.addr(PATIENT_KEY);
        patient2 = vm.addr(PATIENT2_KEY);
        vm.prank(patient);
        registry.registerPatient(keccak256("patient key"));
        vm.prank(patient2);
        registry.registerPatient(keccak256("patient2 key"));
        registry.grantCredential(PROVIDER_ROLE, provider);
        registry.grantCredential(PROVIDER_ROLE, provider2);
    }

    function _terms(
        address grantee,
        uint16 scope,
        Purpose purpose,
        uint8 access,
        uint64 notBefore,
        uint64 expiresAt
    ) internal pure returns (IConsentManager.ConsentTerms memory) {
        return
            IConsentManager.ConsentTerms({
                grantee: grantee,
                scope: scope,
                purpose: purpose,
                access: access,
                notBefore: notBefore,
                expiresAt: expiresAt
            });
    }

    function _domainSeparator(uint256 chainId, address verifyingContract) internal pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    EIP712_DOMAIN_TYPEHASH,
                    keccak256("CareLedger ConsentManager"),
                    keccak256("1"),
                    chainId,
                    verifyingContract
                )
            );
    }

    function _grantDigest(
        bytes32 domainSeparator,
        address patient_,
        IConsentManager.ConsentTerms memory t,
        bytes memory envelopes,
        uint64 issuedAt,
        uint256 nonce,
        uint256 deadline
    ) internal view returns (bytes32) {
        bytes32 structHash = keccak256(
            abi.encode(
                consents.CONSENT_GRANT_TYPEHASH(),
                patient_,
                t.grantee,
                t.scope,
                uint8(t.purpose),
                t.access,
                t.notBefore,
                t.expiresAt,
                keccak256(envelopes),
                issuedAt,
                nonce,
                deadline
            )
        );
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
    }

    function _revocationDigest(
        bytes32 domainSeparator,
        address patient_,
        address grantee,
        Purpose purpose,
        uint256 nonce,
        uint256 deadline
    ) internal view returns (bytes32) {
        bytes32 structHash = keccak256(
            abi.encode(consents.CONSENT_REVOCATION_TYPEHASH(), patient_, grantee, uint8(purpose), nonce, deadline)
        );
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
    }

    /// @dev Signs `digest` and returns the 65-byte r ‖ s ‖ v signature the contract checks.
    function _sign(uint256 privateKey, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(privateKey, digest);
        return abi.encodePacked(r, s, v);
    }
}
