/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { startAtaSimulator, type AtaSimulator, type FaultSpec } from '../../../simulator/ata';
import { analystSession, WireSession } from './ataWire';
import { describeSimulator } from './target';

const FILE_TASK = '3f2c9a7d41b800101a7e5c2d9b04e6f1';
const fixture = (name: string) =>
	JSON.parse(
		readFileSync(join(__dirname, '../../../simulator/ata/fixtures', `${name}.json`), 'utf8'),
	);

describeSimulator('ATA simulator: fault injection', () => {
	let simulator: AtaSimulator;
	let session: WireSession;

	beforeAll(async () => {
		simulator = await startAtaSimulator({ seed: 3 });
	});
	afterAll(() => simulator.close());
	beforeEach(async () => {
		simulator.reset();
		session = await analystSession(simulator);
	});

	const progress = () =>
		session.call('GET', '/analysis/get_progress.json', { query: { uuid: FILE_TASK } });
	const submitUrl = (url: string, headersTimeout?: number) =>
		session.call('POST', '/analysis/submit/url.json', {
			form: { url },
			...(headersTimeout !== undefined ? { headersTimeout } : {}),
		});

	it('http429 answers 429 with Retry-After for `times` requests, then the service recovers', async () => {
		simulator.injectFault({
			route: 'analysis/submit/url',
			kind: 'http429',
			times: 2,
			retryAfterSeconds: 3,
		});
		for (let i = 0; i < 2; i++) {
			const refused = await submitUrl('http://busy.example.com/');
			expect(refused.status).toBe(429);
			expect(refused.headers['retry-after']).toBe('3');
			expect(refused.json.success).toBe(0);
		}
		expect(simulator.submissions).toHaveLength(0);
		expect((await submitUrl('http://busy.example.com/')).status).toBe(200);
		expect(simulator.submissions).toHaveLength(1);
		expect(simulator.requests.slice(1).map((record) => [record.status, record.fault])).toEqual([
			[429, 'http429'],
			[429, 'http429'],
			[200, undefined],
		]);
	});

	it('only the named route is affected; `*` and `.json`-suffixed names match too', async () => {
		simulator.injectFault({ route: 'analysis/get', kind: 'http500' });
		expect((await progress()).status).toBe(200);
		expect(
			(await session.call('GET', '/analysis/get.json', { query: { uuid: FILE_TASK } })).status,
		).toBe(500);
		simulator.clearFaults();
		simulator.injectFault({ route: '/analysis/get_progress.json', kind: 'http503', times: 1 });
		simulator.injectFault({ route: '*', kind: 'http500', times: 1 });
		const unavailable = await progress();
		expect(unavailable.status).toBe(503);
		expect(unavailable.headers['retry-after']).toBeUndefined();
		expect((await progress()).status).toBe(500); // the first fault is used up, the wildcard fires
		expect((await progress()).status).toBe(200);
	});

	it('http503 carries Retry-After when asked; http500 and http503 keep a JSON error body', async () => {
		simulator.injectFault({ route: '*', kind: 'http503', times: 1, retryAfterSeconds: 7 });
		const unavailable = await progress();
		expect(unavailable.headers['retry-after']).toBe('7');
		expect(unavailable.json).toMatchObject({ success: 0, error: expect.any(String) });
	});

	it('error107 and error115 are HTTP 200 API errors and the submission does not happen', async () => {
		simulator.injectFault({ route: 'analysis/submit/url', kind: 'error107', times: 1 });
		simulator.injectFault({ route: 'analysis/submit/url', kind: 'error115', times: 1 });
		const temporarily = await submitUrl('http://quota.example.com/');
		expect(temporarily.status).toBe(200);
		expect(temporarily.json).toMatchObject({ success: 0, error_code: 107 });
		const limit = await submitUrl('http://quota.example.com/');
		expect(limit.json).toEqual(fixture('error-submission-limit'));
		expect(simulator.submissions).toHaveLength(0);
	});

	it("sessionExpired answers 122 and really drops that session, not other clients' sessions", async () => {
		const other = await analystSession(simulator);
		simulator.injectFault({ route: 'analysis/get_progress', kind: 'sessionExpired', times: 1 });
		expect((await progress()).json).toMatchObject({ success: 0, error_code: 122 });
		expect((await progress()).json.error_code).toBe(122);
		expect(
			(await other.call('GET', '/analysis/get_progress.json', { query: { uuid: FILE_TASK } })).json
				.success,
		).toBe(1);
		await session.loginAnalyst(simulator);
		expect((await progress()).json.success).toBe(1);
	});

	it('reset before processing: connection dropped, nothing submitted', async () => {
		simulator.injectFault({ route: 'analysis/submit/url', kind: 'reset', times: 1 });
		await expect(submitUrl('http://reset.example.com/')).rejects.toThrow();
		expect(simulator.submissions).toHaveLength(0);
		expect((await submitUrl('http://reset.example.com/')).json.success).toBe(1);
	});

	it('reset after processing: connection dropped, but the submission took effect', async () => {
		simulator.injectFault({
			route: 'analysis/submit/url',
			kind: 'reset',
			phase: 'after',
			times: 1,
		});
		await expect(submitUrl('http://reset-after.example.com/')).rejects.toThrow();
		expect(simulator.submissionCount('http://reset-after.example.com/')).toBe(1);
		const retry = await submitUrl('http://reset-after.example.com/');
		expect(retry.json.data.task_uuid).toBe(simulator.submissions[0].taskUuid);
		expect(simulator.submissions[1].cached).toBe(true);
	});

	it('gatewayHtml serves an nginx HTML page with 502 by default or 504', async () => {
		simulator.injectFault({ route: '*', kind: 'gatewayHtml', times: 1 });
		simulator.injectFault({ route: '*', kind: 'gatewayHtml', status: 504, times: 1 });
		const badGateway = await progress();
		expect(badGateway.status).toBe(502);
		expect(badGateway.headers['content-type']).toBe('text/html');
		expect(badGateway.text).toContain('<center>nginx</center>');
		expect(badGateway.json).toBeUndefined();
		const timeout = await progress();
		expect(timeout.status).toBe(504);
		expect(timeout.text).toContain('504 Gateway Time-out');
	});

	it('gatewayHtml after processing: the submission happened behind the gateway error', async () => {
		simulator.injectFault({
			route: 'analysis/submit/url',
			kind: 'gatewayHtml',
			phase: 'after',
			status: 504,
			times: 1,
		});
		expect((await submitUrl('http://behind-gateway.example.com/')).status).toBe(504);
		expect(simulator.submissions).toHaveLength(1);
	});

	it('truncatedJson sends a 200 whose body is a strict prefix of the real answer', async () => {
		const whole = await progress();
		simulator.injectFault({ route: 'analysis/get_progress', kind: 'truncatedJson', times: 1 });
		const cut = await progress();
		expect(cut.status).toBe(200);
		expect(cut.json).toBeUndefined();
		expect(cut.text.length).toBeGreaterThan(0);
		expect(cut.text.length).toBeLessThan(whole.text.length);
		expect(whole.text.startsWith(cut.text)).toBe(true);
		expect(() => JSON.parse(cut.text)).toThrow();
	});

	it('slowBody dribbles the real answer in chunks at the given interval', async () => {
		const whole = await progress();
		simulator.injectFault({
			route: 'analysis/get_progress',
			kind: 'slowBody',
			chunkBytes: 10,
			chunkIntervalMs: 25,
			times: 1,
		});
		const started = Date.now();
		const slow = await progress();
		const chunks = Math.ceil(whole.text.length / 10);
		expect(slow.text).toBe(whole.text);
		expect(Date.now() - started).toBeGreaterThanOrEqual((chunks - 1) * 25 - 5);
	});

	it('timeout never answers; with phase after the submission still took effect', async () => {
		simulator.injectFault({ route: 'analysis/get_progress', kind: 'timeout', times: 1 });
		await expect(
			session.call('GET', '/analysis/get_progress.json', {
				query: { uuid: FILE_TASK },
				headersTimeout: 200,
			}),
		).rejects.toThrow(/timeout/i);
		simulator.injectFault({
			route: 'analysis/submit/url',
			kind: 'timeout',
			phase: 'after',
			times: 1,
		});
		await expect(submitUrl('http://silent.example.com/', 200)).rejects.toThrow(/timeout/i);
		expect(simulator.submissionCount('http://silent.example.com/')).toBe(1);
		expect((await progress()).status).toBe(200);
	});

	it('latency faults delay the answer (they add up) and then let the request through', async () => {
		simulator.injectFault({
			route: 'analysis/get_progress',
			kind: 'latency',
			latencyMs: 120,
			times: 1,
		});
		simulator.injectFault({ route: '*', kind: 'latency', latencyMs: 80, times: 1 });
		const started = Date.now();
		const answer = await progress();
		expect(Date.now() - started).toBeGreaterThanOrEqual(195);
		expect(answer.json.success).toBe(1);
		expect(simulator.requests[1].fault).toBeUndefined();
	});

	it('rate-based faults fire on a deterministic, seed-driven subset of requests', async () => {
		const pattern = async (target: AtaSimulator) => {
			const client = await analystSession(target);
			target.injectFault({ route: 'analysis/get_progress', kind: 'http500', rate: 0.3 });
			const statuses: number[] = [];
			for (let i = 0; i < 40; i++)
				statuses.push(
					(await client.call('GET', '/analysis/get_progress.json', { query: { uuid: FILE_TASK } }))
						.status,
				);
			return statuses;
		};
		const twin = await startAtaSimulator({ seed: 3 });
		try {
			const first = await pattern(simulator);
			const second = await pattern(twin);
			expect(second).toEqual(first);
			const failures = first.filter((status) => status === 500).length;
			expect(failures).toBeGreaterThan(3);
			expect(failures).toBeLessThan(25);
		} finally {
			await twin.close();
		}
	});

	it('refuses fault specs it cannot honour', () => {
		expect(() =>
			simulator.injectFault({ route: '*', kind: 'nonsense' } as unknown as FaultSpec),
		).toThrow(/Unknown fault kind/);
		expect(() => simulator.injectFault({ route: '*', kind: 'http429', phase: 'after' })).toThrow(
			/before processing/,
		);
		expect(() =>
			simulator.injectFault({ route: '*', kind: 'truncatedJson', phase: 'before' }),
		).toThrow(/after processing/);
		expect(() => simulator.injectFault({ route: '*', kind: 'http500', rate: 2 })).toThrow(/rate/);
	});
});

describe('ATA simulator: server-side limits for benchmarks', () => {
	it('concurrencyCap answers 429 + Retry-After to requests beyond N in flight', async () => {
		const simulator = await startAtaSimulator({ concurrencyCap: 2 });
		try {
			const session = await analystSession(simulator);
			simulator.injectFault({ route: 'analysis/get_progress', kind: 'latency', latencyMs: 300 });
			const answers = await Promise.all(
				Array.from({ length: 5 }, () =>
					session.call('GET', '/analysis/get_progress.json', { query: { uuid: FILE_TASK } }),
				),
			);
			const statuses = answers.map((answer) => answer.status).sort();
			expect(statuses).toEqual([200, 200, 429, 429, 429]);
			for (const answer of answers.filter((candidate) => candidate.status === 429))
				expect(answer.headers['retry-after']).toBe('1');
			expect(simulator.requests.filter((record) => record.fault === 'concurrencyCap')).toHaveLength(
				3,
			);
		} finally {
			await simulator.close();
		}
	});

	it('latencyMs delays every answer', async () => {
		const simulator = await startAtaSimulator({ latencyMs: 100 });
		try {
			const session = new WireSession(simulator.url);
			const started = Date.now();
			await session.loginAnalyst(simulator);
			await session.call('GET', '/analysis/get_progress.json', { query: { uuid: FILE_TASK } });
			expect(Date.now() - started).toBeGreaterThanOrEqual(195);
		} finally {
			await simulator.close();
		}
	});
});
