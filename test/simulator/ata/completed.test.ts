import type { AtaSimulator } from '../../../simulator/ata';
import { analystSession, ATA_TIME, type WireSession } from './ataWire';
import { simulatorOnly, startTarget } from './target';

const START = Date.UTC(2026, 4, 10, 12, 0, 0);
const FIXTURES = ['3f2c9a7d41b800101a7e5c2d9b04e6f1', 'b71e04c2a95d0010237f8e61c4d0a9b3'];
const format = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

describe('ATA simulator: analysis/completed cursor', () => {
	let simulator: AtaSimulator;
	let session: WireSession;
	let now = START;

	beforeAll(async () => {
		simulator = await startTarget({ completedPageSize: 3, clock: () => now });
	});
	afterAll(() => simulator.close());
	beforeEach(async () => {
		now = START;
		simulator.reset();
		session = await analystSession(simulator);
	});

	const completed = (query: Record<string, string>) =>
		session.call('GET', '/analysis/completed.json', { query });

	it('answers the clock probe with exactly the cursor fields, no tasks, and the server time as before', async () => {
		for (const [includeScore, empty] of [
			['1', {}],
			['0', []],
		] as const) {
			const probe = await completed({ after: '2039-12-31 23:59:59', include_score: includeScore });
			expect(probe.status).toBe(200);
			expect(probe.json.success).toBe(1);
			expect(Object.keys(probe.json.data).sort()).toEqual([
				'after',
				'before',
				'more_results_available',
				'resume',
				'tasks',
			]);
			expect(probe.json.data.tasks).toEqual(empty);
			expect(probe.json.data.before).toMatch(ATA_TIME);
			expect(probe.json.data.before < '2039-12-31 23:59:59').toBe(true);
		}
	});

	simulatorOnly('answers the clock probe (after in the future) with before = server now and {} tasks', async () => {
		const probe = await completed({ after: '2039-12-31 23:59:59', include_score: '1' });
		expect(probe.json).toEqual({
			success: 1,
			data: {
				tasks: {},
				after: '2039-12-31 23:59:59',
				before: format(START),
				resume: format(START),
				more_results_available: 0,
			},
		});
		const listProbe = await completed({ after: '2039-12-31 23:59:59', include_score: '0' });
		expect(listProbe.json.data.tasks).toEqual([]);
	});

	simulatorOnly('returns exactly {tasks, after, before, resume, more_results_available}; list without scores, object with', async () => {
		const withScores = await completed({ after: '2024-01-01 00:00:00', include_score: '1' });
		expect(Object.keys(withScores.json.data).sort()).toEqual([
			'after',
			'before',
			'more_results_available',
			'resume',
			'tasks',
		]);
		expect(withScores.json.data.tasks).toEqual({ [FIXTURES[0]]: 100, [FIXTURES[1]]: 72 });
		const list = await completed({ after: '2024-01-01 00:00:00', include_score: '0' });
		expect(list.json.data.tasks).toEqual(FIXTURES);
		const tau = await completed({ after: '2024-01-01 00:00:00', include_score: 'False' });
		expect(tau.json.data.tasks).toEqual(FIXTURES);
		expect(list.json.data.before).toMatch(ATA_TIME);
		expect(list.json.data.more_results_available).toBe(0);
	});

	simulatorOnly('lists a task once it completes, with its completion time, and not before', async () => {
		const uuid = simulator.addTask({
			kind: 'url',
			url: 'http://later.example.com/',
			state: 'pending',
		});
		const cursor = format(now);
		now += 5_000;
		expect((await completed({ after: cursor, include_score: '1' })).json.data.tasks).toEqual({});
		simulator.completeTask(uuid);
		now += 1_000;
		const page = await completed({ after: cursor, include_score: '1' });
		expect(Object.keys(page.json.data.tasks)).toEqual([uuid]);
		const afterCompletion = await completed({ after: page.json.data.resume, include_score: '1' });
		expect(afterCompletion.json.data.tasks).toEqual({});
	});

	simulatorOnly('a task completing in the current second is left for the next window, never lost', async () => {
		const cursor = format(now);
		now += 2_000;
		const uuid = simulator.addTask({ kind: 'url', url: 'http://edge.example.com/' });
		const sameSecond = await completed({ after: cursor, include_score: '0' });
		expect(sameSecond.json.data.tasks).toEqual([]);
		now += 1_000;
		const next = await completed({ after: sameSecond.json.data.before, include_score: '0' });
		expect(next.json.data.tasks).toEqual([uuid]);
	});

	/** Completes `count` tasks, `perSecond` of them in each second, starting one second after START. */
	function completeMany(count: number, perSecond: number): string[] {
		const uuids: string[] = [];
		for (let i = 0; i < count; i++) {
			now = START + 1_000 * (1 + Math.floor(i / perSecond)) + (i % perSecond);
			uuids.push(simulator.addTask({ kind: 'url', url: `http://page-${i}.example.com/` }));
		}
		now += 10_000;
		return uuids;
	}

	async function follow(
		cursorField: 'resume' | 'before',
		includeScore: '0' | '1',
	): Promise<{ seen: string[]; pages: number }> {
		const seen: string[] = [];
		let after = format(START);
		let pages = 0;
		for (;;) {
			const page = await completed({ after, include_score: includeScore });
			pages++;
			const tasks = page.json.data.tasks;
			seen.push(...(Array.isArray(tasks) ? tasks : Object.keys(tasks)));
			if (!page.json.data.more_results_available) return { seen, pages };
			after = page.json.data[cursorField];
			if (pages > 20) throw new Error('cursor did not advance');
		}
	}

	simulatorOnly('pages with more_results_available: official clients resume from `resume`, tau from `before`, no loss or repeat', async () => {
		const uuids = completeMany(10, 1);
		for (const [field, includeScore] of [
			['resume', '0'],
			['before', '1'],
		] as const) {
			const { seen, pages } = await follow(field, includeScore);
			expect(seen).toEqual(uuids);
			expect(pages).toBe(4); // page size 3
		}
	});

	simulatorOnly('never splits a second across pages, even when several tasks complete in it', async () => {
		const uuids = completeMany(9, 2);
		const first = await completed({ after: format(START), include_score: '0' });
		expect(first.json.data.tasks).toEqual(uuids.slice(0, 2)); // the third task shares its second with the fourth
		expect(first.json.data.more_results_available).toBe(1);
		expect(first.json.data.resume).toBe(format(START + 2_000));
		expect((await follow('resume', '0')).seen).toEqual(uuids);
	});

	simulatorOnly('returns a second holding more than a page of tasks whole rather than stalling', async () => {
		const uuids = completeMany(5, 5);
		const first = await completed({ after: format(START), include_score: '0' });
		expect(first.json.data.tasks).toEqual(uuids);
		expect(first.json.data.more_results_available).toBe(0);
	});

	simulatorOnly('honours an explicit before, caps it at server now, and refuses malformed cursors', async () => {
		const uuids = completeMany(3, 1);
		const bounded = await completed({
			after: format(START),
			before: format(START + 3_000),
			include_score: '0',
		});
		expect(bounded.json.data.tasks).toEqual(uuids.slice(0, 2));
		expect(bounded.json.data.before).toBe(format(START + 3_000));
		const future = await completed({
			after: format(START),
			before: '2040-01-01 00:00:00',
			include_score: '0',
		});
		expect(future.json.data.before).toBe(format(now));
		expect(future.json.data.tasks).toEqual(uuids);
		const bad = await completed({ after: 'yesterday', include_score: '0' });
		expect(bad.json.success).toBe(0);
		const missing = await session.call('GET', '/analysis/completed.json', {
			query: { include_score: '0' },
		});
		expect(missing.json.error).toContain('after');
	});
});
