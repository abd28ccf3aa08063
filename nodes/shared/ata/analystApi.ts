/** Typed calls of the Analyst API (API key + token), following ata-api.md §5 and §15. */
import { z } from 'zod';

import { AtaError } from './errors';
import type { FormFields } from './formEncoding';
import {
	analysisTagsSchema,
	completedSchema,
	hashLookupSchema,
	progressSchema,
	resultSchema,
	submissionSchema,
} from './schemas';
import { AtaSession, type SessionOptions } from './session';

export interface SubmissionOptions {
	/** Force a new analysis even when the service has one (privileged). */
	bypassCache?: boolean;
	/** Seconds the sample may run. */
	analysisTimeout?: number;
	/** e.g. `windows7:office2003`; default: every suitable environment. */
	analysisEnvironment?: string;
	/** Password of an encrypted archive or document. */
	archivePassword?: string;
	/** Portal account (user name) the task is pushed to; absent or empty: not pushed. */
	pushToPortalAccount?: string;
	/** Embed the full report when the score is at least this (-1: never, the default). */
	fullReportScore?: number;
}

export interface Submission {
	taskUuid: string;
	/** Present (0–100) when the service already has a finished analysis. */
	score?: number;
	complete: boolean;
	data: Record<string, unknown>;
}

export interface Progress {
	complete: boolean;
	progress?: number;
}

export type HashAlgorithm = 'md5' | 'sha1' | 'sha256';

export interface HashLookupTask {
	taskUuid: string;
	score?: number;
	expires?: string;
	md5?: string;
	sha1?: string;
	sha256?: string;
}

export interface CompletedPage {
	tasks: Array<{ taskUuid: string; score?: number }>;
	/** Cursor for the next call: the `resume` value, or `before` when there is none. */
	next: string;
	moreResultsAvailable: boolean;
	/** The server's clock at the time of the call. */
	before?: string;
}

/** The result document (`data` of `analysis/get`), as the converter takes it. */
export type ResultDocument = Record<string, unknown>;

export class AnalystApiClient {
	private readonly session: AtaSession;

	constructor(options: Omit<SessionOptions, 'api'>) {
		this.session = new AtaSession({ ...options, api: 'analyst' });
	}

	async submitFile(
		file: { data: Buffer; filename?: string },
		options: SubmissionOptions = {},
	): Promise<Submission> {
		const data = await this.session.call('analysis/submit/file', {
			method: 'POST',
			form: { ...submissionFields(options), filename: file.filename },
			file: { field: 'file', partFilename: 'dummy-ascii-name-for-file-param', data: file.data },
			idempotent: !options.bypassCache,
		});
		return toSubmission(data, 'analysis/submit/file');
	}

	async submitUrl(url: string, options: SubmissionOptions = {}): Promise<Submission> {
		const data = await this.session.call('analysis/submit/url', {
			method: 'POST',
			form: { url, ...submissionFields(options) },
			idempotent: !options.bypassCache,
		});
		return toSubmission(data, 'analysis/submit/url');
	}

	/** Existing analyses of a file, newest expiry first (ata-api.md §8.5). */
	async queryFileHash(hash: string): Promise<HashLookupTask[]> {
		const algorithm = hashAlgorithm(hash);
		const data = await this.session.call('analysis/query/file_hash', {
			method: 'GET',
			query: { hash_value: hash.toLowerCase(), hash_algorithm: algorithm },
			idempotent: true,
		});
		const parsed = parse(hashLookupSchema, data, 'analysis/query/file_hash');
		return parsed.tasks
			.map((task) => ({
				taskUuid: task.task_uuid.toLowerCase(),
				score: task.score ?? undefined,
				expires: task.expires,
				md5: task.file_md5,
				sha1: task.file_sha1,
				sha256: task.file_sha256,
			}))
			.sort((a, b) => (b.expires ?? '').localeCompare(a.expires ?? ''));
	}

	async getProgress(taskUuid: string): Promise<Progress> {
		const data = await this.session.call('analysis/get_progress', {
			method: 'GET',
			query: { uuid: taskUuid },
			idempotent: true,
		});
		const parsed = parse(progressSchema, data, 'analysis/get_progress');
		return { complete: parsed.completed, progress: parsed.progress };
	}

	/** The full result document; an unfinished analysis throws an `AtaError` with `isNotReady`. */
	async getResult(taskUuid: string): Promise<ResultDocument> {
		const data = await this.session.call('analysis/get', {
			method: 'GET',
			query: { uuid: taskUuid, full_report_score: 0 },
			idempotent: true,
			statusCodes: { 404: 105, 412: 106 },
		});
		return parse(resultSchema, data, 'analysis/get') as ResultDocument;
	}

	/** `data` of `get_analysis_tags` (AV family/class labels), as the converter takes it. */
	async getAnalysisTags(taskUuid: string): Promise<Record<string, unknown>> {
		const data = await this.session.call('analysis/get_analysis_tags', {
			method: 'GET',
			query: { uuid: taskUuid },
			idempotent: true,
		});
		return parse(analysisTagsSchema, data, 'analysis/get_analysis_tags');
	}

	/**
	 * Analyses completed after `after` (`YYYY-MM-DD HH:MM:SS`, server time). Follow `next` while
	 * `moreResultsAvailable`; start from `serverTime()` to avoid clock skew (ata-api.md §7).
	 */
	async getCompleted(after: string, before?: string): Promise<CompletedPage> {
		const data = await this.session.call('analysis/completed', {
			method: 'GET',
			query: { after, before, include_score: 1 },
			idempotent: true,
		});
		const parsed = parse(completedSchema, data, 'analysis/completed');
		const tasks = Array.isArray(parsed.tasks)
			? parsed.tasks.map((taskUuid) => ({ taskUuid: taskUuid.toLowerCase() }))
			: Object.entries(parsed.tasks).map(([taskUuid, score]) => ({
					taskUuid: taskUuid.toLowerCase(),
					score: score ?? undefined,
				}));
		const more = parsed.more_results_available;
		return {
			tasks,
			next: parsed.resume ?? parsed.before ?? after,
			moreResultsAvailable: more === true || more === 1 || more === '1',
			before: parsed.before ?? undefined,
		};
	}

	/** The server's current time, read the way the official client does (a far-future `after`). */
	async serverTime(): Promise<string> {
		const page = await this.getCompleted('2039-12-31 23:59:59');
		if (!page.before) {
			throw new AtaError('ATA did not report its clock', { kind: 'protocol', retry: 'never' });
		}
		return page.before;
	}
}

function submissionFields(options: SubmissionOptions): FormFields {
	return {
		full_report_score: options.fullReportScore ?? -1,
		bypass_cache: options.bypassCache ? 1 : undefined,
		analysis_timeout: options.analysisTimeout,
		analysis_env: options.analysisEnvironment || undefined,
		password: options.archivePassword || undefined,
		push_to_portal_account: options.pushToPortalAccount || undefined,
	};
}

function toSubmission(data: unknown, endpoint: string): Submission {
	const parsed = parse(submissionSchema, data, endpoint);
	const score = parsed.score ?? undefined;
	return {
		taskUuid: parsed.task_uuid.toLowerCase(),
		score,
		complete: score !== undefined,
		data: parsed as Record<string, unknown>,
	};
}

export function hashAlgorithm(hash: string): HashAlgorithm {
	const length = /^[0-9a-f]+$/i.test(hash) ? hash.length : 0;
	if (length === 32) return 'md5';
	if (length === 40) return 'sha1';
	if (length === 64) return 'sha256';
	throw new AtaError('The hash must be an md5, sha1 or sha256 in hexadecimal', {
		kind: 'config',
		retry: 'never',
	});
}

export function parse<T extends z.ZodTypeAny>(schema: T, data: unknown, endpoint: string): z.output<T> {
	const result = schema.safeParse(data);
	if (result.success) return result.data;
	const issue = result.error.issues[0];
	throw new AtaError(
		`Unexpected ATA answer from ${endpoint}: ${issue.path.join('.') || 'data'} ${issue.message}`,
		{ kind: 'protocol', retry: 'never', endpoint },
	);
}
