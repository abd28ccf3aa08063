/* eslint-disable @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/**
 * The ATA client over real loopback HTTP against the simulator: every endpoint, every fault knob,
 * re-login, retry limits, cancellation, and no secret in any URL or error message.
 */
import { randomBytes } from 'node:crypto';

import { AtaError } from '../../nodes/shared/ata/errors';
import { CompletionWatcher } from '../../nodes/shared/ata/completionWatcher';
import { FIXTURE_FILE_TASK, FIXTURE_URL_TASK } from '../../simulator/ata';
import type { FaultKind, AtaSimulator } from '../../simulator/ata';
import {
	analystClient,
	expectNoCredentialsInUrls,
	expectNoSecrets,
	portalClient,
	startSimulator,
} from '../support/ataClients';

const FIXTURE_URL = 'http://login.webmail-verify.example.com/owa/?realm=corp.example';

let sim: AtaSimulator;
const errorTexts: string[] = [];

async function failure(promise: Promise<unknown>): Promise<AtaError> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(AtaError);
		const ataError = error as AtaError;
		errorTexts.push(ataError.message, ataError.hint ?? '', ataError.stack ?? '');
		return ataError;
	}
	throw new Error('expected the call to fail');
}

const routeCount = (route: string) => sim.requests.filter((r) => r.route === route).length;

/** Moves the simulator's clock forward, so analyses finish without waiting for real time. */
let clockSkewMs = 0;

beforeAll(async () => {
	sim = await startSimulator({ completeAfterMs: 60_000, clock: () => Date.now() + clockSkewMs });
});
afterEach(() => {
	clockSkewMs = 0;
	// Every request of every test: no credential ever travelled in a URL.
	expectNoCredentialsInUrls(sim);
	sim.reset();
});
afterAll(async () => {
	expectNoSecrets(errorTexts);
	await sim.close();
});

describe('Analyst API calls', () => {
	it('logs in once with a form body and reuses the session cookie', async () => {
		const client = analystClient(sim);
		await client.getProgress(FIXTURE_FILE_TASK);
		await client.getProgress(FIXTURE_URL_TASK);
		const logins = sim.requests.filter((r) => r.route === 'authentication/login');
		expect(logins).toHaveLength(1);
		expect(logins[0].method).toBe('POST');
		expect(logins[0].bodyKind).toBe('urlencoded');
		expect(Object.keys(logins[0].fields).sort()).toEqual(['api_token', 'key']);
		expect(logins[0].query).toEqual({});
		const progress = sim.requests.filter((r) => r.route === 'analysis/get_progress');
		expect(progress.every((r) => r.cookieNames.length > 0)).toBe(true);
	});

	it('logs in once even when many calls start at the same time', async () => {
		const client = analystClient(sim);
		await Promise.all(Array.from({ length: 10 }, () => client.getProgress(FIXTURE_FILE_TASK)));
		expect(routeCount('authentication/login')).toBe(1);
	});

	it('submits a new URL (pending), polls it to completion and fetches the full result', async () => {
		const client = analystClient(sim);
		const submission = await client.submitUrl('https://phish.example.net/login');
		expect(submission.complete).toBe(false);
		expect(submission.taskUuid).toMatch(/^[0-9a-f]{32}$/);
		const [submit] = sim.requests.filter((r) => r.route === 'analysis/submit/url');
		expect(submit.fields.url).toBe('https://phish.example.net/login');
		expect(submit.fields.full_report_score).toBe('-1');
		expect(submit.fields.bypass_cache).toBeUndefined();

		await expect(client.getResult(submission.taskUuid)).rejects.toMatchObject({ code: 106, isNotReady: true });
		const seen = [await client.getProgress(submission.taskUuid)];
		for (let i = 0; i < 5 && !seen[seen.length - 1].complete; i++) {
			clockSkewMs += 20_000;
			seen.push(await client.getProgress(submission.taskUuid));
		}
		expect(seen.map((progress) => progress.complete)).toEqual([false, false, false, true]);
		expect(seen.map((progress) => progress.progress)).toEqual([0, 33, 66, 100]);
		const result = await client.getResult(submission.taskUuid);
		expect(result.task_uuid).toBe(submission.taskUuid);
		expect(typeof result.score).toBe('number');
		expect(result.report).toBeDefined();
		const get = sim.requests.filter((r) => r.route === 'analysis/get').at(-1)!;
		expect(get.query).toEqual({ uuid: submission.taskUuid, full_report_score: '0' });
	});

	it('reports a cached URL as complete with its score at submit time', async () => {
		const submission = await analystClient(sim).submitUrl(FIXTURE_URL);
		expect(submission).toMatchObject({ taskUuid: FIXTURE_URL_TASK, complete: true, score: 72 });
	});

	it('uploads a file as the official client does and sees a known file as cached', async () => {
		const content = randomBytes(2048);
		const client = analystClient(sim);
		const first = await client.submitFile(
			{ data: content, filename: 'Rechnung März.doc' },
			{ analysisTimeout: 120, analysisEnvironment: 'windows7', archivePassword: 'infected', pushToPortalAccount: 'soc-team@example.com' },
		);
		expect(first.complete).toBe(false);
		const [upload] = sim.requests.filter((r) => r.route === 'analysis/submit/file');
		expect(upload.bodyKind).toBe('multipart');
		expect(upload.files).toEqual([
			expect.objectContaining({ field: 'file', filename: 'dummy-ascii-name-for-file-param', size: 2048 }),
		]);
		expect(upload.files[0].contentType).toBeUndefined();
		expect(upload.fields).toMatchObject({
			filename: 'Rechnung März.doc',
			analysis_timeout: '120',
			analysis_env: 'windows7',
			push_to_portal_account: 'soc-team@example.com',
			full_report_score: '-1',
		});

		const known = randomBytes(512);
		const taskUuid = sim.addTask({ kind: 'file', content: known, score: 88 });
		const cached = await client.submitFile({ data: known, filename: 'known.bin' });
		expect(cached).toMatchObject({ taskUuid, complete: true, score: 88 });
	});

	it('looks up hashes (md5, sha1, sha256) without uploading', async () => {
		const client = analystClient(sim);
		const [found] = await client.queryFileHash('7DC05EFC9D1CE1AE43166DE028ADD06DE00BECA39C9B9BE2A6C55D491F228FED');
		expect(found).toMatchObject({ taskUuid: FIXTURE_FILE_TASK, score: 100 });
		expect(await client.queryFileHash('4095d60cb61d1ac1da9b10a50fb568c1')).toHaveLength(1);
		expect(await client.queryFileHash('0'.repeat(40))).toEqual([]);
		const lookups = sim.requests.filter((r) => r.route === 'analysis/query/file_hash');
		expect(lookups.map((r) => r.query.hash_algorithm)).toEqual(['sha256', 'md5', 'sha1']);
		expect(routeCount('analysis/submit/file')).toBe(0);
		const bad = await failure(client.queryFileHash('not-a-hash'));
		expect(bad.kind).toBe('config');
	});

	it('reads analysis tags', async () => {
		const tags = await analystClient(sim).getAnalysisTags(FIXTURE_FILE_TASK);
		expect(tags.task_uuid).toBe(FIXTURE_FILE_TASK);
		expect(Array.isArray(tags.analysis_tags)).toBe(true);
	});

	it('follows the completed-analyses cursor across pages without losing or repeating a task', async () => {
		const small = await startSimulator({ completedPageSize: 7 });
		try {
			const client = analystClient(small);
			const start = await client.serverTime();
			const seeded = Array.from({ length: 20 }, (_, i) =>
				small.addTask({ kind: 'url', url: `https://seed.example/${i}`, score: i }),
			);
			await new Promise((resolve) => setTimeout(resolve, 1100)); // the window ends at "now", per second
			const seen: string[] = [];
			let after = start;
			for (let page = 0; page < 10; page++) {
				const result = await client.getCompleted(after);
				seen.push(...result.tasks.map((t) => t.taskUuid));
				after = result.next;
				if (!result.moreResultsAvailable) break;
			}
			expect(seen.sort()).toEqual([...seeded].sort());
		} finally {
			await small.close();
		}
	});

	it('refuses wrong credentials with a clear message and no retry', async () => {
		const client = analystClient(sim, { credentials: { apiToken: 'wrong-token' } });
		const error = await failure(client.getProgress(FIXTURE_FILE_TASK));
		expect(error.code).toBe(104);
		expect(error.hint).toMatch(/API key and API token/);
		expect(routeCount('authentication/login')).toBe(1);
		expect(routeCount('analysis/get_progress')).toBe(0);
	});

	it('names an unknown task uuid', async () => {
		const error = await failure(analystClient(sim).getProgress('0123456789abcdef0123456789abcdef'));
		expect(error.code).toBe(105);
	});
});

describe('Portal API calls', () => {
	it('logs in with username and password and reads progress and result', async () => {
		const client = portalClient(sim);
		expect(await client.getProgress(FIXTURE_FILE_TASK)).toMatchObject({ complete: true });
		const result = await client.getResult(FIXTURE_FILE_TASK);
		expect(result.task_uuid).toBe(FIXTURE_FILE_TASK);
		const [login] = sim.requests.filter((r) => r.route === 'papi/login');
		expect(Object.keys(login.fields).sort()).toEqual(['password', 'username']);
		const get = sim.requests.find((r) => r.route === 'papi/analysis/get_result')!;
		expect(get.query).toMatchObject({ uuid: FIXTURE_FILE_TASK, report_format: 'json' });
	});

	it('reports a wrong portal password', async () => {
		const error = await failure(portalClient(sim, { credentials: { password: 'nope' } }).getProgress(FIXTURE_FILE_TASK));
		expect(error.message).toMatch(/Authentication Error/);
		expect(error.hint).toMatch(/username and password/);
	});
});

describe('sessions', () => {
	it('logs in again once when the session expired (122) and repeats the request', async () => {
		const client = analystClient(sim);
		await client.getProgress(FIXTURE_FILE_TASK);
		sim.expireSessions();
		await client.getProgress(FIXTURE_FILE_TASK);
		expect(routeCount('authentication/login')).toBe(2);
		expect(routeCount('analysis/get_progress')).toBe(3);
	});

	it('does not loop when the service keeps rejecting fresh sessions', async () => {
		sim.injectFault({ route: 'analysis/get_progress', kind: 'sessionExpired' });
		const error = await failure(analystClient(sim).getProgress(FIXTURE_FILE_TASK));
		expect(error.message).toMatch(/right after a fresh login/);
		expect(routeCount('authentication/login')).toBe(2);
		expect(routeCount('analysis/get_progress')).toBe(2);
	});
});

describe('faults', () => {
	const recoverable: Array<[FaultKind, Record<string, unknown>]> = [
		['http429', { retryAfterSeconds: 0 }],
		['http500', {}],
		['http503', {}],
		['error107', {}],
		['reset', {}],
		['gatewayHtml', { status: 504 }],
		['truncatedJson', {}],
		['slowBody', { chunkBytes: 8, chunkIntervalMs: 2 }],
		['latency', { latencyMs: 50 }],
	];

	it.each(recoverable)('recovers from %s on a read', async (kind, extra) => {
		sim.injectFault({ route: 'analysis/get_progress', kind, times: 2, ...extra });
		const retries: number[] = [];
		const progress = await analystClient(sim, { onRetry: () => retries.push(1) }).getProgress(FIXTURE_FILE_TASK);
		expect(progress.complete).toBe(true);
		const expectedRetries = kind === 'slowBody' || kind === 'latency' ? 0 : 2;
		expect(retries).toHaveLength(expectedRetries);
	});

	it('recovers from a timeout within the per-request time limit', async () => {
		sim.injectFault({ route: 'analysis/get_progress', kind: 'timeout', times: 1 });
		const client = analystClient(sim, { timeoutMs: 300 });
		expect((await client.getProgress(FIXTURE_FILE_TASK)).complete).toBe(true);
		expect(routeCount('analysis/get_progress')).toBe(2);
	});

	it('stops after the retry limit and reports the last failure', async () => {
		sim.injectFault({ route: 'analysis/get_progress', kind: 'http500' });
		const error = await failure(analystClient(sim).getProgress(FIXTURE_FILE_TASK));
		expect(error.httpStatus).toBe(500);
		expect(routeCount('analysis/get_progress')).toBe(4); // FAST_RETRIES.maxAttempts
	});

	it('gives up at once when Retry-After is beyond the time budget', async () => {
		sim.injectFault({ route: 'analysis/get_progress', kind: 'http429', retryAfterSeconds: 3600 });
		const error = await failure(analystClient(sim).getProgress(FIXTURE_FILE_TASK));
		expect(error.httpStatus).toBe(429);
		expect(routeCount('analysis/get_progress')).toBe(1);
	});

	it('reports a quota error (115) without retrying the submission', async () => {
		sim.injectFault({ route: 'analysis/submit/url', kind: 'error115' });
		const error = await failure(analystClient(sim).submitUrl('https://quota.example/'));
		expect(error.code).toBe(115);
		expect(error.hint).toMatch(/quota/);
		expect(routeCount('analysis/submit/url')).toBe(1);
	});

	it('repeats a cached-deduplicated submission after an unknown outcome', async () => {
		sim.injectFault({ route: 'analysis/submit/url', kind: 'reset', phase: 'after', times: 1 });
		const submission = await analystClient(sim).submitUrl('https://dedup.example/');
		expect(sim.submissionCount('https://dedup.example/')).toBe(2);
		// The repeat was answered with the same task: no second analysis.
		expect(new Set(sim.submissions.map((s) => s.taskUuid))).toEqual(new Set([submission.taskUuid]));
	});

	it('never repeats a bypass-cache submission after an unknown outcome', async () => {
		sim.injectFault({ route: 'analysis/submit/url', kind: 'reset', phase: 'after', times: 1 });
		const error = await failure(analystClient(sim).submitUrl('https://fresh.example/', { bypassCache: true }));
		expect(error.kind).toBe('network');
		expect(sim.submissionCount('https://fresh.example/')).toBe(1);
	});

	it('repeats a bypass-cache submission the service provably refused (429)', async () => {
		sim.injectFault({ route: 'analysis/submit/url', kind: 'http429', retryAfterSeconds: 0, times: 1 });
		await analystClient(sim).submitUrl('https://fresh2.example/', { bypassCache: true });
		expect(sim.submissionCount('https://fresh2.example/')).toBe(1);
		expect(routeCount('analysis/submit/url')).toBe(2);
	});

	it('reports a gateway that keeps failing after the retry limit', async () => {
		sim.injectFault({ route: 'analysis/get_progress', kind: 'gatewayHtml', times: 5 });
		const error = await failure(analystClient(sim).getProgress(FIXTURE_FILE_TASK));
		expect(error).toMatchObject({ kind: 'protocol', httpStatus: 502 });
		expect(error.message).toMatch(/HTML page/);
		expect(routeCount('analysis/get_progress')).toBe(4);
	});
});

describe('cancellation', () => {
	it('stops waiting for a retry when the execution is cancelled', async () => {
		sim.injectFault({ route: 'analysis/get_progress', kind: 'http429', retryAfterSeconds: 2 });
		const controller = new AbortController();
		const client = analystClient(sim, {
			signal: controller.signal,
			retryPolicy: { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 10, maxTotalMs: 60_000 },
		});
		const started = Date.now();
		setTimeout(() => controller.abort(), 100);
		const error = await failure(client.getProgress(FIXTURE_FILE_TASK));
		expect(error.kind).toBe('cancelled');
		expect(Date.now() - started).toBeLessThan(1500);
	});

	it('aborts a request in flight', async () => {
		sim.injectFault({ route: 'analysis/get_progress', kind: 'timeout' });
		const controller = new AbortController();
		const client = analystClient(sim, { signal: controller.signal, timeoutMs: 30_000 });
		setTimeout(() => controller.abort(), 100);
		const error = await failure(client.getProgress(FIXTURE_FILE_TASK));
		expect(error.kind).toBe('cancelled');
	});
});

describe('waiting for many analyses', () => {
	it('waits for 30 analyses with a handful of cursor polls instead of one poll per task', async () => {
		const client = analystClient(sim);
		const watcher = new CompletionWatcher(client, 200);
		await watcher.start();
		const tasks = Array.from({ length: 30 }, (_, i) =>
			sim.addTask({ kind: 'url', url: `https://wait.example/${i}`, state: 'pending' }),
		);
		setTimeout(() => tasks.forEach((task) => sim.completeTask(task)), 300);
		const deadline = Date.now() + 10_000;
		const results = await Promise.all(tasks.map((task) => watcher.waitFor(task, deadline)));
		expect(results.every(Boolean)).toBe(true);
		const polls = routeCount('analysis/completed');
		expect(polls).toBeGreaterThan(0);
		expect(polls).toBeLessThan(15);
		expect(routeCount('analysis/get_progress')).toBe(0);
	});

	it('reports a timeout for analyses that do not finish in time', async () => {
		const client = analystClient(sim);
		const watcher = new CompletionWatcher(client, 50);
		const task = sim.addTask({ kind: 'url', url: 'https://slow.example/', state: 'pending' });
		expect(await watcher.waitFor(task, Date.now() + 300)).toBe(false);
	});
});
