/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/**
 * The NSX ATA node and trigger inside n8n's engine against a hostile ATA (simulator/ata/hostile.ts):
 * per case, the victim item ends with a clear error within its deadline, memory and request counts
 * stay bounded, no secret appears anywhere, and the other items of the batch still succeed.
 *
 * Small limits set through the node's Limits option keep every case to a few seconds:
 * 1 MB responses, 2 s per request, 4 s retry budget.
 */
import { join } from 'node:path';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { pollTrigger, readWorkflow, type RunResult, testCredential } from '../../dev/engine';
import { type AtaSimulator, FIXTURE_FILE_TASK, FIXTURE_URL_TASK } from '../../simulator/ata';
import { type HostileAta, type HostileRule, startHostileAta } from '../../simulator/ata/hostile';
import { SECRETS, startSimulator } from '../support/ataClients';
import { ataCredentials, runNsxAta } from '../support/nodeRuns';

const LIMITS = { maxResponseSizeMb: 1, requestTimeoutSeconds: 2, retryBudgetSeconds: 4 };
/** A call lasts at most max(request timeout, retry budget); the slack covers the engine and a loaded machine. */
const DEADLINE_MS = 4_000 + 10_000;
/** Process memory growth allowed per case (the unbounded code grew past 4 GB). */
const MEMORY_BOUND = 512 * 1024 * 1024;

let sim: AtaSimulator;
let hostile: HostileAta;
let victim: string;

const link = (taskUuid: string) => `${hostile.portalUrl}/portal#/analyst/task/${taskUuid}/overview`;
const credentials = () => ataCredentials({ url: hostile.url, portalUrl: hostile.portalUrl } as AtaSimulator);

beforeAll(async () => {
	sim = await startSimulator();
	hostile = await startHostileAta(sim);
});
beforeEach(() => {
	victim = sim.addTask({ kind: 'url', url: 'https://victim.example/', score: 40 });
});
afterEach(() => {
	hostile.reset();
	sim.reset();
});
afterAll(async () => {
	await hostile.close();
	await sim.close();
});

interface Measured<T> {
	value: T;
	elapsedMs: number;
	memoryGrowth: number;
}

async function measured<T>(run: () => Promise<T>): Promise<Measured<T>> {
	const rssBefore = process.memoryUsage().rss;
	let peak = rssBefore;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
	const started = Date.now();
	try {
		const value = await run();
		return { value, elapsedMs: Date.now() - started, memoryGrowth: Math.max(peak, process.memoryUsage().rss) - rssBefore };
	} finally {
		clearInterval(sampler);
	}
}

/** Nothing the run produced holds a secret: not the items, not an error, not the run data. */
function expectNoSecretsIn(value: unknown): void {
	const text = JSON.stringify(value);
	for (const secret of Object.values(SECRETS)) {
		expect(text).not.toContain(secret);
		expect(text).not.toContain(encodeURIComponent(secret));
	}
}

/** One run of a workflow fixture against the hostile server, Continue On Fail, measured. */
async function nodeRun(file: string, parameters: INodeParameters, items: INodeExecutionData[]): Promise<Measured<RunResult>> {
	return await measured(
		async () =>
			await runNsxAta(sim, file, {
				continueOnFail: true,
				credentials: credentials(),
				parameters: { limits: LIMITS, ...parameters },
				items,
			}),
	);
}

/** Query over three links with the victim in the middle, the given options. */
async function queryBatch(options: INodeParameters = {}, limits: INodeParameters = LIMITS): Promise<Measured<RunResult>> {
	const items = [FIXTURE_URL_TASK, victim, FIXTURE_FILE_TASK].map((uuid) => ({ json: { value: link(uuid) } }));
	return await nodeRun('nsx-ata-query.json', { options: { includeAvTags: false, ...options }, limits }, items);
}

function victimError(run: Measured<RunResult>): unknown {
	return itemsOf(run.value)[1].error;
}

function itemsOf(result: RunResult): IDataObject[] {
	return result.output('NSX ATA').map((item: INodeExecutionData) => item.json);
}

/** The two bystanders succeeded, the victim failed with `message`, all within bounds. */
function expectVictimFailed(run: Measured<RunResult>, message: RegExp, maxRequests: number): void {
	const items = itemsOf(run.value);
	expect(run.value.status).toBe('success');
	expect(items).toHaveLength(3);
	expect(items[0]).toMatchObject({ taskUuid: FIXTURE_URL_TASK, status: 'complete' });
	expect(items[2]).toMatchObject({ taskUuid: FIXTURE_FILE_TASK, status: 'complete' });
	expect(String(items[1].error)).toMatch(message);
	expect(run.elapsedMs).toBeLessThan(DEADLINE_MS);
	expect(run.memoryGrowth).toBeLessThan(MEMORY_BOUND);
	expect(hostile.count('analysis/get')).toBeLessThanOrEqual(maxRequests);
	expectNoSecretsIn(run.value.run);
}

function arm(rule: Omit<HostileRule, 'match'> & { match?: string }): void {
	hostile.arm({ match: victim, ...rule });
}

describe('unbounded answers', () => {
	it('stops reading an endless body at the size limit and names the limit and the option', async () => {
		arm({ case: 'endlessBody', route: 'analysis/get' });
		const run = await queryBatch();
		expectVictimFailed(run, /maximum response size of 1 MB/, 3);
		expect(JSON.stringify(itemsOf(run.value)[1])).toMatch(/Max Response Size \(MB\)/);
	});

	it('refuses a huge body by its length without buffering it', async () => {
		arm({ case: 'hugeBody', route: 'analysis/get', sizeBytes: 64 * 1024 * 1024 });
		const run = await queryBatch();
		expectVictimFailed(run, /maximum response size of 1 MB/, 3);
	});

	it('ends a dripping body at the request deadline, retries included', async () => {
		arm({ case: 'dripBody', route: 'analysis/get', intervalMs: 200 });
		const run = await queryBatch();
		// 2 s per request and a 4 s budget: two or three attempts for the victim, one per bystander.
		expectVictimFailed(run, /did not answer in time \(within \d/, 2 + 5);
	});

	it('ends a request whose headers never come at the request deadline', async () => {
		arm({ case: 'slowHeaders', route: 'analysis/get' });
		const run = await queryBatch();
		expectVictimFailed(run, /did not answer in time/, 2 + 5);
	});
});

describe('server text', () => {
	it('scrubs the session cookie a server echoes into an error', async () => {
		arm({ case: 'echoError', route: 'analysis/get' });
		const run = await queryBatch();
		expectVictimFailed(run, /ATA error 104: Invalid request: .*cookie=.*\[redacted\]/, 3);
	});

	it('scrubs the API key and token a login error repeats from the form body', async () => {
		hostile.arm({ case: 'echoError', route: 'authentication/login', match: '*' });
		const run = await queryBatch();
		const items = itemsOf(run.value);
		expect(items).toHaveLength(3);
		for (const item of items) expect(String(item.error)).toMatch(/ATA error 104: Invalid request: key=\[redacted\]&api_token=\[redacted\]/);
		expectNoSecretsIn(run.value.run);
	});

	it('scrubs the portal username and password a Portal API login error repeats', async () => {
		hostile.arm({ case: 'echoError', route: 'papi/login', match: '*' });
		const run = await nodeRun('nsx-ata-query.json', { authentication: 'portalApi' }, [{ json: { value: link(victim) } }]);
		expect(String(itemsOf(run.value)[0].error)).toMatch(/username=\[redacted\]&password=\[redacted\]/);
		expectNoSecretsIn(run.value.run);
	});

	it('scrubs the secrets a login error repeats in the credential Test (the credential\'s own login)', async () => {
		hostile.arm({ case: 'echoError', route: 'authentication/login', match: '*' });
		const analyst = await testCredential('nsxAtaAnalystApi', {
			environment: 'onPremise',
			baseUrl: hostile.url,
			apiKey: SECRETS.key,
			apiToken: SECRETS.apiToken,
		});
		expect(analyst.message).toMatch(/key=\[redacted\]&api_token=\[redacted\]/);
		hostile.arm({ case: 'echoError', route: 'papi/login', match: '*' });
		const portal = await testCredential('nsxAtaPortalApi', {
			portalUrl: hostile.portalUrl,
			username: SECRETS.username,
			password: SECRETS.password,
		});
		expect(portal.message).toMatch(/username=\[redacted\]&password=\[redacted\]/);
		expectNoSecretsIn([analyst.message, portal.message]);
	});

	it('cuts hostile nesting in the raw report, warns, and leaves an execution n8n can save', async () => {
		arm({ case: 'deepNesting', route: 'analysis/get', depth: 200_000 });
		const run = await queryBatch({ includeRawReport: true, output: 'collections' });
		const items = itemsOf(run.value);
		expect(items.map((item) => item.error)).toEqual([undefined, undefined, undefined]);
		expect(items[1].warnings).toEqual(expect.arrayContaining([expect.stringMatching(/nested deeper than 100 levels/)]));
		// What n8n does to copy or save an execution.
		expect(() => JSON.stringify(run.value.run)).not.toThrow();
	});
});

describe('outcome rule', () => {
	it('does not repeat a Bypass Cache submission after a gateway 503 that may have been forwarded', async () => {
		hostile.arm({ case: 'gateway503', route: 'analysis/submit/url', match: encodeURIComponent('https://victim-503.example/') });
		const urls = ['https://one-503.example/', 'https://victim-503.example/', 'https://two-503.example/'];
		const run = await nodeRun('nsx-ata-submit-url.json', { options: { bypassCache: true } }, urls.map((url) => ({ json: { url } })));
		const items = itemsOf(run.value);
		expect(items[0]).toMatchObject({ status: 'incomplete' });
		expect(items[2]).toMatchObject({ status: 'incomplete' });
		expect(String(items[1].error)).toMatch(/ATA answered HTTP 503 with an HTML page/);
		expect(sim.submissionCount('https://victim-503.example/')).toBe(1);
		expectNoSecretsIn(run.value.run);
	});
});

describe('endless cursor', () => {
	it('Wait for Completion reads a bounded number of pages and ends at Max Wait', async () => {
		hostile.arm({ case: 'endlessCursor', route: 'analysis/completed', match: 'after=2' });
		const run = await nodeRun(
			'nsx-ata-submit-url.json',
			{ waitForCompletion: true, pollIntervalSeconds: 1, maxWaitSeconds: 2 },
			[{ json: { url: 'https://wait-endless.example/' } }],
		);
		const items = itemsOf(run.value);
		expect(items[0]).toMatchObject({ status: 'incomplete' });
		expect(run.elapsedMs).toBeLessThan(DEADLINE_MS);
		// The server-time read, then at most 50 pages per poll, about one poll per second of Max Wait.
		expect(hostile.count('analysis/completed')).toBeLessThanOrEqual(1 + 50 * 4);
		expect(run.memoryGrowth).toBeLessThan(MEMORY_BOUND);
	});

	it('the trigger reads at most 50 pages per poll and moves its cursor past them', async () => {
		const json = readWorkflow(join(__dirname, '..', 'workflows', 'nsx-ata-trigger.json'));
		json.nodes[0].parameters = { ...json.nodes[0].parameters, limits: LIMITS };
		const first = await pollTrigger(json, 'NSX ATA Trigger', { mode: 'trigger', staticData: {}, credentials: credentials() });
		hostile.arm({ case: 'endlessCursor', route: 'analysis/completed', match: '*' });
		const run = await measured(
			async () =>
				await pollTrigger(json, 'NSX ATA Trigger', { mode: 'trigger', staticData: first.staticData, credentials: credentials() }),
		);
		expect(run.value.items?.[0]).toHaveLength(50);
		expect(hostile.count('analysis/completed')).toBeLessThanOrEqual(1 + 50);
		expect(run.elapsedMs).toBeLessThan(DEADLINE_MS);
	});

	it('the trigger ends a poll whose answer drips at the request deadline', async () => {
		const json = readWorkflow(join(__dirname, '..', 'workflows', 'nsx-ata-trigger.json'));
		json.nodes[0].parameters = { ...json.nodes[0].parameters, limits: LIMITS };
		const first = await pollTrigger(json, 'NSX ATA Trigger', { mode: 'trigger', staticData: {}, credentials: credentials() });
		hostile.arm({ case: 'dripBody', route: 'analysis/completed', match: '*', intervalMs: 200 });
		const started = Date.now();
		await expect(
			pollTrigger(json, 'NSX ATA Trigger', { mode: 'trigger', staticData: first.staticData, credentials: credentials() }),
		).rejects.toThrow(/did not answer in time/);
		expect(Date.now() - started).toBeLessThan(DEADLINE_MS);
	});
});

describe('output amplification', () => {
	// Bounded by the converter's id index and its attribute caps (nodes/shared/misp/converter).
	it('500 subjects sharing one overview id give a bounded output', async () => {
		victim = sim.addTask({ kind: 'file', content: 'amplified sample', filename: 'amplified.exe', score: 80 });
		arm({ case: 'amplification', route: 'analysis/get', count: 500 });
		// The report itself is small (about 2 MB); the size limit must not be what stops it.
		const run = await queryBatch({}, { ...LIMITS, maxResponseSizeMb: 64 });
		expect(victimError(run)).toBeUndefined();
		const items = itemsOf(run.value);
		expect(items[0]).toMatchObject({ status: 'complete' });
		expect(items[2]).toMatchObject({ status: 'complete' });
		const objects = (items[1].Object ?? []) as Array<{ Attribute?: unknown[] }>;
		const attributes = objects.reduce((sum, object) => sum + (object.Attribute?.length ?? 0), 0);
		expect(objects.filter((object) => (object as { name?: string }).name === 'process').length).toBeGreaterThan(1);
		// Linear in the input: a few attributes per subject, not one per pair of subjects (250,000).
		expect(attributes).toBeLessThan(100 * 500);
		expect(run.memoryGrowth).toBeLessThan(MEMORY_BOUND);
	});
});
