import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LogRangeError } from "../src/errors.js";
import { DEFAULT_LOG_RANGE, isRangeError, parseLogRange, readLogsBounded, type LogProgress } from "../src/logs.js";

type FakeLog = { blockNumber: bigint; logIndex: number };

/**
 * A fake RPC: `logsPerBlock` logs in every block, refusing with a provider-style error any
 * request wider than `cap` blocks; records every request it was asked.
 */
function fakeClient(cap: bigint, logsPerBlock = 2, error = () => new Error("eth_getLogs block range is too large")) {
  const requests: { fromBlock: bigint; toBlock: bigint }[] = [];
  const fetchWindow = async (w: { fromBlock: bigint; toBlock: bigint }) => {
    requests.push(w);
    if (w.toBlock - w.fromBlock + 1n > cap) throw error();
    const logs: FakeLog[] = [];
    for (let b = w.fromBlock; b <= w.toBlock; b++)
      for (let i = 0; i < logsPerBlock; i++) logs.push({ blockNumber: b, logIndex: i });
    return logs;
  };
  return { requests, fetchWindow };
}

/** Asserts the successful windows cover fromBlock..toBlock, each block exactly once, consecutively. */
function assertCoversOnce(windows: { fromBlock: bigint; toBlock: bigint }[], fromBlock: bigint, toBlock: bigint) {
  const seen = new Map<bigint, number>();
  for (const w of windows) for (let b = w.fromBlock; b <= w.toBlock; b++) seen.set(b, (seen.get(b) ?? 0) + 1);
  for (let b = fromBlock; b <= toBlock; b++) assert.equal(seen.get(b), 1, `block ${b} read ${seen.get(b) ?? 0} times`);
  assert.equal(seen.size, Number(toBlock - fromBlock + 1n));
  for (let i = 1; i < windows.length; i++) assert.equal(windows[i].fromBlock, windows[i - 1].toBlock + 1n);
}

const inOrder = (logs: FakeLog[]) =>
  logs.every(
    (l, i) =>
      i === 0 ||
      l.blockNumber > logs[i - 1].blockNumber ||
      (l.blockNumber === logs[i - 1].blockNumber && l.logIndex > logs[i - 1].logIndex),
  );

describe("bounded getLogs reader", () => {
  it("never asks for more than the configured range and covers every block exactly once, in order", async () => {
    const client = fakeClient(10_000n, 1);
    const progress: LogProgress[] = [];
    const logs = await readLogsBounded({
      fromBlock: 1_234n,
      toBlock: 9_876n,
      maxRange: 500n,
      fetchWindow: client.fetchWindow,
      onProgress: (p) => progress.push(p),
    });
    for (const r of client.requests) assert.ok(r.toBlock - r.fromBlock + 1n <= 500n, `${r.fromBlock}–${r.toBlock}`);
    assert.equal(client.requests.length, Math.ceil((9_876 - 1_234 + 1) / 500));
    assertCoversOnce(client.requests, 1_234n, 9_876n);
    assert.equal(logs.length, 9_876 - 1_234 + 1);
    assert.ok(inOrder(logs));
    assert.equal(logs[0].blockNumber, 1_234n);
    assert.equal(logs.at(-1)!.blockNumber, 9_876n);
    assert.deepEqual(progress[0], { scanned: 0n, total: 8_643n });
    assert.deepEqual(progress.at(-1), { scanned: 8_643n, total: 8_643n });
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i].scanned > progress[i - 1].scanned);
  });

  it("uses 2,000-block windows by default", async () => {
    const client = fakeClient(DEFAULT_LOG_RANGE, 0);
    await readLogsBounded({ fromBlock: 0n, toBlock: 4_500n, fetchWindow: client.fetchWindow });
    assert.deepEqual(
      client.requests.map((r) => [r.fromBlock, r.toBlock]),
      [
        [0n, 1_999n],
        [2_000n, 3_999n],
        [4_000n, 4_500n],
      ],
    );
  });

  it("shrinks the window when the RPC answers range too large, and keeps every block exactly once", async () => {
    const client = fakeClient(300n, 2);
    const logs = await readLogsBounded({
      fromBlock: 100n,
      toBlock: 5_099n,
      maxRange: 2_000n,
      fetchWindow: client.fetchWindow,
    });
    const refused = client.requests.filter((r) => r.toBlock - r.fromBlock + 1n > 300n);
    assert.deepEqual(
      refused.map((r) => r.toBlock - r.fromBlock + 1n),
      [2_000n, 1_000n, 500n],
    );
    const served = client.requests.filter((r) => r.toBlock - r.fromBlock + 1n <= 300n);
    for (const r of served) assert.ok(r.toBlock - r.fromBlock + 1n <= 250n);
    assertCoversOnce(served, 100n, 5_099n);
    assert.equal(logs.length, 5_000 * 2);
    assert.ok(inOrder(logs));
  });

  it("recognises provider errors for too many results, in viem's cause chain", async () => {
    const viemStyle = () =>
      Object.assign(new Error("An internal error was received."), {
        cause: { details: "query returned more than 10000 results", code: -32000 },
      });
    const client = fakeClient(64n, 1, viemStyle);
    const logs = await readLogsBounded({
      fromBlock: 0n,
      toBlock: 199n,
      maxRange: 100n,
      fetchWindow: client.fetchWindow,
    });
    assert.equal(logs.length, 200);
    assert.ok(isRangeError({ code: -32005, message: "limit exceeded" }));
    assert.ok(!isRangeError(new Error("execution reverted")));
    assert.ok(!isRangeError(new Error("fetch failed")));
  });

  it("throws other errors as they are, and LogRangeError when even one block is refused", async () => {
    const boom = new Error("fetch failed");
    await assert.rejects(
      readLogsBounded({
        fromBlock: 0n,
        toBlock: 10n,
        fetchWindow: async () => {
          throw boom;
        },
      }),
      (e) => e === boom,
    );
    const client = fakeClient(0n);
    await assert.rejects(
      readLogsBounded({ fromBlock: 7n, toBlock: 20n, maxRange: 4n, fetchWindow: client.fetchWindow }),
      (e) => e instanceof LogRangeError && e.fromBlock === 7n && e.toBlock === 7n,
    );
    assert.deepEqual(
      client.requests.map((r) => r.toBlock - r.fromBlock + 1n),
      [4n, 2n, 1n],
    );
  });

  it("reads nothing when the range is empty, and parses the configured range", async () => {
    const client = fakeClient(10n);
    const progress: LogProgress[] = [];
    assert.deepEqual(
      await readLogsBounded({
        fromBlock: 5n,
        toBlock: 4n,
        fetchWindow: client.fetchWindow,
        onProgress: (p) => progress.push(p),
      }),
      [],
    );
    assert.equal(client.requests.length, 0);
    assert.deepEqual(progress, [{ scanned: 0n, total: 0n }]);
    assert.equal(parseLogRange(undefined), DEFAULT_LOG_RANGE);
    assert.equal(parseLogRange("500"), 500n);
    assert.equal(parseLogRange("0"), DEFAULT_LOG_RANGE);
    assert.equal(parseLogRange("ten"), DEFAULT_LOG_RANGE);
  });
});
