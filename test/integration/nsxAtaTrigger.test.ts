/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/**
 * The polling trigger through n8n-core's real poll context: each completed analysis is emitted
 * exactly once across polls and restarts (static data carried from poll to poll), across pages.
 */
import { join } from 'node:path';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { pollTrigger, readWorkflow } from '../../dev/engine';
import type { AtaSimulator } from '../../simulator/ata';
import { expectNoCredentialsInUrls, startSimulator } from '../support/ataClients';
import { ataCredentials } from '../support/nodeRuns';

const TRIGGER = 'NSX ATA Trigger';
let sim: AtaSimulator;
// The simulator's clock, moved by the tests: completions spread over seconds, no real waiting.
let now = Date.UTC(2026, 0, 1, 0, 0, 0);
const advance = (ms: number) => {
	now += ms;
};

function workflow(parameters: INodeParameters = {}) {
	const json = readWorkflow(join(__dirname, '..', 'workflows', 'nsx-ata-trigger.json'));
	json.nodes[0].parameters = { ...json.nodes[0].parameters, ...parameters };
	return json;
}

/** One scheduled poll of a freshly loaded workflow (as after a restart), with the saved static data. */
async function poll(staticData: IDataObject, parameters: INodeParameters = {}) {
	return await pollTrigger(workflow(parameters), TRIGGER, {
		mode: 'trigger',
		staticData,
		credentials: ataCredentials(sim),
	});
}

/** `count` analyses completing ten per second, then the clock moves past the last one. */
function completeTasks(count: number, from: number, score = (i: number) => i % 101): string[] {
	const tasks = Array.from({ length: count }, (_, i) => {
		advance(100);
		return sim.addTask({ kind: 'url', url: `https://done.example/${from + i}`, score: score(from + i) });
	});
	advance(2000);
	return tasks;
}

beforeEach(async () => {
	sim = await startSimulator({ completedPageSize: 100, clock: () => now });
});
afterEach(async () => {
	expectNoCredentialsInUrls(sim);
	await sim.close();
});

it('emits 250 completions over 3 polls exactly once each, following pages of 100', async () => {
	const first = await poll({});
	expect(first.items).toBeNull(); // activation only fixes the cursor at the server's clock

	const batchA = completeTasks(120, 0);
	const second = await poll(first.staticData);
	const batchB = completeTasks(130, 120);
	const third = await poll(second.staticData);
	const fourth = await poll(third.staticData);

	const emitted = [second, third].flatMap((result) => (result.items?.[0] ?? []).map((item) => item.json.taskUuid));
	expect(emitted).toHaveLength(250);
	expect(new Set(emitted)).toEqual(new Set([...batchA, ...batchB]));
	expect(fourth.items).toBeNull();
	// Each poll followed two pages (100 + 20, 100 + 30), plus the activation's clock read and poll 4.
	expect(sim.requests.filter((r) => r.route === 'analysis/completed')).toHaveLength(6);
	const [item] = second.items![0];
	expect(item.json).toMatchObject({ status: 'complete', tag: 'workflow:state="complete"' });
	expect(item.json.analysisLink).toBe(`${sim.portalUrl}/portal#/analyst/task/${item.json.taskUuid}/overview`);
});

it('keeps its cursor when a poll fails, so nothing is lost', async () => {
	const first = await poll({});
	const tasks = completeTasks(5, 0);
	sim.injectFault({ route: 'analysis/get', kind: 'http500' });
	await expect(poll(first.staticData, { includeMispResults: true })).rejects.toThrow();
	sim.clearFaults();
	const retry = await poll(first.staticData, { includeMispResults: true });
	expect(retry.items![0].map((item) => item.json.taskUuid)).toEqual(tasks);
	expect((retry.items![0][0].json.Object as IDataObject[]).length).toBeGreaterThan(0);
});

it('filters by minimum score', async () => {
	const first = await poll({});
	completeTasks(10, 0, (i) => i * 10);
	const result = await poll(first.staticData, { minScore: 70 });
	expect(result.items![0].map((item) => item.json.score)).toEqual([70, 80, 90]);
});

it('fetches a sample analysis in a manual test run without moving the cursor', async () => {
	completeTasks(3, 0);
	const result = await pollTrigger(workflow(), TRIGGER, {
		mode: 'manual',
		staticData: {},
		credentials: ataCredentials(sim),
	});
	expect(result.items![0]).toHaveLength(1);
	expect(result.items![0][0].json).toMatchObject({ status: 'complete', analysisLink: expect.stringContaining('/portal#/analyst/task/') });
	expect(JSON.stringify(result.staticData)).not.toMatch(/cursor/);
});
