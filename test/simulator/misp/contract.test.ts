/**
 * Contract of the MISP REST subset the playbooks use (research note misp.md §8, items 1–13).
 * Every expected payload names the misp.md section it comes from. Runs against the simulator, or
 * a real MISP with MISP_URL/MISP_KEY (mispTarget.ts); `simulatorOnly` marks what needs the
 * simulator's test API (other users and orgs, seed state, faults, the request log).
 * Template-independent: these run with the official files or the project's fallback knowledge.
 */
import { startMispSimulator, type MispSimulator } from '../../../simulator/misp';
import { describeWithOfficialMisp } from '../../support/officialMisp';
import { mispClient } from './mispHttp';
import { mispTarget, simulatorOnly, type MispTarget } from './mispTarget';

const AUTH_FAILED =
	'Authentication failed. Please make sure you pass the API key of an API enabled user along in the Authorization header.';
const SHA256 = 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855';
const INCOMPLETE = 'workflow:state="incomplete"';
const COMPLETE = 'workflow:state="complete"';

let target: MispTarget;
/** The simulator; used only in `simulatorOnly` tests. */
let misp: MispSimulator;
let call: MispTarget['call'];

beforeAll(async () => {
	target = await mispTarget();
	misp = target.simulator as MispSimulator;
	call = target.call;
});
// Deleting what the suite created takes a while on a busy real MISP.
afterAll(async () => target.close(), 600_000);
beforeEach(() => target.simulator?.reset());

function tagId(name: string): Promise<string> {
	return call('GET', '/tags').then((r) => {
		const tag = (r.json.Tag as Array<{ id: string; name: string }>).find((t) => t.name === name);
		if (!tag) throw new Error(`no tag ${name}`);
		return tag.id;
	});
}

describe('§8.1 authentication (misp.md §1.1, §1.3)', () => {
	it.each([
		['no key', null],
		['unknown key', 'A'.repeat(40)],
		['malformed key', 'short-key'],
		['Basic scheme', `Basic ${Buffer.from('admin:pw').toString('base64')}`],
	])('%s → 403 (a) with the one "Authentication failed" text', async (_label, key) => {
		const r = await call('GET', '/tags', { key });
		expect(r.status).toBe(403);
		expect(r.json).toEqual({ name: AUTH_FAILED, message: AUTH_FAILED, url: '/tags' });
		// Exception bodies are PHP-encoded: slashes escaped (§1.2 (a)).
		expect(r.text).toContain('"url":"\\/tags"');
	});

	it('accepts X-MISP-AUTH, which wins over Authorization', async () => {
		const r = await call('GET', '/tags', {
			key: 'B'.repeat(40),
			headers: { 'x-misp-auth': target.apiKey },
		});
		expect(r.status).toBe(200);
		const wrong = await call('GET', '/tags', { headers: { 'x-misp-auth': 'C'.repeat(40) } });
		expect(wrong.status).toBe(403);
	});

	it('tries each of several comma-separated keys', async () => {
		const r = await call('GET', '/tags', { key: `${'D'.repeat(40)}, ${target.apiKey}` });
		expect(r.status).toBe(200);
	});

	simulatorOnly('disabled user → 403 "Your user account has been disabled."', async () => {
		const { apiKey } = misp.addUser({ disabled: true });
		const r = await call('GET', '/tags', { key: apiKey });
		expect(r.status).toBe(403);
		expect(r.json.message).toBe('Authentication failed. Your user account has been disabled.');
	});

	simulatorOnly('never records the key: Authorization is redacted in the request log', async () => {
		await call('GET', '/tags');
		const logged = misp.requests.at(-1);
		expect(logged?.headers.authorization).toBe('[redacted]');
		expect(JSON.stringify(misp.requests)).not.toContain(target.apiKey);
	});
});

describe('§8.2 REST detection by Accept (misp.md §1.1)', () => {
	it('without Accept: application/json a valid key still gets a 302 to /users/login, never JSON', async () => {
		const event = await target.createEvent({ info: 'e' });
		const r = await call('POST', `/objects/add/${event.id}`, {
			accept: '*/*',
			body: { name: 'x' },
		});
		expect(r.status).toBe(302);
		expect(r.headers.location).toBe(`${target.url}/users/login`);
		expect(r.json).toBeUndefined();
		const get = await call('GET', '/tags', { accept: null });
		expect(get.status).toBe(302);
		// Following the redirect (as n8n does for GET) lands on a 200 HTML page.
		const login = await call('GET', '/users/login', { accept: '*/*' });
		expect(login.status).toBe(200);
		expect(login.headers['content-type']).toMatch(/text\/html/);
	});

	it('restSearch is REST whatever the Accept header; a .json suffix is REST too', async () => {
		const r = await call('POST', '/attributes/restSearch', {
			accept: null,
			body: { value: `${target.tagPrefix}-nothing` },
		});
		expect(r.status).toBe(200);
		expect(r.json).toEqual({ response: { Attribute: [] } });
		const types = await call('GET', '/attributes/describeTypes.json', { accept: null });
		expect(types.status).toBe(200);
		expect(types.json.result.sane_defaults.sha256).toEqual({
			default_category: 'Payload delivery',
			to_ids: 1,
		});
	});
});

describe('§8.3 malformed JSON (misp.md §1.1)', () => {
	it('→ 405 (a) "Invalid JSON input…"', async () => {
		const event = await target.createEvent({ info: 'e' });
		const r = await call('POST', `/attributes/add/${event.id}`, { rawBody: '{"type": "text", ' });
		expect(r.status).toBe(405);
		expect(r.json.message).toBe(
			'Invalid JSON input. Make sure that the JSON input is a correctly formatted JSON string. This request has been blocked to avoid an unfiltered request.',
		);
		expect((await target.getEvent(event.id))?.Event.Attribute).toHaveLength(0);
	});
});

describe('§8.4 visibility and permissions (misp.md §1.3, §2.1 steps 1–3)', () => {
	const object = {
		Object: {
			name: 'custom',
			'meta-category': 'misc',
			description: 'd',
			template_uuid: '11111111-2222-4333-8444-555555555555',
			template_version: '1',
			Attribute: [{ object_relation: 'note', type: 'text', value: 'x' }],
		},
	};

	it('unknown event → 404 "Invalid event." (objects) / "Invalid event" (attributes)', async () => {
		const objects = await call('POST', '/objects/add/999', { body: object });
		expect(objects.status).toBe(404);
		expect(objects.json).toEqual({
			name: 'Invalid event.',
			message: 'Invalid event.',
			url: '/objects/add/999',
		});
		const attributes = await call('POST', '/attributes/add/999', {
			body: { type: 'text', value: 'x' },
		});
		expect(attributes.status).toBe(404);
		expect(attributes.json.message).toBe('Invalid event');
	});

	simulatorOnly('another org: invisible event → 404, visible one → 403 "You do not have permission to do that."', async () => {
		const hidden = await target.createEvent({ info: 'hidden', org: 'other', distribution: '0' });
		const shared = await target.createEvent({ info: 'shared', org: 'other', distribution: '3' });
		expect((await call('POST', `/objects/add/${hidden.id}`, { body: object })).status).toBe(404);
		const r = await call('POST', `/objects/add/${shared.id}`, { body: object });
		expect(r.status).toBe(403);
		expect(r.json.message).toBe('You do not have permission to do that.');
		expect((await call('GET', `/events/view/${shared.id}`)).status).toBe(200);
		expect((await call('GET', `/events/view/${hidden.id}`)).status).toBe(404);
	});

	simulatorOnly('role without perm_modify → 403 with the HTML-escaped text', async () => {
		const event = await target.createEvent({ info: 'e' });
		const { apiKey } = misp.addUser({ role: { perm_modify: false, perm_modify_org: false } });
		const r = await call('POST', `/objects/add/${event.id}`, { key: apiKey, body: object });
		expect(r.status).toBe(403);
		expect(r.json.name).toBe('You don&#039;t have permissions to create objects.');
		expect(r.json.message).toBe(r.json.name);
	});

	simulatorOnly('role without perm_tagger → 403 (a) from the ACL on addTag; wrong method 405; unknown route 404', async () => {
		const event = await target.createEvent({ info: 'e', Attribute: [{ type: 'text', value: 'v' }] });
		const { apiKey } = misp.addUser({ role: { perm_tagger: false } });
		const r = await call('POST', `/attributes/addTag/${event.attributeIds[0]}/1`, { key: apiKey });
		expect(r.status).toBe(403);
		expect(r.json.message).toBe('You do not have permission to use this functionality.');
		const get = await call('GET', `/objects/add/${event.id}`);
		expect([get.status, get.json.message]).toEqual([
			405,
			'This action can only be reached via POST requests.',
		]);
		const unknown = await call('GET', '/nothing/here');
		expect([unknown.status, unknown.json.name]).toEqual([404, 'Not Found']);
	});

	it('accepts the event UUID in the URL as well as the numeric id', async () => {
		const event = await target.createEvent({ info: 'e' });
		const r = await call('POST', `/objects/add/${event.uuid}`, { body: object });
		expect(r.status).toBe(200);
		expect(r.json.Object.event_id).toBe(event.id);
	});
});

describe('§8.5 validation failures are 403 with body (b) (misp.md §1.2, §2.1, §2.2)', () => {
	it('objects/add attribute failure: errors is a string, "Could not add object", /objects/add/{id}/ (PyMISP #503)', async () => {
		const event = await target.createEvent({ info: 'e' });
		const r = await call('POST', `/objects/add/${event.id}`, {
			body: {
				Object: {
					name: 'file',
					'meta-category': 'file',
					description: 'File',
					template_uuid: '688c46fb-5edb-40a3-8273-1af7923e2215',
					template_version: '25',
					Attribute: [{ object_relation: 'sha256', type: 'sha256', value: 'abc' }],
				},
			},
		});
		expect(r.status).toBe(403);
		expect(r.json).toEqual({
			saved: false,
			name: 'Could not add object',
			message: 'Could not add object',
			url: `/objects/add/${event.id}/`,
			errors:
				'Could not save object as at least one attribute has failed validation (sha256). {"value":["Checksum has an invalid length or format (expected: 64 hexadecimal characters). Please double check the value or select type \\"other\\"."]}',
			id: `${event.id}/`,
		});
	});

	it('objects/add without attributes → 403 (b) "no attributes were set"', async () => {
		const event = await target.createEvent({ info: 'e' });
		const r = await call('POST', `/objects/add/${event.id}`, {
			body: { Object: { name: 'file', Attribute: [] } },
		});
		expect(r.status).toBe(403);
		expect(r.json.name).toBe('Could not add object');
		expect(r.json.errors).toBe('Could not save the object as no attributes were set.');
	});

	it('attributes/add single failure: field map; batch: attribute_N map; partial success: 200 + errors', async () => {
		const event = await target.createEvent({ info: 'e' });
		const single = await call('POST', `/attributes/add/${event.id}`, {
			body: { type: 'sha256', value: 'abc' },
		});
		expect(single.status).toBe(403);
		expect(single.json).toEqual({
			saved: false,
			name: 'Could not add Attribute',
			message: 'Could not add Attribute',
			url: '/attributes/add',
			errors: {
				value: [
					'Checksum has an invalid length or format (expected: 64 hexadecimal characters). Please double check the value or select type "other".',
				],
			},
		});
		const allBad = await call('POST', `/attributes/add/${event.id}`, {
			body: [
				{ type: 'port', value: '70000' },
				{ type: 'no-such-type', value: 'x' },
			],
		});
		expect(allBad.status).toBe(403);
		expect(allBad.json.name).toBe('Could not add Attribute');
		expect(allBad.json.errors).toEqual({
			attribute_0: { value: ['Port numbers have to be integers between 1 and 65535.'] },
			attribute_1: { type: ['Invalid type.'] },
		});
		const partial = await call('POST', `/attributes/add/${event.id}`, {
			body: {
				Attribute: [
					{ type: 'text', value: 'fine' },
					{ type: 'ip-dst', value: '999.1.1.1' },
				],
			},
		});
		expect(partial.status).toBe(200);
		// Exactly one saved: answered as a single attribute, not a list (misp.md §9).
		expect(partial.json.Attribute.value).toBe('fine');
		expect(partial.json.errors).toEqual({
			attribute_1: { value: ['IP address has an invalid format.'] },
		});
	});
});

describe('§8.7 attribute validation and normalisation (misp.md §3.2)', () => {
	async function add(value: string, type: string, extra: Record<string, unknown> = {}) {
		const event = await target.createEvent({ info: 'e' });
		return call('POST', `/attributes/add/${event.id}`, { body: { type, value, ...extra } });
	}

	it.each([
		['sha256', SHA256, SHA256.toLowerCase()],
		['md5', 'D41D8CD98F00B204E9800998ECF8427E', 'd41d8cd98f00b204e9800998ecf8427e'],
		['domain', 'Example.COM.', 'example.com'],
		['hostname', 'WWW.Example.com', 'www.example.com'],
		['ip-dst', '2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
		['ip-dst', '10.0.0.1/32', '10.0.0.1'],
		['url', 'hxxp://evil[.]example/a', 'http://evil.example/a'],
		['domain', 'evil[.]example', 'evil.example'],
		['http-method', 'post', 'POST'],
	])('%s %s is stored as %s', async (type, value, stored) => {
		const r = await add(value, type);
		expect(r.status).toBe(200);
		expect(r.json.Attribute.value).toBe(stored);
	});

	it.each([
		[
			'domain',
			'wpad',
			'Domain has an invalid format. Please double check the value or select type "other".',
		],
		[
			'link',
			'not a url',
			'Value not in the right type/format. Please double check the value or select type "other".',
		],
		['port', '0', 'Port numbers have to be integers between 1 and 65535.'],
		['ip-src', '1.2.3', 'IP address has an invalid format.'],
		[
			'md5',
			'xyz',
			'Checksum has an invalid length or format (expected: 32 hexadecimal characters). Please double check the value or select type "other".',
		],
	])('%s %j is refused: %s', async (type, value, message) => {
		const r = await add(value, type);
		expect(r.status).toBe(403);
		expect(r.json.errors).toEqual({ value: [message] });
	});

	it('unknown type and category/type mismatch use MISP field errors', async () => {
		expect((await add('x', 'bogus')).json.errors).toEqual({ type: ['Invalid type.'] });
		const mismatch = await add(SHA256, 'sha256', { category: 'Network activity' });
		expect(mismatch.json.errors).toEqual({ type: ['Options depend on the selected category.'] });
		const unknownCategory = await add(SHA256, 'sha256', { category: 'Nonsense' });
		expect(Object.keys(unknownCategory.json.errors)).toEqual(['category', 'type']);
		expect(unknownCategory.json.errors.category).toEqual([
			'Options : Payload delivery, Antivirus detection, Payload installation, Files dropped ...',
		]);
	});

	it('defaults category and to_ids from describeTypes sane_defaults', async () => {
		const hash = (await add(SHA256, 'sha256')).json.Attribute;
		expect([hash.category, hash.to_ids]).toEqual(['Payload delivery', true]);
		const link = (await add('https://example.com/x', 'link')).json.Attribute;
		expect([link.category, link.to_ids]).toEqual(['External analysis', false]);
	});

	it('"similar attribute" rule for standalone attributes only; uuids unique instance-wide', async () => {
		const event = await target.createEvent({ info: 'e' });
		const first = await call('POST', `/attributes/add/${event.id}`, {
			body: { type: 'domain', value: 'a.example' },
		});
		expect(first.status).toBe(200);
		const again = await call('POST', `/attributes/add/${event.id}`, {
			body: { type: 'domain', value: 'A.example' },
		});
		expect(again.status).toBe(403);
		expect(again.json.errors).toEqual({
			value: ['A similar attribute already exists for this event.'],
		});
		const inObject = await call('POST', `/objects/add/${event.id}`, {
			body: {
				Object: {
					name: 'domain-ip',
					'meta-category': 'network',
					description: 'd',
					template_uuid: '43b3b146-77eb-4931-b4cc-b66c60f28734',
					template_version: '11',
					Attribute: [{ object_relation: 'domain', type: 'domain', value: 'a.example' }],
				},
			},
		});
		expect(inObject.status).toBe(200);
		const uuid = first.json.Attribute.uuid;
		const reused = await call('POST', `/attributes/add/${event.id}`, {
			body: { type: 'text', value: 'n', uuid },
		});
		expect(reused.json.errors).toEqual({ uuid: ['The UUID provided is not unique'] });
	});
});

describeWithOfficialMisp(
	'§8.7/§8.9 composite types (official describeTypes; misp.md §3.2)',
	(official) => {
		simulatorOnly('split into value1/value2 on add responses, each part normalised and validated', async () => {
			const sim = await startMispSimulator({ objectsDir: official.dir });
			try {
				const post = mispClient(sim.url, sim.apiKey);
				const event = sim.createEvent({ info: 'composite' });
				const hash = await post('POST', `/attributes/add/${event.id}`, {
					body: { type: 'filename|sha256', value: `a.exe|${SHA256}` },
				});
				expect(hash.json.Attribute).toMatchObject({
					value1: 'a.exe',
					value2: SHA256.toLowerCase(),
					value: `a.exe|${SHA256.toLowerCase()}`,
				});
				const pair = await post('POST', `/attributes/add/${event.id}`, {
					body: { type: 'ip-dst|port', value: '10.0.0.1|99999' },
				});
				expect(pair.json.errors).toEqual({
					value: ['Port numbers have to be integers between 1 and 65535.'],
				});
				const flat = await post('POST', `/attributes/add/${event.id}`, {
					body: { type: 'domain|ip', value: 'a.example' },
				});
				expect(flat.json.errors).toEqual({
					value: [
						'Composite type found but the value not in the composite (value1|value2) format.',
					],
				});
			} finally {
				await sim.close();
			}
		});
	},
);

describe('§8.8/§8.9 defaults, shapes and types (misp.md §1.3, §2.1, §2.2)', () => {
	simulatorOnly('objects/add: defaults, numeric-string ids, JSON booleans; first_seen copied; event unpublished', async () => {
		const event = await target.createEvent({ info: 'e', published: true });
		expect((await target.getEvent(event.id))?.Event.published).toBe(true);
		const r = await call('POST', `/objects/add/${event.id}`, {
			body: {
				name: 'custom',
				'meta-category': 'misc',
				description: 'd',
				template_uuid: '11111111-2222-4333-8444-555555555555',
				template_version: '3',
				first_seen: '2024-05-01T10:00:00Z',
				Attribute: [{ object_relation: 'ip', type: 'ip-dst', value: '10.0.0.1' }],
			},
		});
		expect(r.status).toBe(200);
		const o = r.json.Object;
		expect(o).toMatchObject({
			// MISP's model means 5, but MISP 2.5.1 stored 0 (misp.md §10).
			distribution: '0',
			sharing_group_id: '0',
			comment: '',
			deleted: false,
			event_id: event.id,
		});
		expect(o.first_seen).toBe('2024-05-01T10:00:00.000000+00:00');
		expect(o.id).toMatch(/^\d+$/);
		expect(o.timestamp).toMatch(/^\d{10}$/);
		expect(o.uuid).toMatch(/^[0-9a-f-]{36}$/);
		const a = o.Attribute[0];
		expect(a).toMatchObject({
			object_id: o.id,
			event_id: event.id,
			value1: '10.0.0.1',
			value2: '',
			value: '10.0.0.1',
			to_ids: true,
			deleted: false,
			disable_correlation: false,
			distribution: '5',
			first_seen: '2024-05-01T10:00:00.000000+00:00',
			last_seen: null,
		});
		expect((await target.getEvent(event.id))?.Event.published).toBe(false);
	});

	it('attributes/add single → {Attribute, AttributeTag}; list → {Attribute: [...with Tag]}', async () => {
		const event = await target.createEvent({ info: 'e' });
		const single = await call('POST', `/attributes/add/${event.id}`, {
			body: { Attribute: { type: 'text', value: 'one', Tag: [{ name: INCOMPLETE }] } },
		});
		expect(Object.keys(single.json)).toEqual(['Attribute', 'AttributeTag']);
		expect(single.json.Attribute).toMatchObject({
			value1: 'one',
			value2: '',
			object_id: '0',
			object_relation: null,
		});
		expect(single.json.AttributeTag).toEqual([
			expect.objectContaining({
				attribute_id: single.json.Attribute.id,
				tag_id: await tagId(INCOMPLETE),
			}),
		]);
		const fan = await call('POST', `/attributes/add/${event.id}`, {
			body: { type: 'text', value: ['a', 'b'] },
		});
		expect(fan.json.Attribute.map((x: { value: string }) => x.value)).toEqual(['a', 'b']);
		// The Tag key appears only on attributes that have tags (misp.md §9).
		expect(fan.json.Attribute[0]).not.toHaveProperty('Tag');
	});

	simulatorOnly('GET /tags (the mispApi credential test) lists the seeded workflow tags', async () => {
		const r = await call('GET', '/tags');
		expect(r.status).toBe(200);
		const names = (r.json.Tag as Array<{ name: string; id: string }>).map((t) => t.name);
		expect(names).toEqual(expect.arrayContaining([INCOMPLETE, COMPLETE]));
		expect(r.json.Tag[0].id).toMatch(/^\d+$/);
	});
});

describe('§8.10 tags (misp.md §2.3, §6)', () => {
	async function taggedAttribute() {
		const event = await target.createEvent({
			info: 'e',
			Attribute: [
				{ type: 'link', value: 'https://ata.example/portal#/analyst/task/1', Tag: [INCOMPLETE] },
			],
		});
		return { event, attributeId: event.attributeIds[0] };
	}

	it('addTag refuses a second workflow:state tag with 200 saved:false; remove then add works', async () => {
		const { event, attributeId } = await taggedAttribute();
		const complete = await tagId(COMPLETE);
		const refused = await call('POST', `/attributes/addTag/${attributeId}/${complete}`);
		expect(refused.status).toBe(200);
		expect(refused.json).toEqual({ saved: false, errors: 'Tag could not be added.' });
		const removed = await call(
			'POST',
			`/attributes/removeTag/${attributeId}/${await tagId(INCOMPLETE)}`,
		);
		expect(removed.json).toEqual({ saved: true, success: 'Tag removed.', check_publish: true });
		const added = await call('POST', `/attributes/addTag/${attributeId}/${complete}`);
		expect(added.json).toEqual({ saved: true, success: 'Tag added.', check_publish: true });
		const tags = (await target.getEvent(event.id))?.Event.Attribute[0].Tag?.map((t) => t.name);
		expect(tags).toEqual([COMPLETE]);
	});

	it('addTag: unknown tag id → "Tag could not be added.", name → "Invalid Tag.", duplicate → saved:false, unknown attribute → 404 (a), body form works', async () => {
		const { attributeId } = await taggedAttribute();
		expect((await call('POST', `/attributes/addTag/${attributeId}/999999999`)).json).toEqual({
			saved: false,
			errors: 'Tag could not be added.',
		});
		expect(
			(await call('POST', '/attributes/addTag', { body: { attribute: attributeId, tag: 'nsxata:never-created' } })).json,
		).toEqual({ saved: false, errors: 'Invalid Tag.' });
		const again = await call('POST', '/attributes/addTag', {
			body: { attribute: attributeId, tag: INCOMPLETE },
		});
		expect(again.json).toEqual({ saved: false, errors: 'Tag could not be added.' });
		const missing = await call('POST', `/attributes/addTag/99999/${await tagId(COMPLETE)}`);
		expect(missing.status).toBe(404);
		expect(missing.json.message).toBe('Invalid attribute');
		const byName = await call('POST', '/attributes/addTag', {
			body: { attribute: attributeId, tag: 'TLP:CLEAR' },
		});
		expect(byName.json.saved).toBe(false);
	});

	it('removeTag of a tag the attribute lacks → 200 saved:false', async () => {
		const { attributeId } = await taggedAttribute();
		const r = await call('POST', `/attributes/removeTag/${attributeId}/${await tagId(COMPLETE)}`);
		expect(r.json).toEqual({ saved: false, errors: 'Invalid attribute - tag combination.' });
	});

	it('attachTagToObject creates unknown tags and does not check exclusivity (both states remain)', async () => {
		const { event } = await taggedAttribute();
		const uuid = (await target.getEvent(event.id))?.Event.Attribute[0].uuid;
		const r = await call('POST', '/tags/attachTagToObject', {
			body: { uuid, tag: [COMPLETE, 'ata:verdict="malicious"'], local: 0 },
		});
		expect(r.status).toBe(200);
		expect(r.json.saved).toBe(true);
		expect(r.json.success).toBe(true);
		// Several tags: one summary message (TagsController::attachTagToObject).
		expect(r.json.name).toMatch(/^Successfully attached 2 tags to Attribute \(\d+\)$/);
		const names = (await target.getEvent(event.id))?.Event.Attribute[0].Tag?.map((t) => t.name);
		expect(names).toEqual([INCOMPLETE, COMPLETE, 'ata:verdict="malicious"']);
		const again = await call('POST', '/tags/attachTagToObject', { body: { uuid, tag: COMPLETE } });
		expect(again.json.name).toContain('already has the requested tag');
	});

	simulatorOnly('attachTagToObject: unknown uuid → 404 "Invalid Target."; no perm_tag_editor → 403 (b) for new names', async () => {
		const { event } = await taggedAttribute();
		const missing = await call('POST', '/tags/attachTagToObject', {
			body: { uuid: '00000000-0000-4000-8000-000000000000', tag: COMPLETE },
		});
		expect(missing.status).toBe(404);
		expect(missing.json.message).toBe('Invalid Target.');
		const { apiKey } = misp.addUser({ role: { perm_tag_editor: false } });
		const r = await call('POST', '/tags/attachTagToObject', {
			key: apiKey,
			body: { uuid: event.uuid, tag: 'brand-new' },
		});
		expect(r.status).toBe(403);
		expect(r.json.saved).toBe(false);
		expect(r.json.errors).toMatch(/^Failed to attach 1 tags\. Reasons: \{"0":/);
	});

	simulatorOnly('inline Tag arrays create tags only with perm_tag_editor, otherwise drop them silently', async () => {
		const event = await target.createEvent({ info: 'e' });
		const { apiKey } = misp.addUser({ role: { perm_tag_editor: false } });
		const body = { type: 'text', value: 'v', Tag: [{ name: 'new-tag-1' }, { name: INCOMPLETE }] };
		const r = await call('POST', `/attributes/add/${event.id}`, { key: apiKey, body });
		expect(r.status).toBe(200);
		expect((await target.getEvent(event.id))?.Event.Attribute[0].Tag?.map((t) => t.name)).toEqual([
			INCOMPLETE,
		]);
		const withEditor = await call('POST', `/attributes/add/${event.id}`, {
			body: { ...body, value: 'w' },
		});
		expect(withEditor.status).toBe(200);
		expect((await target.getEvent(event.id))?.Event.Attribute[1].Tag?.map((t) => t.name)).toEqual([
			'new-tag-1',
			INCOMPLETE,
		]);
	});

	it('events/addTag with {event, tag} (the stock node) tags the event', async () => {
		const event = await target.createEvent({ info: 'e' });
		const r = await call('POST', '/events/addTag', {
			body: { event: event.id, tag: await tagId(INCOMPLETE) },
		});
		expect(r.json.saved).toBe(true);
		expect((await target.getEvent(event.id))?.Event.Tag.map((t) => t.name)).toEqual([INCOMPLETE]);
	});
});

describe('§8.11 attributes/restSearch (misp.md §2.5)', () => {
	async function seed() {
		const tagged = await target.createEvent({
			info: 'event tagged incomplete',
			Tag: [INCOMPLETE],
			Attribute: [
				{ type: 'link', value: 'https://ata.example/1' },
				{ type: 'domain', value: 'one.example', Tag: ['tlp:green'] },
			],
		});
		const plain = await target.createEvent({
			info: 'plain event',
			Attribute: [
				{ type: 'link', value: 'https://ata.example/2', Tag: [INCOMPLETE] },
				{ type: 'link', value: 'https://ata.example/3', Tag: [COMPLETE] },
			],
		});
		return { tagged, plain };
	}
	const values = (r: { json: { response: { Attribute: Array<{ value: string }> } } }) =>
		r.json.response.Attribute.map((a) => a.value).sort();

	// Searches the whole instance: holds only where it contains nothing but this test's data.
	simulatorOnly('event tags match attributes; returned Tag holds own tags unless includeEventTags', async () => {
		await seed();
		const r = await call('POST', '/attributes/restSearch', {
			body: { returnFormat: 'json', tags: [INCOMPLETE] },
		});
		expect(values(r)).toEqual(['https://ata.example/1', 'https://ata.example/2', 'one.example']);
		const fromEvent = r.json.response.Attribute.find(
			(a: { value: string }) => a.value === 'https://ata.example/1',
		);
		expect(fromEvent.Tag).toBeUndefined();
		expect(fromEvent.value1).toBeUndefined();
		expect(fromEvent.Event).toEqual(
			expect.objectContaining({ info: 'event tagged incomplete', org_id: '1' }),
		);
		expect(r.headers['x-result-count']).toBe('3');
		const inherited = await call('POST', '/attributes/restSearch', {
			body: { tags: INCOMPLETE, value: 'https://ata.example/1', includeEventTags: 1 },
		});
		expect(inherited.json.response.Attribute[0].Tag).toEqual([
			expect.objectContaining({ name: INCOMPLETE, inherited: 1, local: false }),
		]);
	});

	// Searches the whole instance: holds only where it contains nothing but this test's data.
	simulatorOnly('string &&/! syntax, OR/AND/NOT object, LIKE with % case-insensitively', async () => {
		await seed();
		const andNot = await call('POST', '/attributes/restSearch', {
			body: { tags: `${INCOMPLETE}&&!tlp:green` },
		});
		expect(values(andNot)).toEqual(['https://ata.example/1', 'https://ata.example/2']);
		const object = await call('POST', '/attributes/restSearch', {
			body: { tags: { OR: [INCOMPLETE, COMPLETE], NOT: ['TLP:GREEN'] }, type: 'link' },
		});
		expect(values(object)).toEqual([
			'https://ata.example/1',
			'https://ata.example/2',
			'https://ata.example/3',
		]);
		const like = await call('POST', '/attributes/restSearch', {
			body: { tags: ['WORKFLOW:state=%complete%'] },
		});
		expect(values(like)).toHaveLength(4);
		const and = await call('POST', '/attributes/restSearch', {
			body: { tags: { AND: [INCOMPLETE, 'tlp:green'] } },
		});
		expect(values(and)).toEqual(['one.example']);
	});

	// Searches the whole instance: holds only where it contains nothing but this test's data.
	simulatorOnly('unknown tag → empty result, not an error; unknown negated tags are ignored', async () => {
		await seed();
		const r = await call('POST', '/attributes/restSearch', { body: { tags: ['no-such-tag'] } });
		expect(r.status).toBe(200);
		expect(r.json).toEqual({ response: { Attribute: [] } });
		const negated = await call('POST', '/attributes/restSearch', {
			body: { tags: ['!no-such-tag'], type: 'link' },
		});
		expect(values(negated)).toHaveLength(3);
	});

	// Searches the whole instance: holds only where it contains nothing but this test's data.
	simulatorOnly('deleted attributes are excluded; limit/page paginate', async () => {
		const { plain } = await seed();
		await call('POST', `/attributes/delete/${plain.attributeIds[0]}`);
		const r = await call('POST', '/attributes/restSearch', { body: { type: 'link' } });
		expect(values(r)).toEqual(['https://ata.example/1', 'https://ata.example/3']);
		const page2 = await call('POST', '/attributes/restSearch', {
			body: { type: 'link', limit: 1, page: 2 },
		});
		expect(values(page2)).toEqual(['https://ata.example/3']);
		expect(page2.headers['x-result-count']).toBe('1');
	});

	it('GET without parameters → 400 (a); a POST without filters searches everything', async () => {
		const event = await target.createEvent({ info: 'all', Attribute: [{ type: 'text', value: 'found' }] });
		const post = await call('POST', '/attributes/restSearch', { body: {} });
		expect(post.status).toBe(200);
		expect(post.json.response.Attribute.map((a: { event_id: string }) => a.event_id)).toContain(event.id);
		const get = await call('GET', '/attributes/restSearch');
		expect(get.status).toBe(400);
		expect(get.json.message).toMatch(
			/^Restsearch queries using GET and no parameters are not allowed/,
		);
	});

	// Searches the whole instance: holds only where it contains nothing but this test's data.
	simulatorOnly('events/restSearch → {response: [{Event}]}; objects/restSearch → {response: [{Object}]}', async () => {
		const { tagged } = await seed();
		const events = await call('POST', '/events/restSearch', { body: { tags: [INCOMPLETE] } });
		expect(
			events.json.response.map((e: { Event: { info: string } }) => e.Event.info).sort(),
		).toEqual(['event tagged incomplete', 'plain event']);
		await call('POST', `/objects/add/${tagged.id}`, {
			body: {
				name: 'custom',
				'meta-category': 'misc',
				description: 'd',
				template_uuid: '11111111-2222-4333-8444-555555555555',
				template_version: '1',
				Attribute: [{ object_relation: 'n', type: 'text', value: 'inside' }],
			},
		});
		const objects = await call('POST', '/objects/restSearch', { body: { eventid: tagged.id } });
		expect(objects.json.response).toHaveLength(1);
		expect(objects.json.response[0].Object.Attribute[0].value).toBe('inside');
	});
});

describe('§8.12 events/add (misp.md §2.6, §4)', () => {
	const fileUuid = 'b8b0a1a2-0000-4000-8000-000000000001';
	const reportUuid = 'c1d2a1a2-0000-4000-8000-000000000002';

	it('creates event, objects, references by client uuids, tags; drops invalid parts silently', async () => {
		const r = await call('POST', '/events/add', {
			body: {
				Event: {
					info: 'Lastline: abc (score 70)',
					Tag: [
						{ name: 'misp-galaxy:mitre-attack-pattern="Process Injection - T1055"' },
						{ name: COMPLETE },
					],
					Attribute: [
						{ type: 'link', value: 'https://ata.example/t/1' },
						{ type: 'link', value: 'https://ata.example/t/1' },
						{ type: 'sha256', value: 'bad' },
					],
					Object: [
						{
							name: 'file',
							'meta-category': 'file',
							template_uuid: '688c46fb-5edb-40a3-8273-1af7923e2215',
							template_version: '25',
							uuid: fileUuid,
							Attribute: [
								{ object_relation: 'sha256', type: 'sha256', value: SHA256 },
								{ object_relation: 'md5', type: 'md5', value: 'nope' },
							],
							ObjectReference: [
								{ referenced_uuid: reportUuid, relationship_type: 'analysed-with' },
							],
						},
						{
							name: 'sandbox-report',
							'meta-category': 'misc',
							template_uuid: '4d3fffd2-cd07-4357-96e0-a51c988faaef',
							uuid: reportUuid,
							// No template conformity here: sandbox-type is missing, yet it is kept.
							Attribute: [{ object_relation: 'saas-sandbox', type: 'text', value: 'lastline' }],
						},
						{
							name: 'no-template-uuid',
							'meta-category': 'misc',
							Attribute: [{ object_relation: 'x', type: 'text', value: 'y' }],
						},
					],
				},
			},
		});
		target.track(r.json?.Event?.id);
		expect(r.status).toBe(200);
		const e = r.json.Event;
		expect(e.Attribute.map((a: { value: string }) => a.value)).toEqual(['https://ata.example/t/1']);
		expect(e.Object.map((o: { name: string }) => o.name)).toEqual(['file', 'sandbox-report']);
		expect(
			e.Object[0].Attribute.map((a: { object_relation: string }) => a.object_relation),
		).toEqual(['sha256']);
		expect(e.Object[1].template_version).toBe('1');
		expect(e.Object[0].ObjectReference).toEqual([
			expect.objectContaining({
				source_uuid: fileUuid,
				referenced_uuid: reportUuid,
				referenced_id: e.Object[1].id,
				referenced_type: '1',
				relationship_type: 'analysed-with',
			}),
		]);
		expect(e.Tag.map((t: { name: string }) => t.name)).toEqual([
			'misp-galaxy:mitre-attack-pattern="Process Injection - T1055"',
			COMPLETE,
		]);
		expect(e).toMatchObject({
			org_id: '1',
			orgc_id: '1',
			published: false,
			threat_level_id: '4',
			analysis: '0',
			// MISP.default_event_distribution (1 on the MISP 2.5.1 of misp.md §10).
			distribution: '1',
		});
		expect(e.Org).toEqual(expect.objectContaining({ id: '1', name: 'ORGNAME' }));
	});

	it('an existing Event.uuid → 404 with Location; missing info → 403 (b)', async () => {
		const existing = await target.createEvent({ info: 'e' });
		const dup = await call('POST', '/events/add', {
			body: { Event: { info: 'again', uuid: existing.uuid } },
		});
		expect(dup.status).toBe(404);
		expect(dup.headers.location).toBe(`${target.url}/events/${existing.id}`);
		expect(dup.json.message).toBe(
			'Event already exists, if you would like to edit it, use the url in the location header.',
		);
		const noInfo = await call('POST', '/events/add', { body: { Event: { distribution: '0' } } });
		expect(noInfo.status).toBe(403);
		expect(noInfo.json).toMatchObject({
			saved: false,
			name: 'Could not add Event',
			errors: { Event: { info: expect.any(Array) } },
		});
	});

	// Searches the whole instance: holds only where it contains nothing but this test's data.
	simulatorOnly("POST /events with {org_id, info} (the stock node) creates an event in the user's org", async () => {
		const r = await call('POST', '/events', {
			body: { org_id: '7', info: 'from n8n', distribution: 1 },
		});
		expect(r.status).toBe(200);
		expect(r.json.Event).toMatchObject({
			info: 'from n8n',
			org_id: '1',
			orgc_id: '1',
			distribution: '1',
		});
		expect((await call('GET', `/events/${r.json.Event.id}`)).json.Event.uuid).toBe(
			r.json.Event.uuid,
		);
		expect((await call('GET', '/events')).json).toHaveLength(1);
	});
});

describe('§8.13 objectReferences/add (misp.md §2.4)', () => {
	async function twoObjects() {
		const event = await target.createEvent({
			info: 'e',
			Attribute: [{ type: 'text', value: 'standalone' }],
		});
		const add = (value: string) =>
			call('POST', `/objects/add/${event.id}`, {
				body: {
					name: 'custom',
					'meta-category': 'misc',
					description: 'd',
					template_uuid: '11111111-2222-4333-8444-555555555555',
					template_version: '1',
					Attribute: [{ object_relation: 'n', type: 'text', value }],
				},
			});
		const a = (await add('a')).json.Object;
		const b = (await add('b')).json.Object;
		return { event, a, b };
	}

	it('object → object is referenced_type "1", object → attribute "0"', async () => {
		const { event, a, b } = await twoObjects();
		const r = await call('POST', '/objectReferences/add', {
			body: {
				object_uuid: a.uuid,
				referenced_uuid: b.uuid,
				relationship_type: 'related-to',
				comment: '',
			},
		});
		expect(r.status).toBe(200);
		expect(r.json.ObjectReference).toMatchObject({
			object_id: a.id,
			event_id: event.id,
			source_uuid: a.uuid,
			object_uuid: a.uuid,
			referenced_uuid: b.uuid,
			referenced_id: b.id,
			referenced_type: '1',
			relationship_type: 'related-to',
			deleted: false,
		});
		const attributeUuid = (await target.getEvent(event.id))?.Event.Attribute[0].uuid;
		const toAttribute = await call('POST', `/objectReferences/add/${a.id}`, {
			body: { ObjectReference: { referenced_uuid: attributeUuid, relationship_type: 'describes' } },
		});
		expect(toAttribute.json.ObjectReference.referenced_type).toBe('0');
	});

	it('404 "Invalid object." / "Invalid target." / target in another event', async () => {
		const { a } = await twoObjects();
		const noObject = await call('POST', '/objectReferences/add', {
			body: {
				object_uuid: '00000000-0000-4000-8000-000000000000',
				referenced_uuid: a.uuid,
				relationship_type: 'x',
			},
		});
		expect([noObject.status, noObject.json.message]).toEqual([404, 'Invalid object.']);
		const noTarget = await call('POST', '/objectReferences/add', {
			body: {
				object_uuid: a.uuid,
				referenced_uuid: '00000000-0000-4000-8000-000000000000',
				relationship_type: 'x',
			},
		});
		expect([noTarget.status, noTarget.json.message]).toEqual([404, 'Invalid target.']);
		const other = await target.createEvent({
			info: 'other',
			Attribute: [{ type: 'text', value: 'elsewhere' }],
		});
		const elsewhere = (await target.getEvent(other.id))?.Event.Attribute[0].uuid;
		const cross = await call('POST', '/objectReferences/add', {
			body: { object_uuid: a.uuid, referenced_uuid: elsewhere, relationship_type: 'x' },
		});
		expect(cross.json.message).toBe(
			'Invalid target. Target has to be within the same event or extending it.',
		);
	});
});

describe('fault injection (for the fault-matrix tests)', () => {
	const body = { type: 'text', value: 'written?' };

	simulatorOnly('http500 by count, then normal service; the request log shows both', async () => {
		const event = await target.createEvent({ info: 'e' });
		misp.injectFault({ route: '/attributes/add', kind: 'http500', times: 1 });
		const failed = await call('POST', `/attributes/add/${event.id}`, { body });
		expect(failed.status).toBe(500);
		expect((await target.getEvent(event.id))?.Event.Attribute).toHaveLength(0);
		expect((await call('POST', `/attributes/add/${event.id}`, { body })).status).toBe(200);
		expect(misp.requests.map((r) => [r.status, r.fault])).toEqual([
			[500, 'http500'],
			[200, undefined],
		]);
	});

	simulatorOnly('reset before the write leaves no trace; reset after the write applies it', async () => {
		const event = await target.createEvent({ info: 'e' });
		misp.injectFault({ route: /^\/attributes\/add\//, kind: 'reset', times: 1, phase: 'before' });
		await expect(call('POST', `/attributes/add/${event.id}`, { body })).rejects.toThrow();
		expect((await target.getEvent(event.id))?.Event.Attribute).toHaveLength(0);
		misp.injectFault({ route: '/attributes/add', kind: 'reset', times: 1, phase: 'after' });
		await expect(call('POST', `/attributes/add/${event.id}`, { body })).rejects.toThrow();
		expect((await target.getEvent(event.id))?.Event.Attribute).toHaveLength(1);
	});

	simulatorOnly('http403/http404 on a route only; rate 0 never fires; clearFaults removes rules', async () => {
		misp.injectFault({ route: '/tags', kind: 'http403' });
		misp.injectFault({ route: '/attributes/describeTypes.json', kind: 'http404', rate: 0 });
		expect((await call('GET', '/tags')).status).toBe(403);
		expect((await call('GET', '/tags')).status).toBe(403);
		expect((await call('GET', '/attributes/describeTypes.json')).status).toBe(200);
		misp.clearFaults();
		expect((await call('GET', '/tags')).status).toBe(200);
	});

	simulatorOnly('latency holds the answer for delayMs', async () => {
		misp.injectFault({ route: '/tags', kind: 'latency', delayMs: 150, times: 1 });
		const started = Date.now();
		expect((await call('GET', '/tags')).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
		expect(misp.requests.at(-1)?.fault).toBe('latency');
	});
});
