/** Analyst API routes (ata-api.md §5.1, §15). */
import { errors, success, type ApiResponse } from './apiEnvelope';
import { formatAtaTime, parseAtaTime, wholeSecond } from './ataTime';
import { booleanField, integerField, type RouteContext, type RouteDefinition } from './routing';
import { sessionCookie } from './sessions';
import { includeReport, TaskStore, type StoredTask } from './taskStore';

/** The official client names every upload this way (a server-side werkzeug bug with non-ASCII names). */
const DUMMY_FILENAME = 'dummy-ascii-name-for-file-param';

/** Boolean fields clients send on submissions; malformed values are refused rather than guessed. */
const SUBMISSION_BOOLEANS = [
	'bypass_cache',
	'allow_network_traffic',
	'bypass_prefilter',
	'delete_after_analysis',
	'require_file_analysis',
	'fast_analysis',
];

const HASH_LENGTHS: Record<string, number> = { md5: 32, sha1: 40, sha256: 64 };

function login(context: RouteContext): ApiResponse {
	const { key, api_token: apiToken = '' } = context.params;
	if (key !== context.analyst.key || apiToken !== context.analyst.apiToken)
		return errors.invalidCredentials();
	// data "true" as the service answers; tau-clients fails on a login answer without `data`.
	return success('true', {
		'set-cookie': sessionCookie('analyst', context.sessions.create('analyst')),
	});
}

function invalidBoolean(params: Record<string, string>): ApiResponse | undefined {
	const bad = SUBMISSION_BOOLEANS.find((name) => booleanField(params, name) === undefined);
	return bad === undefined ? undefined : errors.invalidField(bad);
}

/** `full_report_score` on submissions defaults to -1 (never embed the report). */
function submissionThreshold(params: Record<string, string>): number | undefined | null {
	return integerField(params, 'full_report_score');
}

function submitFile(context: RouteContext): ApiResponse {
	const { params } = context;
	const refusal = invalidBoolean(params);
	if (refusal) return refusal;
	const threshold = submissionThreshold(params);
	if (threshold === null) return errors.invalidField('full_report_score');
	const bypassCache = booleanField(params, 'bypass_cache') === true;
	const part = context.files.find((file) => file.name === 'file');
	const filename =
		params.filename ??
		(part?.filename !== undefined && part.filename !== DUMMY_FILENAME ? part.filename : undefined);
	const hashes = { md5: params.md5, sha1: params.sha1, sha256: params.sha256 };
	if (!part && !hashes.md5 && !hashes.sha1 && !hashes.sha256) return errors.missingField('file');
	const outcome = context.store.submitFile({
		...(part ? { via: 'upload', content: part.data } : { via: 'hash', hashes }),
		bypassCache,
		...(filename !== undefined ? { filename } : {}),
	});
	if (!outcome) return errors.fileNotAvailable();
	return success(context.store.submissionAnswer(outcome.task, threshold));
}

function submitUrl(context: RouteContext): ApiResponse {
	const { params } = context;
	const refusal = invalidBoolean(params);
	if (refusal) return refusal;
	const threshold = submissionThreshold(params);
	if (threshold === null) return errors.invalidField('full_report_score');
	const url = params.url;
	if (url === undefined || url === '') return errors.missingField('url');
	if (!isAnalysableUrl(url)) return errors.invalidUrl();
	const { task } = context.store.submitUrl(url, booleanField(params, 'bypass_cache') === true);
	return success(context.store.submissionAnswer(task, threshold));
}

function isAnalysableUrl(url: string): boolean {
	try {
		return ['http:', 'https:', 'ftp:'].includes(new URL(url).protocol);
	} catch {
		return false;
	}
}

/** Resolves `uuid` or answers the error; polling calls count towards completion. */
function taskFor(context: RouteContext, countsAsPoll: boolean): StoredTask | ApiResponse {
	const uuid = context.params.uuid;
	if (uuid === undefined || uuid === '') return errors.missingField('uuid');
	const task = context.store.get(uuid.toLowerCase());
	if (!task) return errors.invalidUuid();
	if (countsAsPoll) context.store.poll(task);
	return task;
}

function isTask(value: StoredTask | ApiResponse): value is StoredTask {
	return 'uuid' in value;
}

export function progress(context: RouteContext): ApiResponse {
	const task = taskFor(context, true);
	if (!isTask(task)) return task;
	// Integer 1 when done: Carbon Black compares `== 1`, tau's live test expects exactly {progress: 100, completed: 1}.
	return success({
		completed: task.completedAt === undefined ? 0 : 1,
		progress: context.store.progress(task),
	});
}

/** The result document; without `full_report_score` the report is included (Splunk SOAR polls until it is). */
export function result(context: RouteContext): ApiResponse {
	const task = taskFor(context, true);
	if (!isTask(task)) return task;
	const threshold = integerField(context.params, 'full_report_score');
	if (threshold === null) return errors.invalidField('full_report_score');
	if (task.completedAt === undefined) return errors.noResultYet();
	const { report, ...summary } = context.store.result(task);
	return success(includeReport(task.score, threshold ?? 0) ? { ...summary, report } : summary);
}

function queryFileHash(context: RouteContext): ApiResponse {
	const hashValue = (context.params.hash_value ?? '').toLowerCase();
	if (hashValue === '') return errors.missingField('hash_value');
	const algorithm = (
		context.params.hash_algorithm ??
		Object.keys(HASH_LENGTHS).find((name) => HASH_LENGTHS[name] === hashValue.length) ??
		''
	).toLowerCase();
	if (!(algorithm in HASH_LENGTHS)) return errors.invalidHashAlgorithm();
	const tasks = context.store
		.findFileTasks(hashValue)
		.filter(
			(task) =>
				task.completedAt !== undefined &&
				task[algorithm as 'md5' | 'sha1' | 'sha256'] === hashValue,
		);
	return success({
		files_found: tasks.length > 0 ? 1 : 0,
		tasks: tasks.map((task) => TaskStore.hashLookupEntry(task)),
	});
}

function analysisTags(context: RouteContext): ApiResponse {
	const task = taskFor(context, false);
	if (!isTask(task)) return task;
	if (task.completedAt === undefined) return errors.noResultYet();
	return success({ task_uuid: task.uuid, analysis_tags: context.store.analysisTags(task) });
}

/**
 * Completed tasks in the half-open window [after, before) at whole-second resolution (the wire format's).
 * `before` defaults to, and is capped at, server now, so an `after` in the future is the clock probe.
 * A page ends on a second boundary so no task is lost or repeated; then `before` = `resume` = that
 * boundary and `more_results_available` = 1, which serves clients resuming from either field. A single
 * second holding more than a page of tasks is returned whole.
 */
function completed(context: RouteContext): ApiResponse {
	const { params, now } = context;
	if (params.after === undefined) return errors.missingField('after');
	const after = parseAtaTime(params.after);
	if (after === undefined) return errors.invalidField('after');
	const requestedBefore =
		params.before === undefined || params.before === '' ? now : parseAtaTime(params.before);
	if (requestedBefore === undefined) return errors.invalidField('before');
	const includeScore = booleanField(params, 'include_score');
	if (includeScore === undefined) return errors.invalidField('include_score');
	const before = wholeSecond(Math.min(requestedBefore, now));
	const matching = after < before ? context.store.completedIn(wholeSecond(after), before) : [];
	let page = matching;
	let windowEnd = before;
	if (matching.length > context.completedPageSize) {
		windowEnd = wholeSecond(matching[context.completedPageSize].completedAt ?? 0);
		if (windowEnd <= wholeSecond(matching[0].completedAt ?? 0))
			windowEnd = wholeSecond(matching[0].completedAt ?? 0) + 1000;
		page = matching.filter((task) => (task.completedAt ?? 0) < windowEnd);
	}
	const more = page.length < matching.length;
	const tasks = includeScore
		? Object.fromEntries(page.map((task) => [task.uuid, task.score]))
		: page.map((task) => task.uuid);
	return success({
		tasks,
		after: formatAtaTime(after),
		before: formatAtaTime(more ? windowEnd : before),
		resume: formatAtaTime(more ? windowEnd : before),
		more_results_available: more ? 1 : 0,
	});
}

export const analystRoutes: Record<string, RouteDefinition> = {
	'authentication/login': { methods: ['POST'], handle: login },
	'analysis/submit/file': { methods: ['POST'], session: 'analyst', handle: submitFile },
	'analysis/submit/url': { methods: ['POST'], session: 'analyst', handle: submitUrl },
	'analysis/query/file_hash': {
		methods: ['GET', 'POST'],
		session: 'analyst',
		handle: queryFileHash,
	},
	'analysis/get_progress': { methods: ['GET', 'POST'], session: 'analyst', handle: progress },
	'analysis/get': { methods: ['GET', 'POST'], session: 'analyst', handle: result },
	'analysis/completed': { methods: ['GET', 'POST'], session: 'analyst', handle: completed },
	'analysis/get_completed': { methods: ['GET', 'POST'], session: 'analyst', handle: completed },
	'analysis/get_analysis_tags': {
		methods: ['GET', 'POST'],
		session: 'analyst',
		handle: analysisTags,
	},
};
