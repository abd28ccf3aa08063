import { pollTrigger, runWorkflow } from '../../dev/engine';
import { LoopbackServer } from './loopbackServer';
import { chain, FIXTURE_PACKAGE, FIXTURE_PREFIX, workflow } from './workflowBuilder';

describe('polling triggers', () => {
	let server: LoopbackServer;
	const events: Array<{ id: number; verdict: string }> = [];

	beforeEach(async () => {
		events.length = 0;
		server = await new LoopbackServer().start();
		server.route('GET /events', (request, response) => {
			const since = Number(new URL(request.path, server.baseUrl).searchParams.get('since'));
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end(JSON.stringify({ events: events.filter((event) => event.id > since) }));
		});
	});

	afterEach(async () => {
		await server.stop();
	});

	const pollWorkflow = () =>
		workflow(
			'poll',
			[
				{
					name: 'Counter Poll',
					type: `${FIXTURE_PREFIX}.counterPoll`,
					typeVersion: 1,
					parameters: { url: `${server.baseUrl}/events` },
				},
				{ name: 'After', type: 'n8n-nodes-base.noOp', typeVersion: 1 },
			],
			chain('Counter Poll', 'After'),
		);

	it('keeps node static data across polls through the real poll context', async () => {
		events.push({ id: 1, verdict: 'benign' }, { id: 2, verdict: 'malicious' });
		const options = { mode: 'trigger' as const, packageDirs: [FIXTURE_PACKAGE] };

		const first = await pollTrigger(pollWorkflow(), 'Counter Poll', options);
		expect(first.items?.[0].map((item) => item.json.id)).toEqual([1, 2]);
		expect(first.staticData).toEqual({ 'node:Counter Poll': { lastId: 2 } });

		events.push({ id: 3, verdict: 'suspicious' });
		const second = await pollTrigger(pollWorkflow(), 'Counter Poll', {
			...options,
			staticData: first.staticData,
		});
		expect(second.items?.[0].map((item) => item.json)).toEqual([{ id: 3, verdict: 'suspicious' }]);
		expect(second.staticData).toEqual({ 'node:Counter Poll': { lastId: 3 } });

		const third = await pollTrigger(pollWorkflow(), 'Counter Poll', {
			...options,
			staticData: second.staticData,
		});
		expect(third.items).toBeNull();
		expect(third.staticData).toEqual(second.staticData);

		expect(server.requests.map((r) => r.path)).toEqual([
			'/events?since=0',
			'/events?since=2',
			'/events?since=3',
		]);
	});

	it('runs the poll node itself as the start of a manual execution', async () => {
		events.push({ id: 5, verdict: 'benign' });

		const result = await runWorkflow(pollWorkflow(), {
			packageDirs: [FIXTURE_PACKAGE],
			staticData: { 'node:Counter Poll': { lastId: 4 } },
		});

		expect(result.error).toBeUndefined();
		expect(result.output('After').map((item) => item.json.id)).toEqual([5]);
		expect(result.staticData).toEqual({ 'node:Counter Poll': { lastId: 5 } });
	});

	it('passes trigger items through a poll node in a production execution', async () => {
		const result = await runWorkflow(pollWorkflow(), {
			packageDirs: [FIXTURE_PACKAGE],
			triggerItems: [{ json: { id: 9, verdict: 'emitted' } }],
		});

		expect(result.mode).toBe('trigger');
		expect(server.requests).toHaveLength(0);
		expect(result.output('After').map((item) => item.json)).toEqual([{ id: 9, verdict: 'emitted' }]);
	});
});
