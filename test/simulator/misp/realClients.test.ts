/**
 * What real clients (PyMISP) need and MISP 2.5.1 answers (misp.md §9), each expectation checked
 * against a real MISP 2.5.1. Runs against the simulator, or a real MISP with MISP_URL/MISP_KEY.
 */
import { startMispSimulator } from '../../../simulator/misp';
import { mispClient } from './mispHttp';
import { mispTarget, simulatorOnly, type MispTarget } from './mispTarget';

const FILE_UUID = '688c46fb-5edb-40a3-8273-1af7923e2215';
const DOMAIN_IP_UUID = '43b3b146-77eb-4931-b4cc-b66c60f28734';

let target: MispTarget;
let call: MispTarget['call'];
let tag: (name: string) => string;

beforeAll(async () => {
	target = await mispTarget();
	call = target.call;
	tag = (name) => `${target.tagPrefix}:${name}`;
});
afterAll(async () => target.close(), 600_000);

const values = (r: { json: { response: { Attribute: Array<{ value: string }> } } }) =>
	r.json.response.Attribute.map((a) => a.value).sort();

function domainIpObject(attributes: unknown[]) {
	return {
		Object: {
			name: 'domain-ip',
			'meta-category': 'network',
			description: 'd',
			template_uuid: DOMAIN_IP_UUID,
			template_version: '11',
			Attribute: attributes,
		},
	};
}

async function addAttribute(eventId: string, value: string) {
	const r = await call('POST', `/attributes/add/${eventId}`, { body: { type: 'text', value } });
	expect(r.status).toBe(200);
	return r.json.Attribute as { id: string; uuid: string };
}

describe('PyMISP bootstrap (servers/getPyMISPVersion.json, servers/getVersion, users/view/me)', () => {
	it('answers the three calls PyMISP makes before anything else', async () => {
		const pymisp = await call('GET', '/servers/getPyMISPVersion.json');
		expect([pymisp.status, pymisp.json]).toEqual([200, { version: '2.5.1' }]);
		const version = await call('GET', '/servers/getVersion');
		expect(version.status).toBe(200);
		expect(version.json).toMatchObject({
			version: '2.5.1',
			pymisp_recommended_version: '2.5.1',
			request_encoding: ['gzip'],
			filter_sightings: true,
		});
		const me = await call('GET', '/users/view/me');
		expect(me.status).toBe(200);
		expect(Object.keys(me.json)).toEqual(['User', 'Role', 'UserSetting', 'Organisation']);
		expect(me.json.User).toMatchObject({ id: expect.any(String), email: expect.any(String) });
		expect(me.json.Role).toMatchObject({ perm_add: true, perm_tagger: true });
		expect(me.json.Organisation.id).toBe(me.json.User.org_id);
	});
});

describe('tags/attachTagToObject and tags/removeTagFromObject (PyMISP tag/untag)', () => {
	it('several tags: 200 when any attached, failures appended; only failures: 403', async () => {
		const event = await target.createEvent({ info: 'tags' });
		const a = await addAttribute(event.id, 'tagged');
		const partial = await call('POST', '/tags/attachTagToObject', {
			body: { uuid: a.uuid, tag: [tag('one'), '999999999'] },
		});
		expect(partial.status).toBe(200);
		expect(partial.json.message).toMatch(
			new RegExp(
				`^Global tag ${tag('one')}\\(\\d+\\) successfully attached to Attribute\\(${a.id}\\)\\.\\nFailed to attach 1 tags\\. Reasons: \\{"0":"Invalid Tag\\."\\}$`,
			),
		);
		const none = await call('POST', '/tags/attachTagToObject', {
			body: { uuid: a.uuid, tag: '999999999' },
		});
		expect(none.status).toBe(403);
		expect(none.json).toMatchObject({
			saved: false,
			name: 'Could not attachTagToObject Tag',
			errors: 'Failed to attach 1 tags. Reasons: {"0":"Invalid Tag."}',
		});
	});

	it('a JSON-encoded list is one tag name', async () => {
		const event = await target.createEvent({ info: 'tags' });
		const encoded = JSON.stringify([tag('x'), tag('y')]);
		const r = await call('POST', '/tags/attachTagToObject', {
			body: { uuid: event.uuid, tag: encoded },
		});
		expect(r.status).toBe(200);
		expect((await target.getEvent(event.id))?.Event.Tag.map((t) => t.name)).toEqual([encoded]);
	});

	it('names are matched with LIKE: "_" and "%" are wildcards that hit another existing tag', async () => {
		const event = await target.createEvent({ info: 'like' });
		const other = await target.createEvent({ info: 'like, other' });
		await call('POST', '/tags/attachTagToObject', { body: { uuid: other.uuid, tag: tag('a') } });
		const wildcard = await call('POST', '/tags/attachTagToObject', {
			body: { uuid: event.uuid, tag: tag('_') },
		});
		expect(wildcard.json.message).toMatch(new RegExp(`^Global tag ${tag('a')}\\(`));
		await call('POST', '/tags/attachTagToObject', {
			body: { uuid: event.uuid, tag: `${tag('')}%a` },
		});
		expect((await target.getEvent(event.id))?.Event.Tag.map((t) => t.name)).toEqual([tag('a')]);
	});

	it('untag: removes the link; not attached → 404; unknown tag → 405 "Invalid Tag."', async () => {
		const event = await target.createEvent({ info: 'untag' });
		const a = await addAttribute(event.id, 'untag me');
		await call('POST', '/tags/attachTagToObject', { body: { uuid: a.uuid, tag: tag('u') } });
		const removed = await call('POST', '/tags/removeTagFromObject', {
			body: { uuid: a.uuid, tag: tag('u') },
		});
		expect(removed.status).toBe(200);
		expect(removed.json).toMatchObject({
			saved: true,
			success: true,
			url: '/tags/removeTagFromObject',
		});
		expect(removed.json.message).toMatch(
			new RegExp(
				`^Global tag ${tag('u')} \\(\\d+\\) successfully removed from Attribute\\(${a.id}\\)\\.$`,
			),
		);
		const again = await call('POST', '/tags/removeTagFromObject', {
			body: { uuid: a.uuid, tag: tag('u') },
		});
		expect([again.status, again.json.message]).toEqual([
			404,
			'Could not remove tag as it is not attached to the target Attribute',
		]);
		const unknown = await call('POST', '/tags/removeTagFromObject', {
			body: { uuid: a.uuid, tag: tag('never-created') },
		});
		expect([unknown.status, unknown.json.message]).toEqual([405, 'Invalid Tag.']);
	});
});

describe('restSearch tag strings: "&&" and "||" are both OR lists', () => {
	it('a&&b and a||b find either; {AND: [a, b]} needs both', async () => {
		const event = await target.createEvent({ info: 'search' });
		const two = await addAttribute(event.id, 'has two');
		const three = await addAttribute(event.id, 'has three');
		await call('POST', '/tags/attachTagToObject', { body: { uuid: two.uuid, tag: tag('t2') } });
		await call('POST', '/tags/attachTagToObject', { body: { uuid: three.uuid, tag: tag('t3') } });
		const search = (tags: unknown) =>
			call('POST', '/attributes/restSearch', { body: { eventid: event.id, tags } });
		expect(values(await search(`${tag('t2')}&&${tag('t3')}`))).toEqual(['has three', 'has two']);
		expect(values(await search(`${tag('t2')}||${tag('t3')}`))).toEqual(['has three', 'has two']);
		expect(values(await search(`${tag('t2')}&&!${tag('t3')}`))).toEqual(['has two']);
		expect(values(await search({ AND: [tag('t2'), tag('t3')] }))).toEqual([]);
	});
});

describe('deletes (PyMISP delete_attribute/delete_object/delete_event) and POST events/view', () => {
	it('attributes/delete: soft, visible with {deleted: true}; hard removes it', async () => {
		const event = await target.createEvent({ info: 'delete attribute' });
		const a = await addAttribute(event.id, 'soft');
		const soft = await call('POST', `/attributes/delete/${a.id}`);
		expect([soft.status, soft.json]).toEqual([200, { message: 'Attribute deleted.' }]);
		const again = await call('POST', `/attributes/delete/${a.id}`);
		expect([again.status, again.json.message]).toEqual([404, 'Invalid attribute']);
		expect((await target.getEvent(event.id))?.Event.Attribute).toEqual([]);
		const withDeleted = await call('POST', `/events/view/${event.id}`, { body: { deleted: true } });
		expect(withDeleted.json.Event.Attribute.map((x: { deleted: boolean }) => x.deleted)).toEqual([
			true,
		]);
		const hard = await call('POST', `/attributes/delete/${a.id}`, { body: { hard: 1 } });
		expect([hard.status, hard.json]).toEqual([200, { message: 'Attribute deleted.' }]);
		const gone = await call('POST', `/events/view/${event.id}`, { body: { deleted: [0, 1] } });
		expect(gone.json.Event.Attribute).toEqual([]);
	});

	it('objects/delete: soft flags the object and its attributes; hard removes; unknown → 404', async () => {
		const event = await target.createEvent({ info: 'delete object' });
		const o = await call('POST', `/objects/add/${event.id}`, {
			body: domainIpObject([{ object_relation: 'ip', type: 'ip-dst', value: '192.0.2.1' }]),
		});
		const id = o.json.Object.id;
		const deleted = {
			saved: true,
			success: true,
			name: 'Object deleted',
			message: 'Object deleted',
			url: `/objects/delete/${event.id}`,
			id: event.id,
		};
		expect((await call('POST', `/objects/delete/${id}`)).json).toEqual(deleted);
		const view = await call('POST', `/events/view/${event.id}`, { body: { deleted: 1 } });
		expect(view.json.Event.Object).toEqual([
			expect.objectContaining({
				id,
				deleted: true,
				Attribute: [expect.objectContaining({ deleted: true })],
			}),
		]);
		expect((await call('POST', `/objects/delete/${id}`, { body: { hard: 1 } })).json).toEqual(
			deleted,
		);
		const after = await call('POST', `/events/view/${event.id}`, { body: { deleted: 1 } });
		expect(after.json.Event.Object).toEqual([]);
		const unknown = await call('POST', '/objects/delete/999999999');
		expect([unknown.status, unknown.json.message]).toEqual([404, 'Invalid object.']);
	});

	it('events/delete: deleted for good; again → 403 "Event was not deleted."', async () => {
		const event = await target.createEvent({ info: 'delete event' });
		const r = await call('POST', `/events/delete/${event.id}`);
		expect(r.json).toEqual({
			saved: true,
			success: true,
			name: 'Event deleted.',
			message: 'Event deleted.',
			url: `/events/delete/${event.id}`,
			id: event.id,
		});
		const again = await call('POST', `/events/delete/${event.id}`);
		expect([again.status, again.json]).toEqual([
			403,
			{
				saved: false,
				name: 'Could not delete Event',
				message: 'Could not delete Event',
				url: '/events/delete',
				errors: 'Event was not deleted.',
			},
		]);
		const view = await call('GET', `/events/view/${event.id}`);
		expect([view.status, view.json.message]).toEqual([404, 'Invalid event']);
	});
});

describe('answer texts (misp.md §9)', () => {
	const fileObject = (extra: Record<string, unknown>, attributes: unknown[]) => ({
		Object: {
			name: 'file',
			'meta-category': 'file',
			description: 'd',
			template_uuid: FILE_UUID,
			template_version: '24',
			...extra,
			Attribute: attributes,
		},
	});

	it('an object uuid taken: errors is a string', async () => {
		const event = await target.createEvent({ info: 'uuid' });
		const first = await call('POST', `/objects/add/${event.id}`, {
			body: fileObject({}, [{ object_relation: 'filename', type: 'filename', value: 'a.exe' }]),
		});
		const again = await call('POST', `/objects/add/${event.id}`, {
			body: fileObject({ uuid: first.json.Object.uuid }, [
				{ object_relation: 'filename', type: 'filename', value: 'b.exe' },
			]),
		});
		expect([again.status, again.json.errors]).toEqual([
			403,
			'Object could not be saved.\nuuid: The UUID provided is not unique',
		]);
	});

	it("the last invalid attribute is reported, validated with the previous one's category when it has none", async () => {
		const event = await target.createEvent({ info: 'validation' });
		const md5 = { object_relation: 'text', type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' };
		const ip = { object_relation: 'ip', type: 'ip-dst', value: '192.0.2.7' };
		const leaked = await call('POST', `/objects/add/${event.id}`, {
			body: domainIpObject([ip, md5]),
		});
		expect([leaked.status, leaked.json.errors]).toEqual([
			403,
			'Could not save object as at least one attribute has failed validation (text). {"type":["Options depend on the selected category."]}',
		]);
		expect(
			(await call('POST', `/objects/add/${event.id}`, { body: domainIpObject([md5, ip]) })).status,
		).toBe(200);
		const twoBad = await call('POST', `/objects/add/${event.id}`, {
			body: domainIpObject([
				{ object_relation: 'ip', type: 'ip-dst', value: 'bad1' },
				{ object_relation: 'domain', type: 'domain', category: 'Network activity', value: 'bad 2' },
			]),
		});
		expect(twoBad.json.errors).toMatch(
			/failed validation \(domain\)\. \{"value":\["Domain has an invalid format/,
		);
	});

	it('attributes/add without a type → "No type set."', async () => {
		const event = await target.createEvent({ info: 'no type' });
		const r = await call('POST', `/attributes/add/${event.id}`, { body: { value: 'x' } });
		expect([r.status, r.json.errors]).toEqual([403, { type: ['No type set.'] }]);
	});
});

describe('template versions (misp.md §9, §10)', () => {
	simulatorOnly(
		'several versions at once: each object is checked against the version it names',
		async () => {
			const misp = await startMispSimulator({
				knownTemplates: [{ name: 'file', version: 24 }, { name: 'file' }],
			});
			try {
				const versions = misp.knowledge.templates.map((t) => t.version);
				const latest = Math.max(...versions);
				expect(versions).toHaveLength(2);
				const simCall = mispClient(misp.url, misp.apiKey);
				const event = misp.createEvent({ info: 'versions' });
				const add = (version: string, extra: Record<string, unknown> = {}) =>
					simCall('POST', `/objects/add/${event.id}`, {
						body: {
							Object: {
								name: 'file',
								'meta-category': 'file',
								template_uuid: FILE_UUID,
								template_version: version,
								...extra,
								Attribute: [{ object_relation: 'x', type: 'text', value: 'y' }],
							},
						},
					});
				expect((await add('24')).status).toBe(403);
				expect((await add(String(latest))).status).toBe(403);
				// A version the instance does not have: no conformity check, but template fields needed.
				expect((await add('23')).json.errors).toBe(
					'Object could not be saved.\ntemplate: No valid template found and object lacking template information. (description)',
				);
				expect((await add('23', { description: 'd' })).status).toBe(200);
			} finally {
				await misp.close();
			}
		},
	);
});
