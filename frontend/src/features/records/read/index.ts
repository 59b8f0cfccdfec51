/** Shared record reading: decrypt in the browser with the keys the connected wallet holds. */
export { RecordTimeline } from "./RecordTimeline";
export { UnlockKey } from "./UnlockKey";
export { ReadPatientRecords } from "./ReadPatientRecords";
export { FhirView, resourceTitle } from "./FhirView";
export { DocumentPreview } from "./DocumentPreview";
export { useRecordPointers, cidFromChain, type RecordPointer } from "./pointers";
export { useReaderKeys, useCategoryEpochs, type ReaderKeys } from "./keys";
export { openPointer, type OpenedRecordView } from "./decrypt";
