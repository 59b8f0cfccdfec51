/**
 * Plan service classes (0..15): coarse, never a diagnosis or procedure code. Their meaning lives in
 * the plan's documents; these are the names the dApp shows.
 */
export const SERVICE_CLASSES: readonly string[] = [
  "Outpatient visit",
  "Inpatient stay",
  "Imaging",
  "Surgery",
  "Laboratory",
  "Pharmacy",
  "Emergency",
  "Maternity",
  "Mental health",
  "Rehabilitation",
  "Dental",
  "Vision",
  "Preventive care",
  "Home care",
  "Ambulance",
  "Other",
];

export const serviceClassName = (n: number | bigint) => SERVICE_CLASSES[Number(n)] ?? `Class ${String(n)}`;
