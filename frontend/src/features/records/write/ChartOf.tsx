import type { Address as AddressType } from "viem";
import { Address } from "@/components/Address";

/** Says, inside every write form, whose chart the form writes to. */
export function ChartOf({ patient }: { patient: AddressType }) {
  return (
    <p className="chart-of" data-testid="form-patient" data-patient={patient}>
      Writes to the chart of patient <Address address={patient} />
    </p>
  );
}
