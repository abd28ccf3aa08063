/**
 * What a real MISP 2.5.1 did that the simulator now reproduces (misp.md §10, and §9 for the JSON
 * decoder): stock import regexps, utf8mb3 storage, distribution defaults, tag-link races,
 * IPv4-mapped IPv6, PHP's json_decode, and a slow MISP that leaves a burst un-served.
 * Runs against the simulator, or a real MISP with MISP_URL/MISP_KEY (see mispTarget.ts).
 */
import { request } from 'undici';

import { toMispEvent } from '../../../nodes/shared/misp/converter';
import { BLOCKED_BY_IMPORT_REGEXP, mispStoredValue } from '../../../simulator/misp';
import { mispTarget, simulatorOnly, type MispTarget } from './mispTarget';

const INVALID_JSON =
	'Invalid JSON input. Make sure that the JSON input is a correctly formatted JSON string. This request has been blocked to avoid an unfiltered request.';
const FILE_UUID = '688c46fb-5edb-40a3-8273-1af7923e2215';

let target: MispTarget;
let call: MispTarget['call'];

beforeAll(async () => {
	target = await mispTarget();
	call = target.call;
});
afterAll(async () => target.close(), 600_000);
beforeEach(() => {
	target.simulator?.reset();
	target.simulator?.configure({
		settings: { importRegexps: true, defaultEventDistribution: '1' },
		slowMode: null,
		raceWindowMs: 20,
	});
});

/** The simulator, in `simulatorOnly` tests. */
function simulator() {
	if (!target.simulator) throw new Error('simulator only');
	return target.simulator;
}

/** `events/add`, remembering the event so that a real MISP gets it deleted. */
async function addEvent(body: unknown) {
	const r = await call('POST', '/events/add', { body });
	target.track(r.json?.Event?.id);
	return r;
}

function fileObject(attributes: Array<[string, string, string]>) {
	return {
		name: 'file',
		'meta-category': 'file',
		description: 'File object describing a file with meta-information',
		template_uuid: FILE_UUID,
		template_version: '24',
		Attribute: attributes.map(([object_relation, type, value]) => ({
			object_relation,
			type,
			value,
		})),
	};
}

describe('stock import regexps (misp.md §10; MISP INSTALL/MYSQL.sql `regexp`)', () => {
	it.each([
		['C:\\Users\\alice\\evil.exe', '%USERPROFILE%\\evil.exe'],
		['c:\\users\\Bob\\AppData\\Roaming\\x.dll', '%APPDATA%\\x.dll'],
		['C:\\Users\\bob\\AppData\\Local\\Temp\\a.tmp', '%TEMP%\\a.tmp'],
		['C:\\Users\\bob\\AppData\\Local\\b.dat', '%LOCALAPPDATA%\\b.dat'],
		['C:\\ProgramData\\x\\y', '%ALLUSERSPROFILE%\\x\\y'],
		['C:\\Windows\\System32\\cmd.exe', '%WINDIR%\\System32\\cmd.exe'],
		['C:\\Program Files\\App\\a.exe', '%PROGRAMFILES%\\App\\a.exe'],
		// `(x86)` is a regex group in MISP's table, so "Program Files " is what row 7 matches.
		['C:\\Program Files (x86)\\App\\a.exe', '%PROGRAMFILES%\\(x86)\\App\\a.exe'],
		['\\REGISTRY\\MACHINE\\SOFTWARE\\Run', 'HKLM\\SOFTWARE\\Run'],
		['D:\\data\\file.txt', 'D:\\data\\file.txt'],
	])('rewrites %s → %s', (value, stored) => {
		expect(mispStoredValue('text', value)).toBe(stored);
		expect(mispStoredValue('text', value, { importRegexps: false })).toBe(value);
	});

	it('rewrites every match, also inside a URL; exempt types keep their value', () => {
		expect(mispStoredValue('url', 'file://C:/x C:\\Windows\\a C:\\Windows\\b')).toBe(
			'file://C:/x %WINDIR%\\a %WINDIR%\\b',
		);
		expect(mispStoredValue('size-in-bytes', '123')).toBe('123');
	});

	it('blocks a value an empty-replacement row matches (after the rewrites), refuses invalid values', () => {
		const cache =
			'C:\\Users\\bob\\AppData\\Local\\Microsoft\\Windows\\Temporary Internet Files\\Content.IE5\\x.js';
		expect(mispStoredValue('filename', cache)).toBeNull();
		expect(mispStoredValue('filename', cache, { importRegexps: false })).toBe(cache);
		expect(mispStoredValue('sha256', 'nothex')).toBeNull();
	});

	it('objects/add: stored rewritten; a blocked value refuses the whole object with 403', async () => {
		const event = await target.createEvent({ info: 'regexps' });
		const ok = await call('POST', `/objects/add/${event.id}`, {
			body: {
				Object: fileObject([['fullpath', 'text', 'C:\\Users\\alice\\Desktop\\a.exe']]),
			},
		});
		expect(ok.status).toBe(200);
		expect(ok.json.Object.Attribute[0].value).toBe('%USERPROFILE%\\Desktop\\a.exe');

		const blocked = await call('POST', `/objects/add/${event.id}`, {
			body: {
				Object: fileObject([
					['filename', 'filename', 'x.js'],
					[
						'fullpath',
						'text',
						'C:\\Users\\bob\\AppData\\Local\\Microsoft\\Windows\\Temporary Internet Files\\x.js',
					],
				]),
			},
		});
		expect(blocked.status).toBe(403);
		expect(blocked.json.errors).toBe(
			`Could not save object as at least one attribute has failed validation (fullpath). {"value":["${BLOCKED_BY_IMPORT_REGEXP}"]}`,
		);
		expect((await target.getEvent(event.id))?.Event.Object).toHaveLength(1);
	});

	it('events/add drops a blocked value silently', async () => {
		const body = (info: string) => ({
			Event: {
				info,
				Attribute: [
					{ type: 'text', value: 'C:\\Users\\alice\\a.txt' },
					{
						type: 'text',
						value: '%LOCALAPPDATA%\\Microsoft\\Windows\\Temporary Internet Files\\b.txt',
					},
				],
			},
		});
		const faithful = await addEvent(body('on'));
		expect(faithful.status).toBe(200);
		expect(faithful.json.Event.Attribute.map((a: { value: string }) => a.value)).toEqual([
			'%USERPROFILE%\\a.txt',
		]);
	});

	simulatorOnly('the switch turns the filters off', async () => {
		simulator().configure({ settings: { importRegexps: false } });
		const off = await addEvent({
			Event: {
				info: 'off',
				Attribute: [
					{ type: 'text', value: 'C:\\Users\\alice\\a.txt' },
					{ type: 'text', value: '%APPDATA%\\Microsoft\\UProof\\x' },
				],
			},
		});
		expect(off.json.Event.Attribute.map((a: { value: string }) => a.value)).toEqual([
			'C:\\Users\\alice\\a.txt',
			'%APPDATA%\\Microsoft\\UProof\\x',
		]);
	});
});

describe('storage and defaults (misp.md §10)', () => {
	it('utf8mb3: a value loses 4-byte characters to "?"; in any other column they fail with 500', async () => {
		const event = await target.createEvent({ info: 'charset' });
		const r = await call('POST', `/attributes/add/${event.id}`, {
			body: { type: 'text', value: 'mutex 😀 𝕏 ü' },
		});
		expect(r.status).toBe(200);
		expect(r.json.Attribute.value).toBe('mutex ? ? ü');
		expect(mispStoredValue('text', '😀')).toBe('?');

		const comment = await call('POST', `/attributes/add/${event.id}`, {
			body: { type: 'text', value: 'plain', comment: '🦊' },
		});
		expect(comment.status).toBe(500);
		expect(comment.json.message).toBe('An Internal Error Has Occurred.');
		const object = await call('POST', `/objects/add/${event.id}`, {
			body: { ...fileObject([['filename', 'filename', 'a.exe']]), comment: 'c 🦊' },
		});
		expect(object.status).toBe(500);
		expect((await target.getEvent(event.id))?.Event.Object).toHaveLength(0);
		// events/add keeps what it wrote before the failing row.
		const info = `partial ${target.tagPrefix}`;
		const partial = await addEvent({
			Event: {
				info,
				Attribute: [
					{ type: 'text', value: 'first' },
					{ type: 'text', value: 'second', comment: 'x 😀' },
				],
			},
		});
		expect(partial.status).toBe(500);
		const index = await call('POST', '/events/index', { body: { eventinfo: info } });
		const stored = (index.json as Array<{ id: string; info: string }>).filter(
			(e) => e.info === info,
		);
		stored.forEach((e) => target.track(e.id));
		expect(stored).toHaveLength(1);
		const event2 = await target.getEvent(stored[0].id);
		expect(event2?.Event.Attribute.map((a) => a.value)).toEqual(['first']);
	});

	it('objects without distribution are stored with 0; events/add takes MISP.default_event_distribution (1)', async () => {
		const event = await target.createEvent({ info: 'dist' });
		const object = await call('POST', `/objects/add/${event.id}`, {
			body: fileObject([['filename', 'filename', 'a.exe']]),
		});
		expect(object.json.Object.distribution).toBe('0');
		expect(object.json.Object.Attribute[0].distribution).toBe('5');
		const created = await addEvent({ Event: { info: 'x' } });
		expect(created.json.Event.distribution).toBe('1');
	});

	simulatorOnly('the default event distribution is a setting', async () => {
		simulator().configure({ settings: { defaultEventDistribution: '3' } });
		const again = await addEvent({ Event: { info: 'y' } });
		expect(again.json.Event.distribution).toBe('3');
	});

	it('IPv4-mapped IPv6 (and any IPv6 starting with ":") is kept as sent', async () => {
		const event = await target.createEvent({ info: 'ip' });
		const sent = ['::ffff:cb00:7109', '::ffff:203.0.113.9', '::0:1', '2001:0db8::0:1', '::1/32'];
		const r = await call('POST', `/attributes/add/${event.id}`, {
			body: sent.map((value) => ({ type: 'ip-dst', value })),
		});
		expect(r.json.Attribute.map((a: { value: string }) => a.value)).toEqual([
			'::ffff:cb00:7109',
			'::ffff:203.0.113.9',
			'::0:1',
			'2001:db8::1',
			'::1/32',
		]);
	});
});

describe('tag links have no unique key (misp.md §10, races)', () => {
	it('two concurrent attachTagToObject for one tag both insert; sequential calls do not', async () => {
		target.simulator?.configure({ raceWindowMs: 300 });
		const event = await target.createEvent({ info: 'race' });
		const name = `${target.tagPrefix}:race`;
		const attach = () =>
			call('POST', '/tags/attachTagToObject', { body: { uuid: event.uuid, tag: name } });
		const both = await Promise.all([attach(), attach()]);
		expect(both.map((r) => r.status)).toEqual([200, 200]);
		const names = async () => (await target.getEvent(event.id))?.Event.Tag.map((t) => t.name);
		// The simulator holds each transaction open for its race window, so the race is always lost
		// there; on a real MISP it depends on timing (both inserted in the run of misp.md §10).
		const raced = target.simulator ? [name, name] : (await names())?.map(() => name);
		expect(await names()).toEqual(raced);
		expect(raced?.length).toBeGreaterThanOrEqual(1);
		const again = await attach();
		expect(again.json.message).toContain('already has the requested tag');
		expect(await names()).toEqual(raced);
	});
});

describe("PHP's json_decode (misp.md §9, issue 12 rule 6)", () => {
	const post = (eventId: string, rawBody: string | Buffer) =>
		request(`${target.url}/attributes/add/${eventId}`, {
			method: 'POST',
			headers: {
				authorization: target.apiKey,
				accept: 'application/json',
				'content-type': 'application/json',
			},
			body: rawBody,
		}).then(async (r) => ({
			status: r.statusCode,
			json: (await r.body.json()) as { message?: string },
		}));

	it.each([
		['a lone high surrogate', '{"type":"text","value":"a\\ud800b"}'],
		['a high surrogate at the end', '{"type":"text","value":"a\\ud800"}'],
		['a lone low surrogate', '{"type":"text","value":"\\udc00"}'],
		['two high surrogates', '{"type":"text","value":"\\ud800\\ud800\\udc00"}'],
		['a lone surrogate in a key', '{"type":"text","value":"v","\\ud800":1}'],
	])('%s → 405 "Invalid JSON input" for the whole request', async (_label, body) => {
		const event = await target.createEvent({ info: 'json' });
		const r = await post(event.id, body);
		expect(r.status).toBe(405);
		expect(r.json.message).toBe(INVALID_JSON);
		expect((await target.getEvent(event.id))?.Event.Attribute).toHaveLength(0);
	});

	it('invalid UTF-8 bytes → 405; a surrogate pair and an escaped backslash are fine', async () => {
		const event = await target.createEvent({ info: 'json' });
		const bad = Buffer.concat([
			Buffer.from('{"type":"text","value":"'),
			Buffer.from([0xed, 0xa0, 0x80]),
			Buffer.from('"}'),
		]);
		expect((await post(event.id, bad)).status).toBe(405);
		expect((await post(event.id, '{"type":"text","value":"\\ud83d\\ude00 ok"}')).status).toBe(200);
		expect((await post(event.id, '{"type":"text","value":"\\\\ud800"}')).status).toBe(200);
		const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
		expect((await post(event.id, nested(512))).status).toBe(405);
		expect((await post(event.id, nested(511))).status).not.toBe(405);
	});

	it("converter output for a mutex named with a lone surrogate is accepted (fails on the old converter's output)", async () => {
		const report = {
			task_uuid: '0123456789abcdef0010aaaaaaaaaaaa',
			score: 55,
			submission: '2024-05-01 10:00:00',
			analysis_subject: { sha256: 'a'.repeat(64) },
			report: {
				analysis_subjects: [
					{
						overview: { id: 1 },
						process: { process_id: '100' },
						mutex_creates: [{ mutex_name: 'Global\\lock\ud800' }],
					},
				],
			},
		};
		const { Event } = toMispEvent(report);
		// JSON.stringify writes the lone surrogate as the escape "\ud800", which PHP refuses.
		const r = await addEvent({ Event });
		expect(r.status).toBe(200);
		const mutex = r.json.Event.Object.find((o: { name: string }) => o.name === 'mutex');
		expect(mutex.Attribute.map((a: { value: string }) => a.value)).toEqual([
			expect.stringMatching(/^Global\\lock/),
		]);
	});
});

describe('slow mode (misp.md §10: a slow MISP under a burst)', () => {
	simulatorOnly(
		'a burst beyond workers + backlog leaves requests un-served; a client that waits is served',
		async () => {
			const event = await target.createEvent({ info: 'slow' });
			// One object per second, one worker, one waiting: the first two are served (after 1 s and
			// 2 s), the SYN retries of the others end at 127 × 2 ms, long before a worker is free.
			simulator().configure({
				slowMode: { objectsPerSecond: 1, workers: 1, backlog: 1, synRetryMs: 2 },
			});
			const add = (i: number) =>
				call('POST', `/objects/add/${event.id}`, {
					body: fileObject([['filename', 'filename', `burst-${i}.exe`]]),
				}).then(
					(r) => r.status,
					() => 'unserved',
				);
			const outcomes = await Promise.all([0, 1, 2, 3, 4, 5].map(add));
			expect(outcomes.filter((o) => o === 200)).toHaveLength(2);
			expect(outcomes.filter((o) => o === 'unserved')).toHaveLength(4);
			expect(simulator().unservedRequests()).toBe(4);
			expect((await target.getEvent(event.id))?.Event.Object).toHaveLength(2);

			simulator().configure({
				slowMode: { objectsPerSecond: 20, workers: 1, backlog: 1, synRetryMs: 2 },
			});
			for (const i of [6, 7, 8]) expect(await add(i)).toBe(200);
			expect((await target.getEvent(event.id))?.Event.Object).toHaveLength(5);
		},
	);
});
