import { createHash } from 'node:crypto';

import type { AtaSimulator } from '../../../simulator/ata';
import {
	analystSession,
	ATA_TIME,
	FIXTURE_FILE_SHA256,
	FIXTURE_URL,
	type WireSession,
} from './ataWire';
import { simulatorOnly, startTarget, submits } from './target';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** The official client's file submission: text parts first, then `file` with the dummy name and no Content-Type. */
function officialUpload(session: WireSession, data: Buffer, extra: Array<[string, string]> = []) {
	return session.call('POST', '/analysis/submit/file.json', {
		multipart: {
			fields: [
				['full_report_score', '-1'],
				['delete_after_analysis', '0'],
				['filename', 'invoice.doc'],
				['direction', 'FROM_SERVER'],
				['protocol', 'http'],
				...extra,
			],
			files: [{ name: 'file', filename: 'dummy-ascii-name-for-file-param', data }],
		},
	});
}

describe('ATA simulator: submissions', () => {
	let simulator: AtaSimulator;
	let session: WireSession;

	beforeAll(async () => {
		simulator = await startTarget({ seed: 42 });
	});
	afterAll(() => simulator.close());
	beforeEach(async () => {
		simulator.reset();
		session = await analystSession(simulator);
	});

	submits('a new URL (official form, pushed to the portal account) answers a task; get_progress answers integers; a bad URL is 117', async () => {
		const url = `https://ata-contract-${Date.now()}.example.com/landing`;
		const fresh = await session.call('POST', '/analysis/submit/url.json', {
			form: {
				url,
				full_report_score: '-1',
				push_to_portal_account: simulator.credentials.portal.username || 'analyst@example.com',
			},
		});
		expect(fresh.status).toBe(200);
		expect(fresh.json.success).toBe(1);
		const { task_uuid: uuid, expires } = fresh.json.data;
		expect(uuid).toMatch(/^[0-9a-f]{32}$/);
		if (expires !== undefined) expect(expires).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?$/);
		const progress = await session.call('POST', '/analysis/get_progress.json', { form: { uuid } });
		expect(progress.json.success).toBe(1);
		expect([0, 1]).toContain(progress.json.data.completed);
		expect(Number.isInteger(progress.json.data.progress)).toBe(true);
		const bad = await session.call('POST', '/analysis/submit/url.json', { form: { url: 'not a url' } });
		expect(bad.json).toMatchObject({ success: 0, error_code: 117 });
	});

	simulatorOnly('accepts the official multipart upload, answers pending, and records the part as sent', async () => {
		const sample = Buffer.from('MZ\u0090\u0000synthetic sample one');
		const answer = await officialUpload(session, sample);
		expect(answer.status).toBe(200);
		expect(answer.json.success).toBe(1);
		expect(Object.keys(answer.json.data).sort()).toEqual([
			'expires',
			'submission_timestamp',
			'task_uuid',
		]);
		expect(answer.json.data.task_uuid).toMatch(/^[0-9a-f]{12}0010[0-9a-f]{16}$/);
		expect(answer.json.data.expires).toMatch(ATA_TIME);
		expect(answer.json.data.submission_timestamp).toMatch(ATA_TIME);
		const record = simulator.requests[1];
		expect(record.bodyKind).toBe('multipart');
		expect(Object.keys(record.fields)).toEqual([
			'full_report_score',
			'delete_after_analysis',
			'filename',
			'direction',
			'protocol',
		]);
		expect(record.files).toEqual([
			{
				field: 'file',
				filename: 'dummy-ascii-name-for-file-param',
				size: sample.length,
				sha256: sha256(sample),
			},
		]);
		expect(simulator.submissions).toMatchObject([
			{
				kind: 'file',
				via: 'upload',
				contentKey: sha256(sample),
				filename: 'invoice.doc',
				cached: false,
				bypassCache: false,
				taskUuid: answer.json.data.task_uuid,
			},
		]);
	});

	simulatorOnly('returns the same task, with a score once complete, when the same content comes again', async () => {
		const sample = Buffer.from('%PDF-1.4 synthetic two');
		const first = await officialUpload(session, sample);
		const uuid = first.json.data.task_uuid;
		const again = await officialUpload(session, sample);
		expect(again.json.data.task_uuid).toBe(uuid);
		expect(again.json.data.score).toBeUndefined(); // still pending
		simulator.completeTask(uuid);
		const cached = await officialUpload(session, sample);
		expect(cached.json.data.task_uuid).toBe(uuid);
		expect(Number.isInteger(cached.json.data.score)).toBe(true);
		expect(cached.json.data.analysis_subject).toEqual({
			md5: createHash('md5').update(sample).digest('hex'),
			sha1: createHash('sha1').update(sample).digest('hex'),
			sha256: sha256(sample),
			mime_type: 'application/pdf',
		});
		expect(cached.json.data.report).toBeUndefined(); // full_report_score=-1
		expect(cached.json.data.expires).toMatch(ATA_TIME);
		expect(simulator.submissionCount(sha256(sample))).toBe(3);
		expect(simulator.submissions.map((submission) => submission.cached)).toEqual([
			false,
			true,
			true,
		]);
	});

	simulatorOnly('embeds the report in a cached answer only when full_report_score allows it', async () => {
		const sample = Buffer.from('embedded report sample');
		const uuid = simulator.addTask({ kind: 'file', content: sample, score: 70 });
		const withReport = await officialUpload(session, sample, [['full_report_score', '0']]);
		expect(withReport.json.data.task_uuid).toBe(uuid);
		expect(withReport.json.data.report.format.name).toBe('ll-int-win');
		const aboveScore = await session.call('POST', '/analysis/submit/file.json', {
			multipart: {
				fields: [['full_report_score', '71']],
				files: [{ name: 'file', filename: 'dummy-ascii-name-for-file-param', data: sample }],
			},
		});
		expect(aboveScore.json.data.score).toBe(70);
		expect(aboveScore.json.data.report).toBeUndefined();
	});

	simulatorOnly('bypass_cache forces a new task (1/0 from the official client, True/False from tau)', async () => {
		const sample = Buffer.from('bypass sample');
		const uuid = simulator.addTask({ kind: 'file', content: sample });
		const tauNoBypass = await session.call('POST', '/analysis/submit/file.json', {
			multipart: {
				fields: [
					['allow_network_traffic', 'True'],
					['bypass_cache', 'False'],
					['filename', 'b.bin'],
					['full_report_score', '-1'],
				],
				files: [{ name: 'file', filename: 'dummy-ascii-name-for-file-param', data: sample }],
			},
		});
		expect(tauNoBypass.json.data.task_uuid).toBe(uuid);
		const tauBypass = await session.call('POST', '/analysis/submit/file.json', {
			multipart: {
				fields: [['bypass_cache', 'True']],
				files: [{ name: 'file', filename: 'dummy-ascii-name-for-file-param', data: sample }],
			},
		});
		const official = await officialUpload(session, sample, [['bypass_cache', '1']]);
		const fresh = [tauBypass.json.data.task_uuid, official.json.data.task_uuid];
		expect(new Set([uuid, ...fresh]).size).toBe(3);
		expect(tauBypass.json.data.score).toBeUndefined();
		expect(
			simulator.submissions.map((submission) => [submission.cached, submission.bypassCache]),
		).toEqual([
			[true, false],
			[false, true],
			[false, true],
		]);
		const lowercase = await officialUpload(session, sample, [['bypass_cache', 'true']]);
		expect(lowercase.json.data.task_uuid).not.toBe(uuid);
	});

	simulatorOnly('refuses a malformed boolean instead of guessing, and submits nothing', async () => {
		const answer = await officialUpload(session, Buffer.from('x'), [['bypass_cache', 'yes']]);
		expect(answer.json).toMatchObject({ success: 0 });
		expect(answer.json.error).toContain('bypass_cache');
		expect(simulator.submissions).toHaveLength(0);
	});

	simulatorOnly('push_to_portal_account takes a portal account name (Splunk sends its user name) on files and URLs', async () => {
		const file = await officialUpload(session, Buffer.from('pushed sample'), [
			['push_to_portal_account', 'analyst@example.com'],
		]);
		expect(file.json.success).toBe(1);
		const url = await session.call('POST', '/analysis/submit/url.json', {
			form: { url: 'https://pushed.example.org/', push_to_portal_account: 'soc team' },
		});
		expect(url.json.success).toBe(1);
		expect(simulator.submissions).toHaveLength(2);
	});

	simulatorOnly("accepts tau's portal-style part with a real non-ASCII filename and Content-Type", async () => {
		const sample = Buffer.from('non ascii name');
		const answer = await session.call('POST', '/analysis/submit/file.json', {
			multipart: {
				fields: [],
				files: [
					{
						name: 'file',
						filename: 'Rechnung_März.exe',
						data: sample,
						contentType: 'application/octet-stream',
					},
				],
			},
		});
		expect(answer.json.success).toBe(1);
		expect(simulator.submissions[0].filename).toBe('Rechnung_März.exe');
		expect(simulator.requests[1].files[0]).toMatchObject({
			filename: 'Rechnung_März.exe',
			contentType: 'application/octet-stream',
			size: sample.length,
		});
	});

	simulatorOnly('submit-by-hash: the fixture document hash returns the cached analysis with a score, an unknown one error 101', async () => {
		const known = await session.call('POST', '/analysis/submit/file.json', {
			form: {
				sha256: FIXTURE_FILE_SHA256,
				require_file_analysis: '1',
				full_report_score: '-1',
				direction: 'FROM_SERVER',
				protocol: 'http',
			},
		});
		expect(known.json.success).toBe(1);
		expect(known.json.data.task_uuid).toBe('3f2c9a7d41b800101a7e5c2d9b04e6f1');
		expect(known.json.data.score).toBe(100);
		expect(known.json.data.expires).toBe('2024-03-20 09:41:07');
		expect(known.json.data.malicious_activity).toHaveLength(14);
		expect(known.json.data.report).toBeUndefined();
		const byMd5 = await session.call('POST', '/analysis/submit/file.json', {
			form: { md5: '4095d60cb61d1ac1da9b10a50fb568c1', full_report_score: '-1' },
		});
		expect(byMd5.json.data.task_uuid).toBe('3f2c9a7d41b800101a7e5c2d9b04e6f1');
		const unknown = await session.call('POST', '/analysis/submit/file.json', {
			form: { sha256: 'a'.repeat(64), full_report_score: '-1' },
		});
		expect(unknown.json).toMatchObject({ success: 0, error_code: 101 });
		expect(simulator.submissions.map((submission) => [submission.via, submission.cached])).toEqual([
			['hash', true],
			['hash', true],
		]);
		expect(simulator.submissionCount(FIXTURE_FILE_SHA256)).toBe(2);
	});

	simulatorOnly('submit URL: tau sends url alone; the fixture URL is cached with its score; new URLs start pending', async () => {
		const cached = await session.call('POST', '/analysis/submit/url.json', {
			form: { url: FIXTURE_URL },
		});
		expect(cached.json.data).toMatchObject({
			task_uuid: 'b71e04c2a95d0010237f8e61c4d0a9b3',
			score: 72,
			analysis_subject: { url: FIXTURE_URL },
		});
		const fresh = await session.call('POST', '/analysis/submit/url.json', {
			form: {
				url: 'https://new.example.org/landing',
				full_report_score: '-1',
				referer: 'https://mail.example.org/',
			},
		});
		expect(Object.keys(fresh.json.data).sort()).toEqual([
			'expires',
			'submission_timestamp',
			'task_uuid',
		]);
		const bad = await session.call('POST', '/analysis/submit/url.json', {
			form: { url: 'not a url' },
		});
		expect(bad.json).toMatchObject({ success: 0, error_code: 117 });
		expect(simulator.submissionCount(FIXTURE_URL)).toBe(1);
		expect(simulator.submissionCount('https://new.example.org/landing')).toBe(1);
	});

	simulatorOnly('submit URL as multipart with password_candidates and task_metadata travelling as file parts', async () => {
		const answer = await session.call('POST', '/analysis/submit/url.json', {
			multipart: {
				fields: [
					['url', 'http://archive.example.net/a.zip'],
					['full_report_score', '-1'],
				],
				files: [
					{
						name: 'password_candidates',
						filename: 'password_candidates',
						data: Buffer.from('["infected"]'),
					},
					{ name: 'task_metadata', filename: 'task_metadata', data: Buffer.from('{"case":"7"}') },
				],
			},
		});
		expect(answer.json.success).toBe(1);
		expect(simulator.submissions[0]).toMatchObject({
			kind: 'url',
			contentKey: 'http://archive.example.net/a.zip',
		});
		expect(simulator.requests[1].files.map((file) => file.field)).toEqual([
			'password_candidates',
			'task_metadata',
		]);
	});

	simulatorOnly('refuses a submission without file or hash, and a malformed multipart body', async () => {
		const empty = await session.call('POST', '/analysis/submit/file.json', {
			form: { full_report_score: '-1' },
		});
		expect(empty.json.success).toBe(0);
		expect(empty.json.error).toContain('file');
		const broken = await session.call('POST', '/analysis/submit/file.json', {
			headers: { 'content-type': 'multipart/form-data; boundary=abc' },
			form: undefined,
		});
		expect(broken.status).toBe(400);
		expect(simulator.requests[2].bodyKind).toBe('invalid');
		expect(simulator.submissions).toHaveLength(0);
	});
});
