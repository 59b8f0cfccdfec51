import { useMoney } from "@/hooks/useMoney";
const SEGMENTS = [
  { key: "paid", label: "Paid to providers", color: "#0a454a" },
  { key: "reserved", label: "Reserved for approved claims", color: "#b7791f" },
  { key: "free", label: "Free to pay new claims", color: "#3c9d8f" },
] as const;

/** Paid, reserved and free funds as one stacked bar (inline SVG, no chart library). */
export function PoolChart({ paid, reserved, free }: { paid: bigint; reserved: bigint; free: bigint }) {
  const { money } = useMoney();
  const values = { paid, reserved, free };
  const total = paid + reserved + free;
  const width = 600;
  let x = 0;
  const summary = SEGMENTS.map((s) => `${s.label}: ${money(values[s.key])}`).join("; ");
  return (
    <figure>
      <svg className="pool-chart" viewBox={`0 0 ${width} 48`} role="img" aria-label={`Pool funds. ${summary}`}>
        <title>{`Pool funds. ${summary}`}</title>
        <rect x={0} y={4} width={width} height={40} rx={6} fill="#e9eef0" />
        {total > 0n
          ? SEGMENTS.map((s) => {
              const w = Number((values[s.key] * BigInt(width * 1000)) / total) / 1000;
              const rect = <rect key={s.key} x={x} y={4} width={w} height={40} fill={s.color} data-segment={s.key} />;
              x += w;
              return rect;
            })
          : null}
      </svg>
      <figcaption>
        <ul className="chart-legend">
          {SEGMENTS.map((s) => (
            <li key={s.key}>
              <span style={{ background: s.color }} aria-hidden="true" />
              {s.label}: <strong>{money(values[s.key])}</strong>
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
