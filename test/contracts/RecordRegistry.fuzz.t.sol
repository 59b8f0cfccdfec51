// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CoreFixture} from "./helpers/CoreFixture.sol";
import {IRecordRegistry} from "../../contracts/interfaces/IRecordRegistry.sol";
import {ACCESS_READ, ACCESS_WRITE, CATEGORY_COUNT, Purpose} from "../../contracts/libraries/CareTypes.sol";

contract RecordRegistryFuzzTest is CoreFixture {
    function setUp() public override {
        super.setUp();
        uint8[] memory categories = new uint8[](CATEGORY_COUNT);
        bytes32[] memory keys = new bytes32[](CATEGORY_COUNT);
        for (uint8 c = 0; c < CATEGORY_COUNT; ++c) {
            categories[c] = c;
            keys[c] = keccak256(abi.encode("key", c));
        }
        vm.prank(patient);
        records.publishCategoryKeys(categories, keys);
    }

    /// A record id encodes its subject, and only existing records resolve.
    function testFuzz_recordId_encodesSubject(uint8 category, uint8 count, uint256 index) public {
        category = uint8(bound(category, 0, CATEGORY_COUNT - 1));
        count = uint8(bound(count, 1, 5));
        for (uint256 i = 0; i < count; ++i) {
            vm.prank(patient);
            records.addRecord(patient, category, hex"0155", keccak256(abi.encode(i)), 1);
        }
        index = bound(index, 0, 10);
        uint256 id = records.computeRecordId(patient, category, index);
        if (index < count) {
            (address subject, uint8 subjectCategory) = records.recordSubject(id);
            vm.assertEq(subject, patient, "patient");
            vm.assertEq(uint256(subjectCategory), uint256(category), "category");
            vm.assertEq(records.record(id).commitment, keccak256(abi.encode(index)), "commitment");
        } else {
            vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordNotFound.selector, id));
            records.recordSubject(id);
        }
    }

    /// A provider writes exactly when it holds live Treatment write consent for the category.
    function testFuzz_addRecord_needsLiveWriteConsent(
        uint16 scope,
        uint8 access,
        uint8 purposeIndex,
        uint8 category,
        uint32 elapsed
    ) public {
        scope = uint16(bound(scope, 1, (1 << CATEGORY_COUNT) - 1));
        access = uint8(bound(access, ACCESS_READ, ACCESS_READ | ACCESS_WRITE));
        Purpose purpose = Purpose(bound(purposeIndex, 0, 3));
        category = uint8(bound(category, 0, CATEGORY_COUNT - 1));
        uint64 expiresAt = uint64(block.timestamp + 1 days);
        vm.prank(patient);
        consents.grantConsent(_terms(provider, scope, purpose, access, 0, expiresAt), "");
        vm.warp(block.timestamp + bound(elapsed, 0, 2 days));

        bool allowed =
            purpose == Purpose.Treatment &&
                access & ACCESS_WRITE != 0 &&
                (scope >> category) & 1 == 1 &&
                block.timestamp < expiresAt;
        if (!allowed) {
            vm.expectRevert(
                abi.encodeWithSelector(IRecordRegistry.RecordWriteNotConsented.selector, patient, provider, category)
            );
        }
        vm.prank(provider);
        records.addRecord(patient, category, hex"0155", bytes32(uint256(1)), 1);
        vm.assertEq(records.recordCount(patient, category), allowed ? 1 : 0, "count");
    }

    /// Every record of a batch reads back its own commitment and the batch's author, epoch and time,
    /// whatever the mix of categories.
    function testFuzz_addRecords_everyRecordReadsBack(uint256 categorySeed, uint8 size) public {
        size = uint8(bound(size, 1, records.MAX_BATCH()));
        IRecordRegistry.RecordInput[] memory batch = new IRecordRegistry.RecordInput[](size);
        for (uint256 i = 0; i < size; ++i) {
            batch[i] = IRecordRegistry.RecordInput({
                category: uint8(uint256(keccak256(abi.encode(categorySeed, i))) % CATEGORY_COUNT),
                keyEpoch: 1,
                commitment: keccak256(abi.encode("commitment", i)),
                cid: hex"01551220"
            });
        }
        vm.warp(block.timestamp + 123);
        vm.prank(patient);
        uint256[] memory ids = records.addRecords(patient, batch);
        for (uint256 i = 0; i < size; ++i) {
            IRecordRegistry.Record memory r = records.record(ids[i]);
            vm.assertEq(r.commitment, batch[i].commitment, "commitment");
            vm.assertEq(uint256(r.category), uint256(batch[i].category), "category");
            vm.assertEq(r.author, patient, "author");
            vm.assertEq(uint256(r.keyEpoch), 1, "epoch");
            vm.assertEq(uint256(r.createdAt), block.timestamp, "time");
        }
    }

    /// Amending n times builds a chain walkable from either end.
    function testFuzz_amendRecord_buildsAChain(uint8 versions) public {
        versions = uint8(bound(versions, 1, 8));
        vm.startPrank(patient);
        uint256 id = records.addRecord(patient, 2, hex"01", bytes32(uint256(1)), 1);
        uint256 first = id;
        for (uint256 i = 0; i < versions; ++i) {
            id = records.amendRecord(id, hex"01", bytes32(uint256(i + 2)), 1);
        }
        vm.stopPrank();
        uint256 cursor = first;
        uint256 steps;
        while (records.record(cursor).supersededBy != 0) {
            cursor = records.record(cursor).supersededBy;
            ++steps;
        }
        vm.assertEq(cursor, id, "forwards ends at the latest");
        vm.assertEq(steps, versions, "forward steps");
        while (records.record(cursor).supersedes != 0) cursor = records.record(cursor).supersedes;
        vm.assertEq(cursor, first, "backwards ends at the first");
    }
}
