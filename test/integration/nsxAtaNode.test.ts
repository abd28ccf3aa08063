/**
 * The NSX ATA node inside n8n's real execution engine (n8n-core WorkflowExecute), with the
 * workflow fixtures under test/workflows, real credentials handling and real HTTP to the simulator.
 */
import { randomBytes } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { type AtaSimulator, FIXTURE_FILE_TASK, FIXTURE_URL_TASK } from '../../simulator/ata';
import { expectNoCredentialsInUrls, expectNoSecrets, startSimulator } from '../support/ataClients';
import { ataCredentials, nodeOutput, runNsxAta } from '../support/nodeRuns';

const FIXTURE_URL = 'http://login.webmail-verify.example.com/owa/?realm=corp.example';
const INCOMPLETE = 'workflow:state="incomplete"';
const COMPLETE = 'workflow:state="complete"';

let sim: AtaSimulator;
let foreign: AtaSimulator;
const seen: string[] = [];

const link = (taskUuid: string, portal = sim.portalUrl) => `${portal}/portal#/analyst/task/${taskUuid}/overview`;
const routeCount = (route: string, server = sim) => server.requests.filter((r) => r.route === route).length;

function record(output: unknown): void {
	seen.push(JSON.stringify(output));
}

beforeAll(async () => {
	sim = await startSimulator();
	foreign = await startSimulator();
});
afterEach(() => {
	expectNoCredentialsInUrls(sim);
	sim.reset();
	foreign.reset();
});
afterAll(async () => {
	expectNoSecrets(seen);
	await sim.close();
	await foreign.close();
});

describe('Submit URL', () => {
	it('outputs the analysis link as a MISP attribute tagged incomplete, one item per input', async () => {
		const result = await runNsxAta(sim, 'nsx-ata-submit-url.json', {
			items: [{ json: { url: 'https://one.example/' } }, { json: { url: FIXTURE_URL } }],
		});
		expect(result.status).toBe('success');
		const items = result.output('NSX ATA');
		record(items);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		const [fresh, cached] = items.map((item) => item.json);
		expect(fresh).toMatchObject({ status: 'incomplete', tag: INCOMPLETE, submitted: { type: 'url', url: 'https://one.example/' } });
		expect(fresh.analysisLink).toBe(link(fresh.taskUuid as string));
		expect(fresh.attribute).toEqual({
			type: 'link',
			category: 'External analysis',
			value: fresh.analysisLink,
			to_ids: false,
			comment: 'NSX ATA analysis of https://one.example/',
			Tag: [{ name: INCOMPLETE }],
		});
		expect(cached).toMatchObject({ taskUuid: FIXTURE_URL_TASK, status: 'complete', score: 72, tag: COMPLETE });
	});

	it('names the bad parameter and fails the node without Continue On Fail', async () => {
		const result = await runNsxAta(sim, 'nsx-ata-submit-url.json', {
			items: [{ json: { url: 'https://ok.example/' } }, { json: { url: 'ftp://files.example/x' } }],
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/"URL" parameter is not an http\(s\) URL/);
		record(result.error?.message);
	});

	it('keeps every other item and turns the bad one into an error item with Continue On Fail', async () => {
		const result = await runNsxAta(sim, 'nsx-ata-submit-url.json', {
			continueOnFail: true,
			items: [{ json: { url: 'https://a.example/' } }, { json: { url: 'not a url' } }, { json: { url: 'https://b.example/' } }],
		});
		expect(result.status).toBe('success');
		const items = nodeOutput(result);
		record(items);
		expect(items).toHaveLength(3);
		expect(items[1]).toMatchObject({ url: 'not a url', error: expect.stringMatching(/"URL" parameter/) });
		expect(items[0].status).toBe('incomplete');
		expect(items[2].status).toBe('incomplete');
		expect(routeCount('analysis/submit/url')).toBe(2);
	});

	it('sends Push to Portal Account as the account name, and nothing when it is empty', async () => {
		const runWith = (account: string) =>
			runNsxAta(sim, 'nsx-ata-submit-url.json', {
				items: [{ json: { url: `https://push-${account.length}.example/` } }],
				parameters: { options: { pushToPortalAccount: account } },
			});
		expect((await runWith(' soc-team@example.com ')).status).toBe('success');
		expect((await runWith('')).status).toBe('success');
		const [named, empty] = sim.requests.filter((r) => r.route === 'analysis/submit/url');
		expect(named.fields.push_to_portal_account).toBe('soc-team@example.com');
		expect(empty.fields).not.toHaveProperty('push_to_portal_account');
	});
});

describe('Submit File', () => {
	const fileItem = (content: Buffer, fileName = 'sample.exe') => ({
		json: {},
		binary: { data: { data: content.toString('base64'), mimeType: 'application/octet-stream', fileName } },
	});

	it('uploads a new file from a binary field', async () => {
		const content = randomBytes(4096);
		const result = await runNsxAta(sim, 'nsx-ata-submit-file.json', { items: [fileItem(content, 'invoice.doc')] });
		expect(result.status).toBe('success');
		const [item] = nodeOutput(result);
		record(item);
		expect(item).toMatchObject({ status: 'incomplete', submitted: { type: 'file', fileName: 'invoice.doc', size: 4096, reusedExistingAnalysis: false } });
		const [upload] = sim.requests.filter((r) => r.route === 'analysis/submit/file');
		expect(upload.files[0].size).toBe(4096);
		expect(upload.fields.filename).toBe('invoice.doc');
	});

	it('pushes an upload to the named portal account', async () => {
		const result = await runNsxAta(sim, 'nsx-ata-submit-file.json', {
			items: [fileItem(randomBytes(512))],
			parameters: { options: { pushToPortalAccount: 'analyst@example.com' } },
		});
		expect(result.status).toBe('success');
		const [upload] = sim.requests.filter((r) => r.route === 'analysis/submit/file');
		expect(upload.fields.push_to_portal_account).toBe('analyst@example.com');
	});

	it('reuses an existing analysis found by hash and uploads nothing', async () => {
		const content = randomBytes(1024);
		const taskUuid = sim.addTask({ kind: 'file', content, score: 91 });
		const result = await runNsxAta(sim, 'nsx-ata-submit-file.json', { items: [fileItem(content)] });
		const [item] = nodeOutput(result);
		expect(item).toMatchObject({ taskUuid, status: 'complete', score: 91, submitted: { reusedExistingAnalysis: true } });
		expect(routeCount('analysis/submit/file')).toBe(0);
	});

	it('uploads anyway when the hash look-up is off and reports a cached analysis as complete', async () => {
		const content = randomBytes(1024);
		const taskUuid = sim.addTask({ kind: 'file', content, score: 40 });
		const result = await runNsxAta(sim, 'nsx-ata-submit-file.json', {
			items: [fileItem(content)],
			parameters: { lookUpHashFirst: false },
		});
		expect(nodeOutput(result)[0]).toMatchObject({ taskUuid, status: 'complete', score: 40 });
		expect(routeCount('analysis/submit/file')).toBe(1);
		expect(routeCount('analysis/query/file_hash')).toBe(0);
	});

	it('fails clearly when the binary field is missing', async () => {
		const result = await runNsxAta(sim, 'nsx-ata-submit-file.json', { items: [{ json: {} }], continueOnFail: true });
		expect(String(nodeOutput(result)[0].error)).toMatch(/binary/i);
	});
});

describe('Wait for Completion', () => {
	it('waits for a new analysis and outputs its MISP objects', async () => {
		const fast = await startSimulator({ completeAfterMs: 300 });
		try {
			const result = await runNsxAta(fast, 'nsx-ata-submit-url.json', {
				credentials: ataCredentials(fast),
				items: [{ json: { url: 'https://wait.example/a' } }, { json: { url: 'https://wait.example/b' } }],
				parameters: { waitForCompletion: true, pollIntervalSeconds: 1, maxWaitSeconds: 20 },
			});
			expect(result.status).toBe('success');
			const items = nodeOutput(result);
			record(items);
			expect(items).toHaveLength(2);
			for (const item of items) {
				expect(item).toMatchObject({ status: 'complete', tag: COMPLETE });
				expect((item.Object as IDataObject[]).length).toBeGreaterThan(0);
			}
			// Batched waiting: cursor polls for both items together, no per-task progress polling.
			expect(routeCount('analysis/get_progress', fast)).toBe(0);
			expect(routeCount('analysis/completed', fast)).toBeLessThan(8);
		} finally {
			await fast.close();
		}
	});

	it('outputs the analysis as incomplete when the maximum wait passes', async () => {
		const slow = await startSimulator({ completeAfterMs: 60_000 });
		try {
			const result = await runNsxAta(slow, 'nsx-ata-submit-url.json', {
				credentials: ataCredentials(slow),
				items: [{ json: { url: 'https://slow.example/' } }],
				parameters: { waitForCompletion: true, pollIntervalSeconds: 1, maxWaitSeconds: 1 },
			});
			expect(result.status).toBe('success');
			expect(nodeOutput(result)[0]).toMatchObject({ status: 'incomplete', tag: INCOMPLETE });
		} finally {
			await slow.close();
		}
	});
});

describe('Query', () => {
	// An attribute as the stock MISP node's attribute search returns it.
	const mispAttribute = (value: string) => ({
		id: '301',
		event_id: '12',
		object_id: '0',
		category: 'External analysis',
		type: 'link',
		uuid: '5b0c2c1e-7a6b-4b8e-9d3c-1f2e3d4c5b6a',
		value,
		Tag: [{ id: '7', name: INCOMPLETE }],
	});

	it('expands a MISP link attribute into objects and carries event_id and the attribute forward', async () => {
		const result = await runNsxAta(sim, 'nsx-ata-query.json', { items: [{ json: mispAttribute(link(FIXTURE_FILE_TASK)) }] });
		expect(result.status).toBe('success');
		const [item] = nodeOutput(result);
		record(item);
		expect(item).toMatchObject({
			event_id: '12',
			sourceAttribute: { id: '301', uuid: '5b0c2c1e-7a6b-4b8e-9d3c-1f2e3d4c5b6a' },
			taskUuid: FIXTURE_FILE_TASK,
			status: 'complete',
			tag: COMPLETE,
			score: 100,
		});
		const names = (item.Object as IDataObject[]).map((object) => object.name);
		expect(names).toEqual(expect.arrayContaining(['file', 'sandbox-report', 'domain-ip', 'process']));
		expect((item.Tag as IDataObject[]).map((tag) => tag.name)).toEqual(
			expect.arrayContaining(['misp-galaxy:mitre-attack-pattern="Process Injection - T1055"', 'av-fam:synthloader']),
		);
	});

	it('works with the Portal credential alone', async () => {
		const result = await runNsxAta(sim, 'nsx-ata-query.json', {
			items: [{ json: mispAttribute(link(FIXTURE_URL_TASK)) }],
			parameters: { authentication: 'portalApi' },
		});
		expect(result.status).toBe('success');
		expect(nodeOutput(result)[0]).toMatchObject({ status: 'complete', score: 72 });
		expect(routeCount('papi/login')).toBe(1);
		expect(routeCount('authentication/login')).toBe(0);
	});

	it('outputs an unfinished analysis as incomplete, or fails it when asked', async () => {
		const pending = sim.addTask({ kind: 'url', url: 'https://pending.example/', state: 'pending' });
		const incomplete = await runNsxAta(sim, 'nsx-ata-query.json', { items: [{ json: mispAttribute(link(pending)) }] });
		expect(nodeOutput(incomplete)[0]).toMatchObject({ status: 'incomplete', tag: INCOMPLETE, event_id: '12' });
		const failed = await runNsxAta(sim, 'nsx-ata-query.json', {
			items: [{ json: mispAttribute(link(pending)) }],
			parameters: { ifNotFinished: 'fail' },
		});
		expect(failed.error?.message).toMatch(/has not finished yet/);
	});

	it('refuses a link to a foreign host before any request, and the foreign host sees nothing', async () => {
		const result = await runNsxAta(sim, 'nsx-ata-query.json', {
			continueOnFail: true,
			items: [
				{ json: mispAttribute(link(FIXTURE_FILE_TASK, foreign.portalUrl)) },
				{ json: mispAttribute(`https://user.lastline.com.evil.example/portal#/analyst/task/${FIXTURE_FILE_TASK}/overview`) },
				{ json: mispAttribute(link(FIXTURE_FILE_TASK)) },
			],
		});
		const items = nodeOutput(result);
		record(items);
		expect(items[0].error).toMatch(/not at the configured portal/);
		expect(items[1].error).toMatch(/it was not used/);
		expect(items[2].status).toBe('complete');
		expect(foreign.requests).toHaveLength(0);
		// Only the good item reached the configured host.
		expect(routeCount('analysis/get_progress')).toBe(1);
	});

	it.each([
		['objectItems', (items: IDataObject[]) => {
			expect(items.length).toBeGreaterThan(5);
			expect(items.every((item) => item.event_id === '12' && (item.Object as IDataObject).name)).toBe(true);
		}],
		['event', (items: IDataObject[]) => {
			expect(items).toHaveLength(1);
			expect((items[0].Event as IDataObject).Object).toBeDefined();
		}],
		['moduleResults', (items: IDataObject[]) => {
			expect(Object.keys(items[0].results as IDataObject).sort()).toEqual(['Attribute', 'Object', 'Tag']);
		}],
	])('outputs the %s shape', async (shape, check) => {
		const result = await runNsxAta(sim, 'nsx-ata-query.json', {
			items: [{ json: mispAttribute(link(FIXTURE_FILE_TASK)) }],
			parameters: { options: { output: shape, includeRawReport: true } },
		});
		const items = nodeOutput(result);
		check(items);
		expect(items[0].report).toMatchObject({ task_uuid: FIXTURE_FILE_TASK });
	});
});

describe('Import, Get Status, Look Up Hash', () => {
	it('imports an analysis typed in as a link into a complete events/add body', async () => {
		const result = await runNsxAta(sim, 'nsx-ata-import.json', { items: [{ json: { link: link(FIXTURE_FILE_TASK) } }] });
		const [item] = nodeOutput(result);
		record(item);
		const event = item.Event as IDataObject;
		expect(event.info).toMatch(/NSX ATA analysis of/);
		expect((event.Object as IDataObject[]).length).toBeGreaterThan(10);
		expect((event.Attribute as IDataObject[])[0]).toMatchObject({ type: 'link', value: link(FIXTURE_FILE_TASK) });
	});

	it('reads the status of an analysis', async () => {
		const pending = sim.addTask({ kind: 'url', url: 'https://status.example/', state: 'pending' });
		const result = await runNsxAta(sim, 'nsx-ata-import.json', {
			items: [{ json: {} }, { json: {} }],
			parameters: { operation: 'getStatus', statusLink: `={{ $itemIndex === 0 ? '${FIXTURE_FILE_TASK}' : '${pending}' }}` },
		});
		const items = nodeOutput(result);
		expect(items[0]).toMatchObject({ status: 'complete', progress: 100 });
		expect(items[1]).toMatchObject({ status: 'incomplete' });
	});

	it('looks up a hash without uploading anything', async () => {
		const result = await runNsxAta(sim, 'nsx-ata-import.json', {
			items: [{ json: {} }],
			parameters: { operation: 'lookUpHash', hash: '4095d60cb61d1ac1da9b10a50fb568c1' },
		});
		const [item] = nodeOutput(result);
		expect(item).toMatchObject({ found: true, latest: { taskUuid: FIXTURE_FILE_TASK, score: 100, status: 'complete' } });
		expect(routeCount('analysis/submit/file')).toBe(0);
	});
});

describe('200-item batches under faults', () => {
	const faults = [
		{ kind: 'http429', rate: 0.2, retryAfterSeconds: 0 },
		{ kind: 'http500', rate: 0.15 },
		{ kind: 'http503', rate: 0.15 },
		{ kind: 'sessionExpired', rate: 0.1 },
		{ kind: 'reset', rate: 0.1 },
	] as const;

	it.each(faults)('every item comes out exactly once with $kind', async (fault) => {
		sim.injectFault({ route: 'analysis/submit/url', ...fault });
		const urls = Array.from({ length: 200 }, (_, i) => `https://batch.example/${fault.kind}/${i}`);
		const result = await runNsxAta(sim, 'nsx-ata-submit-url.json', {
			continueOnFail: true,
			items: urls.map((url) => ({ json: { url } })),
		});
		expect(result.status).toBe('success');
		const items = result.output('NSX ATA');
		record(items.map((item) => item.json));
		expect(items).toHaveLength(200);
		expect(items.map((item) => item.pairedItem)).toEqual(urls.map((_, item) => ({ item })));
		for (const [index, item] of items.entries()) {
			const json = item.json;
			expect(json.error === undefined ? (json.submitted as IDataObject).url : json.url).toBe(urls[index]);
		}
		// Each URL was analysed once: repeats after unknown outcomes were answered from the cache.
		const tasksPerUrl = new Map<string, Set<string>>();
		for (const submission of sim.submissions) {
			const set = tasksPerUrl.get(submission.contentKey) ?? new Set();
			set.add(submission.taskUuid);
			tasksPerUrl.set(submission.contentKey, set);
		}
		expect([...tasksPerUrl.values()].every((set) => set.size === 1)).toBe(true);
	});
});
