"use client";

import { useState, type FormEvent } from "react";
import { useBlock, useChainId } from "wagmi";
import { Field } from "@/components/Field";
import { TransactionStatus } from "@/components/TransactionStatus";
import { getContract } from "@/contracts/deployments";
import { useCareRead } from "@/hooks/useCareRead";
import { useCareWrite } from "@/hooks/useCareWrite";
import { useMoney } from "@/hooks/useMoney";
import { formatMoment, TOKEN_DECIMALS } from "@/lib/money";
import { checkAmount } from "@/lib/validation";
import { PoolChart } from "./PoolChart";
import type { InsurerBook } from "./useInsurerBook";

/** The pool dashboard: balance, reserved and free funds with a chart; faucet (local chain), fund, withdraw. */
export function InsurerPool({ book }: { book: InsurerBook }) {
  const { money, symbol } = useMoney();
  const chainId = useChainId();
  const settlement = getContract("ClaimsSettlement", chainId);
  const self = book.self;
  const pool = useCareRead({
    contractName: "ClaimsSettlement",
    functionName: "getPool",
    args: self ? [self] : undefined,
  });
  const wallet = useCareRead({
    contractName: "Stablecoin",
    functionName: "balanceOf",
    args: self ? [self] : undefined,
  });
  const local = chainId === 31337;
  const faucetAmount = useCareRead({
    contractName: "Stablecoin",
    functionName: "FAUCET_AMOUNT",
    args: [],
    enabled: local,
  });
  const faucetAt = useCareRead({
    contractName: "Stablecoin",
    functionName: "nextFaucetAt",
    args: self ? [self] : undefined,
    enabled: local,
  });
  const block = useBlock({ chainId, watch: local, query: { enabled: local } });
  const allowance = useCareRead({
    contractName: "Stablecoin",
    functionName: "allowance",
    args: self && settlement ? [self, settlement.address] : undefined,
  });
  const token = useCareWrite("Stablecoin");
  const fund = useCareWrite("ClaimsSettlement");
  const out = useCareWrite("ClaimsSettlement");
  const [amount, setAmount] = useState("");
  const [withdrawAmount, setWithdrawAmount] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});

  const p = pool.data as { balance: bigint; reserved: bigint } | undefined;
  const balance = p?.balance ?? 0n;
  const reserved = p?.reserved ?? 0n;
  const free = balance - reserved;
  const held = (wallet.data as bigint | undefined) ?? 0n;
  const nextDraw = faucetAt.data as bigint | undefined;
  const faucetReady = nextDraw !== undefined && block.data !== undefined && nextDraw <= block.data.timestamp;
  /** Where more tokens come from: the local faucet (now, or when its daily cooldown ends) or a transfer. */
  const whereToGetMore = !local
    ? `Transfer more ${symbol} to this account first.`
    : faucetReady
      ? `Get ${money(faucetAmount.data as bigint | undefined)} from the local faucet above.`
      : nextDraw !== undefined
        ? `The local faucet gives more at ${formatMoment(nextDraw)} (once a day per account).`
        : "";

  async function fundPool(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const checked = checkAmount(amount, TOKEN_DECIMALS);
    const tooMuch = checked.ok && checked.value > held;
    setErrors({
      fund: !checked.ok
        ? checked.error
        : tooMuch
          ? `Your wallet holds ${money(held)}, less than ${money(checked.value)}. Add at most ${money(held)}. ${whereToGetMore}`.trim()
          : "",
    });
    if (!checked.ok || tooMuch || !settlement) return;
    if (((allowance.data as bigint | undefined) ?? 0n) < checked.value) {
      const approved = await token.write({ functionName: "approve", args: [settlement.address, checked.value] });
      if (!approved) return;
    }
    const receipt = await fund.write({ functionName: "fundPool", args: [checked.value] });
    if (receipt) setAmount("");
  }

  async function withdrawPool(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const checked = checkAmount(withdrawAmount, TOKEN_DECIMALS, { max: free });
    setErrors({ withdraw: checked.ok ? "" : checked.error });
    if (!checked.ok || !self) return;
    const receipt = await out.write({ functionName: "withdrawPool", args: [checked.value, self] });
    if (receipt) setWithdrawAmount("");
  }

  return (
    <section className="card" aria-labelledby="pool-title">
      <h2 id="pool-title">Claims pool</h2>
      <dl className="stat-grid">
        <div>
          <dt>Pool balance</dt>
          <dd data-testid="pool-balance">{money(p?.balance)}</dd>
        </div>
        <div>
          <dt>Reserved</dt>
          <dd data-testid="pool-reserved">{money(p?.reserved)}</dd>
        </div>
        <div>
          <dt>Free</dt>
          <dd data-testid="pool-free">{p ? money(free) : "—"}</dd>
        </div>
        <div>
          <dt>Paid to providers</dt>
          <dd data-testid="pool-paid">{money(book.paidOut)}</dd>
        </div>
        <div>
          <dt>In your wallet</dt>
          <dd data-testid="wallet-balance">{money(wallet.data as bigint | undefined)}</dd>
        </div>
      </dl>
      <PoolChart paid={book.paidOut} reserved={reserved} free={free} />

      {local ? (
        <div className="button-row">
          <button
            type="button"
            className="button button--quiet"
            disabled={token.busy || !faucetReady}
            onClick={() => token.write({ functionName: "faucet", args: [] })}
          >
            Get {money(faucetAmount.data as bigint | undefined)} test tokens (local faucet)
          </button>
          {!faucetReady && nextDraw !== undefined ? (
            <p className="field-hint" data-testid="faucet-next">
              This account drew from the faucet today; it gives more at {formatMoment(nextDraw)}.
            </p>
          ) : null}
        </div>
      ) : null}
      <TransactionStatus state={token.state} label="Stablecoin" />

      <form onSubmit={fundPool} noValidate aria-label="Fund the pool" className="inline-form">
        <Field
          label={`Amount to add (${symbol})`}
          hint={`Your wallet holds ${money(wallet.data as bigint | undefined)}: up to that can go into the pool.`}
          error={errors.fund || undefined}
        >
          <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} autoComplete="off" />
        </Field>
        <button type="submit" className="button" disabled={fund.busy || token.busy}>
          Fund pool
        </button>
      </form>
      <TransactionStatus state={fund.state} label="Funding" />

      <form onSubmit={withdrawPool} noValidate aria-label="Withdraw from the pool" className="inline-form">
        <Field
          label={`Amount to withdraw (${symbol})`}
          hint="Only free funds can be withdrawn."
          error={errors.withdraw || undefined}
        >
          <input
            inputMode="decimal"
            value={withdrawAmount}
            onChange={(e) => setWithdrawAmount(e.target.value)}
            autoComplete="off"
          />
        </Field>
        <button type="submit" className="button button--quiet" disabled={out.busy}>
          Withdraw
        </button>
      </form>
      <TransactionStatus state={out.state} label="Pool withdrawal" />
    </section>
  );
}
