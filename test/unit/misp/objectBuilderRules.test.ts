/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/** Every rule of the MISP Object Builder, each with a case that breaks it and one that passes. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { relationOptions, getRelations } from '../../../nodes/MispObjectBuilder/methods/loadOptions';
import { eventSettingProblems, wrapAsEvent, type EventSettings } from '../../../nodes/MispObjectBuilder/objects/eventWrap';
import { buildObject, type ObjectSpec } from '../../../nodes/MispObjectBuilder/objects/objectBuild';
import { validateMispObject } from '../../../nodes/MispObjectBuilder/objects/objectValidation';
import { problemReport, type ObjectProblem } from '../../../nodes/MispObjectBuilder/objects/problems';
import { toMispResults } from '../../../nodes/shared/misp/converter';
import { isUuid } from '../../../nodes/shared/misp/uuid';

const MD5 = 'D41D8CD98F00B204E9800998ECF8427E';
const OTHER_UUID = '5a4b4f8c-3d2e-4f1a-9b7c-0123456789ab';

function problemsOf(spec: ObjectSpec): ObjectProblem[] {
	const result = buildObject(spec);
	return result.ok ? [] : result.problems;
}

function built(spec: ObjectSpec) {
	const result = buildObject(spec);
	if (!result.ok) throw new Error(JSON.stringify(result.problems));
	return result.object;
}

/** The one problem a case must produce, by rule and relation. */
function expectOnly(problems: ObjectProblem[], rule: ObjectProblem['rule'], relation?: string) {
	expect(problems.map((p) => [p.rule, p.relation])).toEqual([[rule, relation]]);
}

describe('template and relation names', () => {
	it('refuses an unknown template and accepts a known one', () => {
		expectOnly(problemsOf({ template: 'no-such-template', attributes: [] }), 'unknown template');
		expectOnly(problemsOf({ template: 'constructor', attributes: [] }), 'unknown template');
		expect(problemsOf({ template: 'mutex', attributes: [{ relation: 'name', value: 'Global\\x' }] })).toEqual([]);
	});

	it('names an unknown relation', () => {
		const problems = problemsOf({
			template: 'file',
			attributes: [{ relation: 'md5', value: MD5 }, { relation: 'sha257', value: 'x' }],
		});
		expectOnly(problems, 'unknown relation', 'sha257');
		expect(problems[0].message).toMatch(/file template has no relation "sha257"/);
	});

	it('catches a type that differs from the template (objects from elsewhere)', () => {
		const object = built({ template: 'file', attributes: [{ relation: 'md5', value: MD5 }] });
		expect(validateMispObject(object)).toEqual([]);
		object.Attribute[0].type = 'sha1';
		expectOnly(validateMispObject(object), 'type mismatch', 'md5');
	});
});

describe('value formats', () => {
	const cases: Array<[string, string, string, string, RegExp]> = [
		// template, relation, bad value, good value, message
		['file', 'md5', 'abc', MD5, /expected: 32 hexadecimal/],
		['file', 'sha256', 'a'.repeat(63), 'a'.repeat(64), /expected: 64 hexadecimal/],
		['file', 'sha1', 'g'.repeat(40), 'f'.repeat(40), /expected: 40 hexadecimal/],
		['file', 'ssdeep', 'not-ssdeep', '24:abc:def', /ssdeep/],
		['file', 'size-in-bytes', '-1', '12', /non-negative integer/],
		['file', 'entropy', 'high', '7.9', /number/],
		['domain-ip', 'ip', '300.1.1.1', '2001:db8::1', /IP address/],
		['domain-ip', 'domain', 'localhost', 'evil.example', /Domain name/],
		['domain-ip', 'hostname', 'no spaces.example', 'www.evil.example', /Domain name/],
		['ip-port', 'dst-port', '70000', '443', /Port numbers/],
		['ip-port', 'AS', 'ASX', 'AS64500', /AS number/],
		['url', 'url', 'http://a.example/\nb', 'http://a.example/b', /line break/],
		['url', 'first-seen', 'yesterday-ish', '2024-05-01T10:00:00Z', /date and time/],
		['sandbox-report', 'permalink', 'not a link', 'https://portal.example/x', /right type\/format/],
		['http-request', 'method', 'FETCH', 'get', /HTTP method/],
		['process', 'hidden', 'maybe', 'false', /boolean/],
	];

	it.each(cases)('%s.%s: refuses %j, accepts %j', (template, relation, bad, good, message) => {
		const problems = problemsOf({ template, attributes: [{ relation, value: bad }] }).filter(
			(p) => p.rule === 'value format',
		);
		expect(problems.map((p) => p.relation)).toEqual([relation]);
		expect(problems[0].message).toMatch(message);
		const object = buildObject({ template, attributes: [{ relation, value: good }] });
		// Alone the good value may still miss a required relation; its value format is fine.
		const formatProblems = object.ok ? [] : object.problems.filter((p) => p.rule === 'value format');
		expect(formatProblems).toEqual([]);
	});

	it('stores values the way MISP normalises them', () => {
		const object = built({
			template: 'ip-port',
			attributes: [
				{ relation: 'ip', value: '2001:0DB8:0000:0000:0000:0000:0000:0001' },
				{ relation: 'domain', value: 'Evil.Example.' },
				{ relation: 'dst-port', value: 443 },
				{ relation: 'AS', value: 'as64500' },
			],
		});
		expect(object.Attribute.map((a) => a.value)).toEqual(['2001:db8::1', 'evil.example', '443', '64500']);
		const file = built({ template: 'file', attributes: [{ relation: 'md5', value: MD5 }] });
		expect(file.Attribute[0].value).toBe(MD5.toLowerCase());
	});

	it('refuses a value that is neither text, number, boolean nor a list of those', () => {
		expectOnly(problemsOf({ template: 'mutex', attributes: [{ relation: 'name', value: { a: 1 } }] }), 'value format', 'name');
	});

	it('skips empty values, so an expression that yields nothing adds no attribute', () => {
		const object = built({
			template: 'mutex',
			attributes: [
				{ relation: 'name', value: 'Global\\m' },
				{ relation: 'description', value: '' },
				{ relation: 'operating-system', value: null },
			],
		});
		expect(object.Attribute.map((a) => a.object_relation)).toEqual(['name']);
		const blank = problemsOf({ template: 'mutex', attributes: [{ relation: 'name', value: '   ' }] });
		expect(blank.map((p) => p.rule)).toEqual(['no attributes', 'required one of']);
	});
});

describe('required, requiredOneOf and multiple', () => {
	it('required: sb-signature needs software and a signature', () => {
		expectOnly(problemsOf({ template: 'sb-signature', attributes: [{ relation: 'signature', value: 'Injects code' }] }), 'required', 'software');
		expect(
			problemsOf({
				template: 'sb-signature',
				attributes: [
					{ relation: 'software', value: 'NSX ATA' },
					{ relation: 'signature', value: 'Injects code' },
				],
			}),
		).toEqual([]);
	});

	it('requiredOneOf: a file needs a hash, a name, a size or similar', () => {
		const problems = problemsOf({ template: 'file', attributes: [{ relation: 'magic', value: 'PE32' }] });
		expectOnly(problems, 'required one of');
		expect(problems[0].message).toMatch(/at least one of: filename, size-in-bytes/);
		expect(problemsOf({ template: 'file', attributes: [{ relation: 'magic', value: 'PE32' }, { relation: 'filename', value: 'a.exe' }] })).toEqual([]);
	});

	it('multiple: a list for a multiple relation gives one attribute per entry', () => {
		const object = built({
			template: 'domain-ip',
			attributes: [{ relation: 'ip', value: ['198.51.100.1', '198.51.100.2'] }, { relation: 'hostname', value: 'a.example' }],
		});
		expect(object.Attribute.filter((a) => a.object_relation === 'ip').map((a) => a.value)).toEqual(['198.51.100.1', '198.51.100.2']);
	});

	it('multiple: a relation that is not multiple may be given once only', () => {
		expectOnly(
			problemsOf({ template: 'domain-ip', attributes: [{ relation: 'hostname', value: ['a.example', 'b.example'] }] }),
			'multiple',
			'hostname',
		);
		expectOnly(
			problemsOf({
				template: 'domain-ip',
				attributes: [
					{ relation: 'hostname', value: 'a.example' },
					{ relation: 'hostname', value: 'b.example' },
				],
			}),
			'multiple',
			'hostname',
		);
	});

	it('the same value twice is one attribute, not a duplicate', () => {
		const object = built({
			template: 'domain-ip',
			attributes: [{ relation: 'hostname', value: 'A.example' }, { relation: 'hostname', value: 'a.example' }],
		});
		expect(object.Attribute).toHaveLength(1);
	});

	it('an object without attributes is refused', () => {
		expect(problemsOf({ template: 'mutex', attributes: [] }).map((p) => p.rule)).toEqual(['no attributes', 'required one of']);
	});
});

describe('categories, to_ids, distribution and correlation', () => {
	it('uses the relation category, else the type default; to_ids from the type', () => {
		const object = built({
			template: 'file',
			attributes: [
				{ relation: 'filename', value: 'a.exe' },
				{ relation: 'md5', value: MD5 },
				{ relation: 'mimetype', value: 'application/x-dosexec' },
			],
		});
		expect(object.Attribute.map((a) => [a.object_relation, a.category, a.to_ids, a.disable_correlation])).toEqual([
			['filename', 'Payload delivery', true, true],
			['md5', 'Payload delivery', true, false],
			['mimetype', 'Artifacts dropped', false, true],
		]);
	});

	it('applies per-attribute overrides', () => {
		const object = built({
			template: 'file',
			attributes: [
				{
					relation: 'md5',
					value: MD5,
					category: 'External analysis',
					toIds: false,
					disableCorrelation: true,
					distribution: '0',
					comment: 'seen in mail',
				},
			],
		});
		expect(object.Attribute[0]).toMatchObject({
			category: 'External analysis',
			to_ids: false,
			disable_correlation: true,
			distribution: '0',
			comment: 'seen in mail',
		});
	});

	it('refuses a category that does not allow the type', () => {
		expectOnly(
			problemsOf({ template: 'file', attributes: [{ relation: 'md5', value: MD5, category: 'Network activity' }] }),
			'category not allowed',
			'md5',
		);
		expectOnly(
			problemsOf({ template: 'file', attributes: [{ relation: 'md5', value: MD5, category: 'Nonsense' }] }),
			'category not allowed',
			'md5',
		);
	});

	it("refuses a category the type allows but the template's relation does not", () => {
		const problems = problemsOf({
			template: 'file',
			attributes: [{ relation: 'filename', value: 'a.exe', category: 'Persistence mechanism' }],
		});
		expectOnly(problems, 'category not allowed', 'filename');
		expect(problems[0].message).toMatch(/not one the template allows/);
	});

	it('refuses a distribution outside 0 to 5 and a sharing group without its id', () => {
		expectOnly(problemsOf({ template: 'mutex', distribution: '7', attributes: [{ relation: 'name', value: 'm' }] }), 'distribution');
		expectOnly(
			problemsOf({ template: 'mutex', attributes: [{ relation: 'name', value: 'm', distribution: '4' }] }),
			'distribution',
			'name',
		);
		expect(built({ template: 'mutex', distribution: '1', attributes: [{ relation: 'name', value: 'm' }] }).distribution).toBe('1');
	});

	it('refuses to_ids that is not a boolean in objects from elsewhere', () => {
		const object = built({ template: 'mutex', attributes: [{ relation: 'name', value: 'm' }] }) as unknown as {
			Attribute: Array<Record<string, unknown>>;
		};
		object.Attribute[0].to_ids = 'yes';
		expectOnly(validateMispObject(object), 'to_ids', 'name');
	});
});

describe('UUIDs, references, comment and first/last seen', () => {
	const spec: ObjectSpec = {
		template: 'domain-ip',
		eventId: '12',
		attributes: [
			{ relation: 'hostname', value: 'a.example' },
			{ relation: 'ip', value: ['198.51.100.1', '198.51.100.2'] },
		],
	};

	it('derives the same UUIDs from the same event, template and values, in any order', () => {
		const first = built(spec);
		const reordered = built({ ...spec, attributes: [...spec.attributes].reverse() });
		expect(isUuid(first.uuid)).toBe(true);
		expect(first.uuid[14]).toBe('5');
		expect(reordered.uuid).toBe(first.uuid);
		expect(reordered.Attribute.map((a) => a.uuid).sort()).toEqual(first.Attribute.map((a) => a.uuid).sort());
		expect(built({ ...spec, eventId: '13' }).uuid).not.toBe(first.uuid);
		expect(new Set(first.Attribute.map((a) => a.uuid)).size).toBe(3);
	});

	it('gives new random UUIDs on request, and takes an explicit one', () => {
		const a = built({ ...spec, uuidMode: 'random' });
		const b = built({ ...spec, uuidMode: 'random' });
		expect(a.uuid).not.toBe(b.uuid);
		expect(a.uuid[14]).toBe('4');
		expect(built({ ...spec, uuid: OTHER_UUID.toUpperCase() }).uuid).toBe(OTHER_UUID);
		expectOnly(problemsOf({ ...spec, uuid: 'not-a-uuid' }), 'uuid');
	});

	it('adds references by UUID and refuses a bad referenced UUID', () => {
		const object = built({
			...spec,
			references: [{ referencedUuid: OTHER_UUID, relationshipType: 'resolves-to', comment: 'DNS' }],
		});
		expect(object.ObjectReference).toEqual([
			{ object_uuid: object.uuid, referenced_uuid: OTHER_UUID, relationship_type: 'resolves-to', comment: 'DNS' },
		]);
		expectOnly(problemsOf({ ...spec, references: [{ referencedUuid: '1234', relationshipType: 'related-to' }] }), 'reference');
		expectOnly(problemsOf({ ...spec, references: [{ referencedUuid: OTHER_UUID, relationshipType: ' ' }] }), 'reference');
	});

	it('sets comment and first/last seen, and refuses unparsable or reversed times', () => {
		const object = built({ ...spec, comment: 'from n8n', firstSeen: '2024-05-01T10:00:00Z', lastSeen: '2024-05-01T12:00:00Z' });
		expect(object).toMatchObject({ comment: 'from n8n', first_seen: '2024-05-01T10:00:00Z', last_seen: '2024-05-01T12:00:00Z' });
		expectOnly(problemsOf({ ...spec, firstSeen: 'soon' }), 'seen');
		expectOnly(problemsOf({ ...spec, firstSeen: '2024-05-02T00:00:00Z', lastSeen: '2024-05-01T00:00:00Z' }), 'seen');
	});

	it('builds exactly the objects/add body shape', () => {
		const object = built({ ...spec, comment: 'c' });
		expect(Object.keys(object).sort()).toEqual(
			['Attribute', 'comment', 'description', 'distribution', 'meta-category', 'name', 'template_uuid', 'template_version', 'uuid'].sort(),
		);
		expect(object).toMatchObject({
			name: 'domain-ip',
			'meta-category': 'network',
			template_uuid: '43b3b146-77eb-4931-b4cc-b66c60f28734',
			template_version: '11',
		});
	});
});

describe('validating objects from elsewhere', () => {
	it('accepts every object the converter makes from the fixture reports', () => {
		for (const fixture of ['get-result-file-complete.json', 'get-result-url-complete.json']) {
			const report = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'simulator', 'ata', 'fixtures', fixture), 'utf8'));
			const { Object: objects } = toMispResults(report, { analysisLink: 'https://portal.example/portal#/analyst/task/x/overview' });
			expect(objects.length).toBeGreaterThan(3);
			for (const object of objects) expect([object.name, validateMispObject(object)]).toEqual([object.name, []]);
		}
	});

	it('names template identity problems and shapes it cannot read', () => {
		const object = built({ template: 'mutex', attributes: [{ relation: 'name', value: 'm' }] });
		expectOnly(validateMispObject({ ...object, template_version: '0' }), 'template identity');
		expect(validateMispObject({ ...object, Attribute: [{ value: 'x' }] }).map((p) => p.rule)).toEqual(['shape', 'required one of']);
		expectOnly(validateMispObject('text'), 'shape');
	});

	it('reports all problems in one message and description', () => {
		const problems = problemsOf({ template: 'file', attributes: [{ relation: 'md5', value: 'x' }, { relation: 'nope', value: 'y' }] });
		const report = problemReport('The file object', problems);
		expect(report.message).toMatch(/^The file object is invalid: relation "md5" \(value format\): md5: Checksum .*\(and 1 more\)$/);
		expect(report.description.split('\n')).toEqual([
			expect.stringMatching(/^relation "md5" \(value format\)/),
			expect.stringMatching(/^relation "nope" \(unknown relation\)/),
		]);
	});
});

describe('wrapping as an event', () => {
	const settings: EventSettings = { info: 'NSX ATA', distribution: '0', threatLevelId: '2', analysis: '1', tags: ['tlp:amber'] };

	it('builds the events/add body with unique objects, attributes and tags', () => {
		const a = built({ template: 'mutex', attributes: [{ relation: 'name', value: 'a' }] });
		const b = built({ template: 'mutex', attributes: [{ relation: 'name', value: 'b' }] });
		const body = wrapAsEvent(
			{
				objects: [a, b, a] as never,
				attributes: [{ uuid: OTHER_UUID, type: 'link', value: 'https://x.example/' }, { uuid: OTHER_UUID }],
				tags: [{ name: 'tlp:amber' }, { name: 'workflow:state="complete"' }],
			},
			{ ...settings, date: '2024-05-01' },
		);
		expect(body.Event).toMatchObject({ info: 'NSX ATA', distribution: '0', threat_level_id: '2', analysis: '1', date: '2024-05-01' });
		expect((body.Event.Object as Array<{ uuid: string }>).map((o) => o.uuid)).toEqual([a.uuid, b.uuid]);
		expect(body.Event.Attribute).toHaveLength(1);
		expect(body.Event.Tag).toEqual([{ name: 'tlp:amber' }, { name: 'workflow:state="complete"' }]);
		const bare = wrapAsEvent({ objects: [], attributes: [], tags: [] }, { ...settings, tags: [] });
		expect(Object.keys(bare.Event).sort()).toEqual(['Object', 'analysis', 'distribution', 'info', 'threat_level_id']);
	});

	it('refuses settings MISP would not accept', () => {
		expect(eventSettingProblems(settings)).toEqual([]);
		expect(eventSettingProblems({ ...settings, info: ' ' })).toEqual([expect.stringMatching(/info/)]);
		expect(eventSettingProblems({ ...settings, distribution: '5' })).toEqual([expect.stringMatching(/distribution "5"/)]);
		expect(eventSettingProblems({ ...settings, threatLevelId: '0' })).toEqual([expect.stringMatching(/threatLevelId/)]);
		expect(eventSettingProblems({ ...settings, analysis: '3' })).toEqual([expect.stringMatching(/analysis/)]);
		expect(eventSettingProblems({ ...settings, date: '2024-02-30' })).toEqual([expect.stringMatching(/calendar date/)]);
	});
});

describe('editor lists', () => {
	it('lists the relations of the chosen template with type and flags', async () => {
		const file = relationOptions('file');
		expect(file.find((o) => o.value === 'filename')?.name).toBe('filename (filename, one of these is required, multiple)');
		expect(relationOptions('sb-signature').find((o) => o.value === 'software')?.name).toBe('software (text, required)');
		expect(relationOptions('nope')).toEqual([]);
		const context = { getCurrentNodeParameter: (name: string) => (name === 'template' ? 'mutex' : undefined) };
		const listed = await getRelations.call(context as never);
		expect(listed.map((o) => o.value)).toEqual(['description', 'name', 'operating-system']);
	});
});
