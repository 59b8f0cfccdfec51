export const COVERAGE_STATUS_LABEL = ["None", "Offered, awaiting the patient", "Accepted"] as const;
