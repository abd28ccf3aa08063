/**
 * A local NSX ATA (Lastline) Analyst API + Portal API for tests, demos and benchmarks.
 * Wire contract: /work/shared/reference/ata-api.md §2–§8 and §15.
 */
export {
	DEFAULT_ANALYST,
	DEFAULT_COMPLETE_AFTER_MS,
	DEFAULT_PORTAL,
	startAtaSimulator,
	type AtaSimulator,
} from './server';
export { FAULT_KINDS } from './faults';
export { FIXTURE_FILE_SHA256, FIXTURE_FILE_TASK, FIXTURE_URL, FIXTURE_URL_TASK } from './taskStore';
export {
	generateResultDocument,
	type FileAnalysisSubject,
	type ReportGeneratorOptions,
	type ResultDocument,
} from './reportGenerator';
export { SESSION_COOKIES } from './sessions';
export { REDACTED } from './requestLog';
export type {
	AnalystCredentials,
	AtaSimulatorOptions,
	FaultKind,
	FaultSpec,
	PortalCredentials,
	RecordedFile,
	RecordedRequest,
	Submission,
	TaskSeed,
} from './types';
