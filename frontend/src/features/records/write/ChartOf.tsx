import type { Address as AddressType } from "viem";
import { PatientName } from "@/features/records/read/PatientName";

/** Says, inside every write form, whose chart the form writes to. */
export function ChartOf({ patient }: { patient: AddressType }) {
  return (
    <p className="chart-of" data-testid="form-patient" data-patient={patient}>
      Writes to the chart of patient <PatientName patient={patient} />
    </p>
  );
}
