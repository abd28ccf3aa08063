/**
 * Property tests of the MISP Object Builder's validation (`validateMispObject`): it never throws
 * on any input; objects the converter and the builder produce pass it; and each targeted
 * mutation of a valid object (foreign template, unknown relation, wrong type, bad uuid,
 * distribution or to_ids, a missing required relation, a non-multiple relation twice) is
 * reported under the rule it breaks.
 */
import fc from 'fast-check';

import { buildObject } from '../../nodes/MispObjectBuilder/objects/objectBuild';
import type { ObjectRule } from '../../nodes/MispObjectBuilder/objects/problems';
import { validateMispObject } from '../../nodes/MispObjectBuilder/objects/objectValidation';
import { toMispResults } from '../../nodes/shared/misp/converter';
import { OBJECT_TEMPLATES } from '../../nodes/shared/misp/templates';
import { sampleValue } from '../unit/misp/objectBuilderSamples';
import { loadFixture } from '../unit/converter/outputChecks';
import { fuzzParameters, REGRESSIONS } from './fuzzRuns';

type Json = Record<string, unknown>;
type Attribute = Json & { object_relation: string; type: string; value: string };
type MispObject = Json & { name: string; Attribute: Attribute[] };

const RULES = new Set<ObjectRule>([
	'unknown template', 'template identity', 'unknown relation', 'type mismatch', 'value format', 'required',
	'required one of', 'multiple', 'category not allowed', 'to_ids', 'distribution', 'uuid', 'reference', 'seen',
	'no attributes', 'shape',
]);

/** Every object the converter makes of the two fixture analyses, plus one built per template. */
const converted = ['get-result-file-complete.json', 'get-result-url-complete.json'].flatMap(
	(name) => toMispResults(loadFixture(name), { hosted: false }).Object as unknown as MispObject[],
);
const built = Object.values(OBJECT_TEMPLATES).map((template) => {
	const relations = [...new Set([...template.required, ...template.requiredOneOf.slice(0, 1)])];
	const fallback = relations.length > 0 ? relations : Object.keys(template.relations).slice(0, 1);
	const result = buildObject({
		template: template.name,
		attributes: fallback.map((relation) => ({ relation, value: sampleValue(template.relations[relation].type, 0) })),
	});
	if (!result.ok) throw new Error(`${template.name}: ${JSON.stringify(result.problems)}`);
	return result.object as unknown as MispObject;
});
const valid = fc.constantFrom(...converted, ...built).map((object) => structuredClone(object));

function rulesOf(object: unknown): Set<ObjectRule> {
	const problems = validateMispObject(object);
	for (const entry of problems) {
		expect(RULES.has(entry.rule)).toBe(true);
		expect(typeof entry.message).toBe('string');
	}
	return new Set(problems.map((entry) => entry.rule));
}

it('accepts every object the converter and the builder produce', () => {
	for (const object of [...converted, ...built]) expect({ name: object.name, problems: validateMispObject(object) }).toEqual({ name: object.name, problems: [] });
});

it('never throws, whatever the input', () => {
	const near = valid.chain((object) =>
		fc.record({ path: fc.constantFrom('name', 'Attribute', 'uuid', 'distribution', 'ObjectReference', 'first_seen', 'meta-category'), value: fc.anything() }).map(
			({ path, value }) => ({ ...object, [path]: value }),
		),
	);
	const attributeNear = valid.chain((object) =>
		fc.record({ index: fc.nat(object.Attribute.length - 1), key: fc.constantFrom('object_relation', 'type', 'value', 'category', 'to_ids', 'uuid', 'distribution'), value: fc.anything() }).map(
			({ index, key, value }) => {
				object.Attribute[index] = { ...object.Attribute[index], [key]: value };
				return object;
			},
		),
	);
	fc.assert(fc.property(fc.oneof(fc.anything(), fc.jsonValue(), near, attributeNear), (input) => void rulesOf(input)), fuzzParameters());
});

const mutations: Array<[ObjectRule, fc.Arbitrary<MispObject | undefined>]> = [
	['unknown template', valid.chain((o) => fc.string().filter((s) => !(s in OBJECT_TEMPLATES)).map((name) => ({ ...o, name })))],
	['unknown relation', valid.chain((o) => fc.tuple(fc.nat(o.Attribute.length - 1), fc.string({ minLength: 1 })).map(([i, relation]) => {
		if (relation in OBJECT_TEMPLATES[o.name].relations || Object.prototype.hasOwnProperty.call(Object.prototype, relation)) return undefined;
		o.Attribute[i].object_relation = relation;
		return o;
	}))],
	['type mismatch', valid.chain((o) => fc.tuple(fc.nat(o.Attribute.length - 1), fc.string()).map(([i, type]) => {
		if (type === o.Attribute[i].type) return undefined;
		o.Attribute[i].type = type;
		return o;
	}))],
	['uuid', valid.chain((o) => fc.string({ minLength: 1 }).filter((s) => !/^[0-9a-f-]{36}$/i.test(s)).map((uuid) => ({ ...o, uuid })))],
	['distribution', valid.chain((o) => fc.string({ minLength: 1 }).filter((s) => !/^[0-5]$/.test(s)).map((distribution) => ({ ...o, distribution })))],
	['to_ids', valid.chain((o) => fc.tuple(fc.nat(o.Attribute.length - 1), fc.oneof(fc.string(), fc.integer(), fc.constant(null))).map(([i, toIds]) => {
		if (toIds === null) return undefined; // null reads as "not given"
		o.Attribute[i].to_ids = toIds;
		return o;
	}))],
	['required', valid.map((o) => {
		const required = OBJECT_TEMPLATES[o.name].required;
		if (required.length === 0) return undefined;
		return { ...o, Attribute: o.Attribute.filter((a) => a.object_relation !== required[0]) };
	})],
	['multiple', valid.chain((o) => fc.nat(o.Attribute.length - 1).map((i) => {
		const attribute = o.Attribute[i];
		if (OBJECT_TEMPLATES[o.name].relations[attribute.object_relation]?.multiple) return undefined;
		return { ...o, Attribute: [...o.Attribute, { ...attribute, uuid: undefined }] };
	}))],
];

it.each(mutations)('reports a mutation breaking "%s" under that rule', (rule, mutated) => {
	fc.assert(
		fc.property(mutated, (object) => {
			fc.pre(object !== undefined);
			expect(rulesOf(object)).toContain(rule);
		}),
		fuzzParameters(),
	);
});

it.each(REGRESSIONS.objects)('regression: $note', ({ object }) => {
	expect(rulesOf(object).size).toBeGreaterThan(0);
});
