/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { startAtaSimulator, type AtaSimulator } from '../../../simulator/ata';
import {
	analystSession,
	ATA_TIME,
	FIXTURE_FILE_SHA256,
	portalSession,
	type WireSession,
} from './ataWire';
import { simulatorOnly, startTarget } from './target';

const FILE_TASK = '3f2c9a7d41b800101a7e5c2d9b04e6f1';
const URL_TASK = 'b71e04c2a95d0010237f8e61c4d0a9b3';
const fixture = (name: string) =>
	JSON.parse(
		readFileSync(join(__dirname, '../../../simulator/ata/fixtures', `${name}.json`), 'utf8'),
	);

async function submitUrl(session: WireSession, url: string): Promise<string> {
	const answer = await session.call('POST', '/analysis/submit/url.json', {
		form: { url, full_report_score: '-1' },
	});
	return answer.json.data.task_uuid;
}

describe('ATA simulator: progress, results, hash lookups and tags', () => {
	let simulator: AtaSimulator;
	let session: WireSession;

	beforeAll(async () => {
		simulator = await startTarget({ seed: 7, reportSizeBytes: 20_000 });
	});
	afterAll(() => simulator.close());
	beforeEach(async () => {
		simulator.reset();
		session = await analystSession(simulator);
	});

	simulatorOnly('with pollCountedCompletion (not the service), completes after N polls, official POST form and tau GET query alike', async () => {
		const polled = await startAtaSimulator({ pollCountedCompletion: 2 });
		try {
			const polledSession = await analystSession(polled);
			const uuid = await submitUrl(polledSession, 'http://poll.example.com/');
			const first = await polledSession.call('POST', '/analysis/get_progress.json', {
				form: { uuid },
			});
			expect(first.json.data.completed).toBe(0);
			const early = await polledSession.call('GET', '/analysis/get.json', {
				query: { uuid, include_scoring_components: '0' },
			});
			expect(early.status).toBe(200);
			expect(early.json).toMatchObject({ success: 0, error_code: 106 });
			const done = await polledSession.call('GET', '/analysis/get_progress.json', {
				query: { uuid },
			});
			expect(done.json).toEqual({ success: 1, data: { progress: 100, completed: 1 } });
			expect(polled.taskState(uuid)).toBe('complete');
		} finally {
			await polled.close();
		}
	});

	simulatorOnly('serves the report when full_report_score is absent (official) or 0 (tau), not for -1', async () => {
		const uuid = simulator.addTask({ kind: 'file', content: 'result sample', score: 85 });
		const official = await session.call('GET', '/analysis/get.json', {
			query: { uuid, include_scoring_components: '0' },
		});
		const tau = await session.call('GET', '/analysis/get.json', {
			query: { uuid, full_report_score: '0' },
		});
		const summary = await session.call('GET', '/analysis/get.json', {
			query: { uuid, full_report_score: '-1' },
		});
		expect(official.json.success).toBe(1);
		expect(official.json.data.score).toBe(85);
		expect(official.json.data.report.format.name).toBe('ll-int-win');
		expect(tau.json.data).toEqual(official.json.data);
		expect(summary.json.data.report).toBeUndefined();
		expect(summary.json.data.task_uuid).toBe(uuid);
		for (const activity of official.json.data.malicious_activity)
			expect(activity).toMatch(/^[A-Za-z]+: \S/);
		expect(official.json.data.analysis_subject).toMatchObject({
			sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
			mime_type: 'text/plain',
		});
	});

	simulatorOnly('serves the fixture result documents verbatim', async () => {
		for (const [uuid, name] of [
			[FILE_TASK, 'get-result-file-complete'],
			[URL_TASK, 'get-result-url-complete'],
		]) {
			const answer = await session.call('GET', '/analysis/get.json', {
				query: { uuid, full_report_score: '0' },
			});
			expect(answer.json).toEqual(fixture(name));
		}
	});

	it('answers error 105 on HTTP 200 for an unknown uuid, and an error for a missing one', async () => {
		const unknown = await session.call('GET', '/analysis/get.json', {
			query: { uuid: 'ffffffffffff0010ffffffffffffffff' },
		});
		expect(unknown.status).toBe(200);
		expect(unknown.json).toMatchObject({ success: 0, error_code: 105 });
		const missing = await session.call('GET', '/analysis/get_progress.json');
		expect(missing.json.success).toBe(0);
		expect(typeof missing.json.error).toBe('string');
	});

	simulatorOnly('answers 105 for an unknown uuid with the fixture text, and names a missing one', async () => {
		const unknown = await session.call('GET', '/analysis/get.json', {
			query: { uuid: 'ffffffffffff0010ffffffffffffffff' },
		});
		expect(unknown.json).toEqual(fixture('error-unknown-task-uuid'));
		const missing = await session.call('GET', '/analysis/get_progress.json');
		expect(missing.json.success).toBe(0);
		expect(missing.json.error).toBe("Missing required field 'uuid'.");
	});

	simulatorOnly('completes on the clock completeAfterMs after submission, polled or not; progress follows elapsed time', async () => {
		const start = Date.UTC(2026, 0, 5, 10, 0, 0);
		let now = start;
		const timed = await startAtaSimulator({ completeAfterMs: 40_000, clock: () => now });
		try {
			const timedSession = await analystSession(timed);
			const polledUuid = await submitUrl(timedSession, 'http://timed.example.com/');
			const unpolledUuid = await submitUrl(timedSession, 'http://nobody-asks.example.com/');
			const progress = async () =>
				(
					await timedSession.call('GET', '/analysis/get_progress.json', {
						query: { uuid: polledUuid },
					})
				).json.data;
			for (let i = 0; i < 5; i++) expect(await progress()).toEqual({ completed: 0, progress: 0 });
			now += 10_000;
			expect(await progress()).toEqual({ completed: 0, progress: 25 });
			now += 29_999;
			expect(await progress()).toEqual({ completed: 0, progress: 99 });
			now += 1;
			expect(await progress()).toEqual({ completed: 1, progress: 100 });
			// The task nobody polled is done too, and the cursor lists both at the scheduled second.
			now += 60_000;
			const completed = await timedSession.call('GET', '/analysis/completed.json', {
				query: { after: '2026-01-05 10:00:00', include_score: '0' },
			});
			expect(completed.json.data.tasks).toEqual([polledUuid, unpolledUuid]);
			expect(timed.taskState(unpolledUuid)).toBe('complete');
		} finally {
			await timed.close();
		}
	});

	simulatorOnly('a task due on the clock is complete for hash lookups and resubmissions too, with nobody having asked', async () => {
		let now = Date.UTC(2026, 0, 5, 10, 0, 0);
		const timed = await startAtaSimulator({ completeAfterMs: 5_000, clock: () => now });
		try {
			const timedSession = await analystSession(timed);
			const sample = Buffer.from('due on the clock');
			const upload = await timedSession.call('POST', '/analysis/submit/file.json', {
				multipart: { fields: [], files: [{ name: 'file', filename: 'due.bin', data: sample }] },
			});
			const url = 'http://due.example.com/';
			await submitUrl(timedSession, url);
			now += 5_000;
			const lookup = await timedSession.call('GET', '/analysis/query/file_hash.json', {
				query: { hash_value: createHash('sha256').update(sample).digest('hex') },
			});
			expect(lookup.json.data.tasks.map((task: { task_uuid: string }) => task.task_uuid)).toEqual([
				upload.json.data.task_uuid,
			]);
			const again = await timedSession.call('POST', '/analysis/submit/url.json', { form: { url } });
			expect(typeof again.json.data.score).toBe('number');
		} finally {
			await timed.close();
		}
	});

	simulatorOnly('spreads completion per task within completeSpreadMs, the same for the same seed', async () => {
		const now = Date.UTC(2026, 0, 5, 10, 0, 0);
		const finishTimes = async (seed: number) => {
			let clock = now;
			const spread = await startAtaSimulator({ seed, completeAfterMs: 1000, completeSpreadMs: 60_000, clock: () => clock });
			try {
				const spreadSession = await analystSession(spread);
				const uuids: string[] = [];
				for (let i = 0; i < 6; i++) uuids.push(await submitUrl(spreadSession, `http://spread-${i}.example.com/`));
				const finished = new Map<string, number>();
				for (let second = 0; second <= 61; second++) {
					clock = now + second * 1000;
					for (const uuid of uuids) if (!finished.has(uuid) && spread.taskState(uuid) === 'complete') finished.set(uuid, second);
				}
				return { uuids, seconds: uuids.map((uuid) => finished.get(uuid)) };
			} finally {
				await spread.close();
			}
		};
		const first = await finishTimes(11);
		expect(first.seconds.every((second) => second !== undefined && second >= 1 && second <= 61)).toBe(true);
		expect(new Set(first.seconds).size).toBeGreaterThan(1);
		expect(await finishTimes(11)).toEqual(first);
	});

	simulatorOnly('hands out different task uuids after a restart unless the seed is given', async () => {
		const firstUuid = async (seed?: number) => {
			const fresh = await startAtaSimulator(seed === undefined ? {} : { seed });
			try {
				return await submitUrl(await analystSession(fresh), 'http://restart.example.com/');
			} finally {
				await fresh.close();
			}
		};
		expect(await firstUuid()).not.toBe(await firstUuid());
		expect(await firstUuid(5)).toBe(await firstUuid(5));
	});

	simulatorOnly('hash lookup answers exactly {files_found, tasks}, latest task first, expires in YYYY-MM-DD HH:MM:SS', async () => {
		const found = await session.call('GET', '/analysis/query/file_hash.json', {
			query: { hash_value: FIXTURE_FILE_SHA256, hash_algorithm: 'sha256' },
		});
		expect(found.json).toEqual(fixture('query-file-hash-found'));
		const content = Buffer.from('looked up twice');
		const older = simulator.addTask({ kind: 'file', content, submittedAt: Date.UTC(2026, 0, 1) });
		const newer = simulator.addTask({ kind: 'file', content, submittedAt: Date.UTC(2026, 0, 2) });
		simulator.addTask({ kind: 'file', content, state: 'pending' });
		const sha1 = createHash('sha1').update(content).digest('hex');
		const both = await session.call('GET', '/analysis/query/file_hash.json', {
			query: { hash_value: sha1 },
		});
		expect(Object.keys(both.json.data).sort()).toEqual(['files_found', 'tasks']);
		expect(both.json.data.files_found).toBe(1);
		expect(both.json.data.tasks.map((task: { task_uuid: string }) => task.task_uuid)).toEqual([
			newer,
			older,
		]);
		for (const task of both.json.data.tasks) {
			expect(task.expires).toMatch(ATA_TIME);
			expect(Object.keys(task).sort()).toEqual([
				'expires',
				'file_md5',
				'file_sha1',
				'file_sha256',
				'score',
				'task_uuid',
			]);
		}
		const none = await session.call('GET', '/analysis/query/file_hash.json', {
			query: { hash_value: 'b'.repeat(32), hash_algorithm: 'md5' },
		});
		expect(none.json).toEqual(fixture('query-file-hash-not-found'));
		const wrongAlgorithm = await session.call('GET', '/analysis/query/file_hash.json', {
			query: { hash_value: 'b'.repeat(32), hash_algorithm: 'crc32' },
		});
		expect(wrongAlgorithm.json).toMatchObject({ success: 0, error_code: 116 });
	});

	simulatorOnly('analysis tags: exactly {task_uuid, analysis_tags} of typed_tag entries; 106 while pending', async () => {
		const fixtureTags = await session.call('GET', '/analysis/get_analysis_tags.json', {
			query: { uuid: FILE_TASK },
		});
		expect(fixtureTags.json).toEqual(fixture('get-analysis-tags'));
		const uuid = simulator.addTask({ kind: 'file', content: 'tagged', score: 100 });
		const generated = await session.call('GET', '/analysis/get_analysis_tags.json', {
			query: { uuid },
		});
		expect(Object.keys(generated.json.data).sort()).toEqual(['analysis_tags', 'task_uuid']);
		const types = generated.json.data.analysis_tags.map(
			(tag: { format: string; data: { type: string; value: string; score: number } }) => {
				expect(tag.format).toBe('typed_tag');
				expect(typeof tag.data.value).toBe('string');
				return tag.data.type;
			},
		);
		expect(types).toEqual(
			expect.arrayContaining(['av_family', 'av_class', 'lastline_malware', 'activity']),
		);
		const pending = simulator.addTask({
			kind: 'url',
			url: 'http://later.example.com/',
			state: 'pending',
		});
		expect(
			(await session.call('GET', '/analysis/get_analysis_tags.json', { query: { uuid: pending } }))
				.json.error_code,
		).toBe(106);
	});

	simulatorOnly('portal get_progress/get_result (report_format=json) serve the same document as analysis/get', async () => {
		const portal = await portalSession(simulator);
		const uuid = simulator.addTask({ kind: 'url', url: 'http://portal.example.com/' });
		expect(
			(await portal.call('GET', '/papi/analysis/get_progress.json', { query: { uuid } })).json,
		).toEqual({ success: 1, data: { completed: 1, progress: 100 } });
		const viaPortal = await portal.call('GET', '/papi/analysis/get_result.json', {
			query: { uuid, report_format: 'json' },
		});
		const viaAnalyst = await session.call('GET', '/analysis/get.json', {
			query: { uuid, full_report_score: '0' },
		});
		expect(viaPortal.json.data.reports).toEqual(viaAnalyst.json.data.reports);
		expect(viaPortal.json).toEqual(viaAnalyst.json);
		expect(viaPortal.json.data.report.format.name).toBe('ll-web');
		const xml = await portal.call('GET', '/papi/analysis/get_result.json', {
			query: { uuid, report_format: 'xml' },
		});
		expect(xml.json.success).toBe(0);
		const pending = simulator.addTask({
			kind: 'url',
			url: 'http://portal-pending.example.com/',
			state: 'pending',
		});
		expect(
			(await portal.call('GET', '/papi/analysis/get_progress.json', { query: { uuid: pending } }))
				.json.data.completed,
		).toBe(0);
	});

	simulatorOnly('reset() restores the fixture tasks only and clears records', async () => {
		const uuid = simulator.addTask({ kind: 'url', url: 'http://gone.example.com/' });
		simulator.reset();
		expect(simulator.taskState(uuid)).toBeUndefined();
		expect(simulator.taskState(FILE_TASK)).toBe('complete');
		expect(simulator.taskState(URL_TASK)).toBe('complete');
		expect(simulator.requests).toHaveLength(0);
		expect(simulator.submissions).toHaveLength(0);
		expect(() => simulator.completeTask(uuid)).toThrow(/Unknown task/);
	});
});
