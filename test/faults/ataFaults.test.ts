/**
 * Fault matrix, ATA side: each fault the simulator injects, on 200-item batches through the NSX ATA
 * node in n8n's engine. Every input comes out exactly once (result or Continue On Fail error item),
 * nothing is analysed twice, a submission with Bypass Cache is never repeated after an unknown
 * outcome, failed items had no effect where the fault proves nothing happened, and every item
 * stays within the retry budget (attempt counts, never wall time).
 */
import type { IDataObject } from 'n8n-workflow';

import type { AtaSimulator } from '../../simulator/ata';
import { expectNoCredentialsInUrls, startSimulator } from '../support/ataClients';
import {
	ATA_FAULTS,
	batchUrls,
	expectOneItemPerInput,
	MAX_ATTEMPTS,
	queryBatch,
	submissionsByUrl,
	submitAttemptsByUrl,
	submitBatch,
} from './ataFaultCases';

let sim: AtaSimulator;

beforeAll(async () => {
	sim = await startSimulator({ reportSizeBytes: 4000 });
});
afterEach(() => {
	expectNoCredentialsInUrls(sim);
	sim.reset();
});
afterAll(async () => {
	await sim.close();
});

const failedUrls = (items: IDataObject[], urls: string[]) =>
	urls.filter((_, index) => items[index].error !== undefined);

/**
 * Recoverable faults leave no failed item. Quota (115) is final and never retried. A session the
 * simulator kills at random also kills it for the items sharing it; an item whose fresh session
 * is killed again at once is reported (the client re-logs in once per request), so those
 * failures are bounded by the kills and say what happened.
 */
function expectFailuresExplained(kind: string, json: IDataObject[]): void {
	const failed = json.filter((item) => item.error !== undefined);
	const fired = sim.requests.filter((request) => request.fault === kind).length;
	if (kind === 'error115') {
		expect(failed.length).toBeGreaterThan(0);
		for (const item of failed) expect(String(item.error)).toMatch(/115/);
	} else if (kind === 'sessionExpired') {
		expect(failed.length).toBeLessThanOrEqual(8 * fired);
		for (const item of failed) expect(String(item.error)).toMatch(/right after a fresh login/);
	} else {
		expect(failed).toEqual([]);
	}
}

describe.each(ATA_FAULTS)('Submit URL, 200 items, $name', (fault) => {
	it('cache on: every item once, one analysis per URL, failures left no trace, attempts bounded', async () => {
		sim.injectFault({ route: 'analysis/submit/url', ...fault.fault });
		const urls = batchUrls(`cache-${fault.name}`);
		const { items } = await submitBatch(sim, urls, false);
		expectOneItemPerInput(items, urls, 'url');
		const json = items.map((item) => item.json);
		const byUrl = submissionsByUrl(sim);
		for (const [index, url] of urls.entries()) {
			const entry = byUrl.get(url);
			// Repeats after an unknown outcome were answered from the cache: one analysis per URL.
			if (entry) expect(entry.tasks.size).toBe(1);
			if (json[index].error === undefined) expect(entry?.tasks.has(json[index].taskUuid as string)).toBe(true);
			else if (fault.noEffect) expect(entry).toBeUndefined();
		}
		expect(sim.requests.some((request) => request.fault === fault.fault.kind)).toBe(true);
		for (const attempts of submitAttemptsByUrl(sim).values()) expect(attempts).toBeLessThanOrEqual(2 * MAX_ATTEMPTS);
		expectFailuresExplained(fault.fault.kind, json);
	});

	it('Bypass Cache on: no URL is ever submitted twice', async () => {
		sim.injectFault({ route: 'analysis/submit/url', ...fault.fault });
		const urls = batchUrls(`bypass-${fault.name}`);
		const { items } = await submitBatch(sim, urls, true);
		expectOneItemPerInput(items, urls, 'url');
		const json = items.map((item) => item.json);
		const byUrl = submissionsByUrl(sim);
		for (const [index, url] of urls.entries()) {
			const entry = byUrl.get(url);
			expect(entry?.fresh ?? 0).toBeLessThanOrEqual(1);
			if (json[index].error === undefined) expect(entry?.tasks).toEqual(new Set([json[index].taskUuid]));
		}
		// An unknown outcome is reported, not repeated; the item says why.
		if (fault.unsafeToRepeat) expect(failedUrls(json, urls).length).toBeGreaterThan(0);
	});
});

describe('Submit URL, 200 items, timeout (no answer at all)', () => {
	// The node's Request Timeout (Limits) at 250 ms keeps the batch short; the retry rules are the node's.
	it.each([false, true])('bypass cache %s: each URL analysed once, never submitted twice with bypass', async (bypassCache) => {
		sim.injectFault({ route: 'analysis/submit/url', kind: 'timeout', rate: 0.1, phase: bypassCache ? 'after' : 'before' });
		const urls = batchUrls(`timeout-${bypassCache}`);
		const { items } = await submitBatch(sim, urls, bypassCache, { parameters: { limits: { requestTimeoutSeconds: 0.25 } } });
		expectOneItemPerInput(items, urls, 'url');
		const json = items.map((item) => item.json);
		const byUrl = submissionsByUrl(sim);
		for (const [index, url] of urls.entries()) {
			const entry = byUrl.get(url);
			if (entry) expect(entry.tasks.size).toBe(1);
			if (bypassCache) expect(entry?.fresh ?? 0).toBeLessThanOrEqual(1);
			if (json[index].error === undefined) expect(entry?.tasks.has(json[index].taskUuid as string)).toBe(true);
		}
		const failures = json.filter((item) => item.error !== undefined);
		if (bypassCache) {
			expect(failures.length).toBeGreaterThan(0);
			for (const failure of failures) expect(String(failure.error)).toMatch(/did not answer in time/);
		} else {
			expect(failures).toEqual([]);
		}
	});
});

describe.each(ATA_FAULTS.filter((fault) => fault.name !== 'reset after processing' && fault.fault.phase !== 'after'))(
	'Query, 200 items, $name on the report',
	(fault) => {
		it('every link comes out once with its own analysis, or as an error item', async () => {
			const tasks = Array.from({ length: 200 }, (_, i) =>
				sim.addTask({ kind: 'url', url: `https://query.example/${i}`, score: i % 100, reportSizeBytes: 4000 }),
			);
			const links = tasks.map((task) => `${sim.portalUrl}/portal#/analyst/task/${task}/overview`);
			sim.injectFault({ route: 'analysis/get', ...fault.fault });
			const { items } = await queryBatch(sim, links);
			expect(items).toHaveLength(200);
			expect(items.map((item) => item.pairedItem)).toEqual(links.map((_, item) => ({ item })));
			const json = items.map((item) => item.json);
			json.forEach((item, index) => {
				if (item.error === undefined) expect(item).toMatchObject({ taskUuid: tasks[index], status: 'complete', score: index % 100 });
				else expect(item.value).toBe(links[index]);
			});
			const perTask = new Map<string, number>();
			for (const request of sim.requests.filter((r) => r.route === 'analysis/get')) {
				perTask.set(request.fields.uuid ?? request.query.uuid, (perTask.get(request.fields.uuid ?? request.query.uuid) ?? 0) + 1);
			}
			for (const attempts of perTask.values()) expect(attempts).toBeLessThanOrEqual(2 * MAX_ATTEMPTS);
			expectFailuresExplained(fault.fault.kind, json);
		});
	},
);
