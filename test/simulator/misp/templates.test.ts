/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development-only code, never shipped in dist/ */
/**
 * Template conformity on `objects/add` (misp.md §2.1 step 6, §3.1, §8 item 6) against the official
 * misp-objects files; skipped with a console message when MISP_OBJECTS_DIR is absent. The last
 * suite checks the fallback to the project's own knowledge, which needs no official files.
 */
import { join } from 'node:path';
import { tmpdir } from 'node:os';

import { startMispSimulator, type MispSimulator } from '../../../simulator/misp';
import { defaultObjectsDir } from '../../../simulator/misp/knowledge';
import { describeWithOfficialMisp, officialMispDir } from '../../support/officialMisp';
import { mispClient } from './mispHttp';

const SANDBOX_REPORT_UUID = '4d3fffd2-cd07-4357-96e0-a51c988faaef';

function sandboxReport(
	version: string,
	attributes: Array<[string, string]>,
	extra: Record<string, unknown> = {},
) {
	return {
		Object: {
			name: 'sandbox-report',
			'meta-category': 'misc',
			description: 'our own wording',
			template_uuid: SANDBOX_REPORT_UUID,
			template_version: version,
			Attribute: attributes.map(([relation, value]) => ({
				object_relation: relation,
				type: 'text',
				value,
			})),
			...extra,
		},
	};
}

async function withSimulator(
	options: Parameters<typeof startMispSimulator>[0],
	body: (
		misp: MispSimulator,
		call: ReturnType<typeof mispClient>,
		eventId: string,
	) => Promise<void>,
): Promise<void> {
	const misp = await startMispSimulator(options);
	try {
		const event = misp.createEvent({ info: 'templates' });
		await body(misp, mispClient(misp.url, misp.apiKey), event.id);
	} finally {
		await misp.close();
	}
}

describeWithOfficialMisp('objects/add template conformity (official templates)', (official) => {
	const objectsDir = official.dir;
	let misp: MispSimulator;
	let call: ReturnType<typeof mispClient>;
	let eventId: string;

	beforeAll(async () => {
		misp = await startMispSimulator({ objectsDir });
		call = mispClient(misp.url, misp.apiKey);
	});
	afterAll(async () => misp.close());
	beforeEach(() => {
		misp.reset();
		eventId = misp.createEvent({ info: 'e' }).id;
	});

	it('loads every official template and describeTypes (misp.md §8 item 6)', () => {
		expect(misp.knowledge.source).toBe('official');
		expect(misp.knowledge.templates.map((t) => t.name)).toEqual(
			[...official.templates.keys()].sort(),
		);
		expect(misp.knowledge.describeTypes.types).toEqual(official.describeTypes.types);
		expect(misp.knowledge.exclusivePredicates).toEqual(['workflow:state']);
	});

	it('required missing → 403 (b) "Could not add Object", url /objects/add, errors a string (PyMISP #678 form)', async () => {
		const r = await call('POST', `/objects/add/${eventId}`, {
			body: sandboxReport('2', [['saas-sandbox', 'lastline']]),
		});
		expect(r.status).toBe(403);
		expect(r.json).toEqual({
			saved: false,
			name: 'Could not add Object',
			message: 'Could not add Object',
			url: '/objects/add',
			errors: 'Could not save the object as a required attribute is not set (sandbox-type)',
		});
	});

	it("requiredOneOf missing → the template's list in its own order", async () => {
		const r = await call('POST', `/objects/add/${eventId}`, {
			body: sandboxReport('2', [['sandbox-type', 'saas']]),
		});
		const oneOf: string[] = official.templates.get('sandbox-report').requiredOneOf;
		expect(r.json.errors).toBe(
			`Could not save the object as it requires at least one of the following attributes to be set: ${oneOf.join(', ')}`,
		);
	});

	it('a non-multiple relation twice → the "unique relationship" message; multiple relations may repeat', async () => {
		const twice = await call('POST', `/objects/add/${eventId}`, {
			body: sandboxReport('2', [
				['sandbox-type', 'saas'],
				['saas-sandbox', 'a'],
				['saas-sandbox', 'b'],
			]),
		});
		expect(twice.status).toBe(403);
		expect(twice.json.errors).toBe(
			'Could not save the object as a unique relationship within the object was assigned to more than one attribute. This is only allowed if the multiple flag is set in the object template.',
		);
		const multiple = await call('POST', `/objects/add/${eventId}`, {
			body: sandboxReport('2', [
				['sandbox-type', 'saas'],
				['saas-sandbox', 'a'],
				['results', 'x'],
				['results', 'y'],
			]),
		});
		expect(multiple.status).toBe(200);
	});

	it('conforming object: 200, and MISP overwrites name/description/version from its own copy', async () => {
		const r = await call('POST', `/objects/add/${eventId}`, {
			body: sandboxReport('2', [
				['sandbox-type', 'saas'],
				['saas-sandbox', 'lastline'],
				['score', '70'],
			]),
		});
		expect(r.status).toBe(200);
		expect(r.json.Object).toMatchObject({
			name: 'sandbox-report',
			description: official.templates.get('sandbox-report').description,
			template_version: '2',
		});
	});

	it('no check of unknown relations, type mismatches or value lists', async () => {
		const body = sandboxReport('2', [
			['sandbox-type', 'not-in-sane-default'],
			['saas-sandbox', 'lastline'],
		]);
		// Each with its own category: without one MISP validates an attribute with the previous
		// attribute's category (its merged validation data, see realMispFindings.test.ts).
		const categorised: Array<[string, string, string, string]> = [
			['invented-relation', 'link', 'External analysis', 'https://x.example/'],
			['score', 'counter', 'Other', '70'],
		];
		for (const [object_relation, type, category, value] of categorised) {
			body.Object.Attribute.push({ object_relation, type, category, value } as (typeof body.Object.Attribute)[number]);
		}
		// An unknown relation may even repeat: only the template's own elements are counted.
		body.Object.Attribute.push({
			object_relation: 'invented-relation',
			type: 'text',
			value: 'again',
		});
		expect((await call('POST', `/objects/add/${eventId}`, { body })).status).toBe(200);
	});

	it('unknown template version → no conformity check at all (misp.md §2.1 step 6)', async () => {
		const r = await call('POST', `/objects/add/${eventId}`, {
			body: sandboxReport('1', [['saas-sandbox', 'lastline']]),
		});
		expect(r.status).toBe(200);
		expect(r.json.Object.template_version).toBe('1');
		expect(r.json.Object.description).toBe('our own wording');
	});

	it('without a known template all five template fields are required (issue #852 form)', async () => {
		const body = sandboxReport('1', [['saas-sandbox', 'lastline']]);
		delete (body.Object as Record<string, unknown>).description;
		const r = await call('POST', `/objects/add/${eventId}`, { body });
		expect(r.status).toBe(403);
		expect(r.json.errors).toBe(
			'Object could not be saved.\ntemplate: No valid template found and object lacking template information. (description)',
		);
	});

	it('template in the URL: latest version used, checked, fields filled in; unknown → 404 "Invalid template."', async () => {
		const bare = { Attribute: [{ object_relation: 'sandbox-type', type: 'text', value: 'saas' }] };
		const refused = await call('POST', `/objects/add/${eventId}/${SANDBOX_REPORT_UUID}`, {
			body: bare,
		});
		expect(refused.status).toBe(403);
		expect(refused.json.errors).toMatch(/requires at least one of the following attributes/);
		bare.Attribute.push({ object_relation: 'web-sandbox', type: 'text', value: 'hybrid-analysis' });
		const saved = await call('POST', `/objects/add/${eventId}/${SANDBOX_REPORT_UUID}`, {
			body: bare,
		});
		expect(saved.status).toBe(200);
		expect(saved.json.Object).toMatchObject({
			name: 'sandbox-report',
			'meta-category': 'misc',
			template_version: '2',
		});
		const unknown = await call(
			'POST',
			`/objects/add/${eventId}/00000000-0000-4000-8000-000000000000`,
			{ body: bare },
		);
		expect([unknown.status, unknown.json.message]).toEqual([404, 'Invalid template.']);
	});

	it('breakOnDuplicate:1 refuses an object equal to an existing one, compared with the categories as sent', async () => {
		const body = sandboxReport('2', [
			['sandbox-type', 'saas'],
			['saas-sandbox', 'lastline'],
		]);
		const first = await call('POST', `/objects/add/${eventId}`, { body });
		expect(first.status).toBe(200);
		// MISP hashes the requested attributes as sent: without a category they never equal stored ones.
		expect((await call('POST', `/objects/add/${eventId}/breakOnDuplicate:1`, { body })).status).toBe(
			200,
		);
		for (const attribute of body.Object.Attribute) {
			(attribute as Record<string, string>).category = 'Other';
		}
		const refused = await call('POST', `/objects/add/${eventId}/breakOnDuplicate:1`, { body });
		expect(refused.status).toBe(403);
		expect(refused.json.errors).toBe(
			`Object could not be saved.\nvalue: Duplicate object found (id: ${first.json.Object.id}, uuid: ${first.json.Object.uuid}). Since breakOnDuplicate is set the object will not be added.`,
		);
	});

	it('knownTemplates decides what the instance has: other versions and absent templates go unchecked', async () => {
		const nonConforming = sandboxReport('2', [['saas-sandbox', 'lastline']]);
		await withSimulator({ objectsDir, knownTemplates: [{ name: 'file' }] }, async (_m, c, id) => {
			expect((await c('POST', `/objects/add/${id}`, { body: nonConforming })).status).toBe(200);
		});
		await withSimulator(
			{ objectsDir, knownTemplates: [{ name: 'sandbox-report', version: 1 }] },
			async (_m, c, id) => {
				expect((await c('POST', `/objects/add/${id}`, { body: nonConforming })).status).toBe(200);
				const v1 = sandboxReport('1', [['saas-sandbox', 'lastline']]);
				expect((await c('POST', `/objects/add/${id}`, { body: v1 })).status).toBe(403);
			},
		);
	});
});

describe("fallback knowledge when the official files are absent (a user's clone)", () => {
	it("uses the project's template and type modules, still enforcing conformity", async () => {
		const missingDir = join(tmpdir(), 'no-misp-objects-here');
		await withSimulator({ objectsDir: missingDir }, async (misp, call, eventId) => {
			expect(misp.knowledge.source).toBe('project');
			expect(misp.knowledge.templates.map((t) => t.name)).toContain('sandbox-report');
			const r = await call('POST', `/objects/add/${eventId}`, {
				body: sandboxReport('2', [['saas-sandbox', 'x']]),
			});
			expect(r.status).toBe(403);
			expect(r.json.errors).toBe(
				'Could not save the object as a required attribute is not set (sandbox-type)',
			);
			const hash = await call('POST', `/attributes/add/${eventId}`, {
				body: { type: 'sha256', value: 'A'.repeat(64) },
			});
			expect(hash.json.Attribute).toMatchObject({
				value: 'a'.repeat(64),
				category: 'Payload delivery',
				to_ids: true,
			});
			expect((await call('GET', '/tags')).json.Tag.map((t: { name: string }) => t.name)).toContain(
				'workflow:state="incomplete"',
			);
		});
	});

	it('the simulator looks for the official files where the shared test loader does', () => {
		expect(defaultObjectsDir()).toBe(officialMispDir());
	});
});
