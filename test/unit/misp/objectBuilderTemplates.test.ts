/**
 * Every template the MISP Object Builder offers, built with a value for each of its relations
 * (and with its minimum), then judged by MISP's official definitions and describeTypes.json.
 */
import { buildObject, type AttributeInput } from '../../../nodes/MispObjectBuilder/objects/objectBuild';
import { validateMispObject } from '../../../nodes/MispObjectBuilder/objects/objectValidation';
import { templateOptions } from '../../../nodes/MispObjectBuilder/methods/loadOptions';
import { OBJECT_TEMPLATES } from '../../../nodes/shared/misp/templates';
import { describeWithOfficialMisp, officialObjectProblems } from '../../support/officialMisp';
import { sampleValue } from './objectBuilderSamples';

const TEMPLATES = Object.keys(OBJECT_TEMPLATES);

function everyRelation(name: string): AttributeInput[] {
	const template = OBJECT_TEMPLATES[name];
	return Object.entries(template.relations).map(([relation, spec]) => ({
		relation,
		value: spec.multiple ? [sampleValue(spec.type, 0), sampleValue(spec.type, 1)] : sampleValue(spec.type, 0),
	}));
}

function minimum(name: string): AttributeInput[] {
	const template = OBJECT_TEMPLATES[name];
	const relations = [...template.required];
	if (template.requiredOneOf.length > 0 && !template.requiredOneOf.some((r) => relations.includes(r))) {
		relations.push(template.requiredOneOf[template.requiredOneOf.length - 1]);
	}
	return relations.map((relation) => ({
		relation,
		value: sampleValue(template.relations[relation].type, 0),
	}));
}

it('offers every template of the project knowledge in the template list', () => {
	expect(templateOptions().map((option) => option.value).sort()).toEqual([...TEMPLATES].sort());
});

describeWithOfficialMisp('built objects conform to the official definitions', (misp) => {
	const defaults = misp.describeTypes.sane_defaults;

	it.each(TEMPLATES)('%s with every relation', (name) => {
		const result = buildObject({ template: name, attributes: everyRelation(name), eventId: '12' });
		if (!result.ok) throw new Error(JSON.stringify(result.problems));
		const object = result.object;
		expect(officialObjectProblems(object, misp)).toEqual([]);
		expect(validateMispObject(object)).toEqual([]);
		const official = misp.templates.get(name);
		// One attribute per relation, two for each multiple relation (given a list of two values).
		const relations = Object.values(OBJECT_TEMPLATES[name].relations);
		expect(object.Attribute).toHaveLength(relations.length + relations.filter((r) => r.multiple).length);
		for (const attribute of object.Attribute) {
			const element = official.attributes[attribute.object_relation];
			// PyMISP's rules: type from the template, category from the element else the type default,
			// to_ids from the element else the type default, the element's correlation flag.
			expect(attribute.type).toBe(element['misp-attribute']);
			expect(attribute.category).toBe(element.categories?.[0] ?? defaults[attribute.type].default_category);
			expect(attribute.to_ids).toBe(element.to_ids ?? defaults[attribute.type].to_ids === 1);
			expect(attribute.disable_correlation).toBe(element.disable_correlation === true);
			expect(attribute.distribution).toBe('5');
		}
		expect(object.distribution).toBe('5');
	});

	it.each(TEMPLATES)('%s with only what the template requires', (name) => {
		const result = buildObject({ template: name, attributes: minimum(name) });
		if (!result.ok) throw new Error(JSON.stringify(result.problems));
		expect(officialObjectProblems(result.object, misp)).toEqual([]);
	});

	it.each(TEMPLATES.filter((name) => OBJECT_TEMPLATES[name].requiredOneOf.length > 0 || OBJECT_TEMPLATES[name].required.length > 0))(
		'%s without its required relations is refused, as MISP would',
		(name) => {
			const template = OBJECT_TEMPLATES[name];
			const needed = new Set([...template.required, ...template.requiredOneOf]);
			const optional = Object.keys(template.relations).filter((relation) => !needed.has(relation));
			const attributes = optional.slice(0, 1).map((relation) => ({
				relation,
				value: sampleValue(template.relations[relation].type, 0),
			}));
			const result = buildObject({ template: name, attributes });
			expect(result.ok).toBe(false);
			if (!result.ok) {
				expect(result.problems.map((p) => p.rule)).toEqual(
					expect.arrayContaining([template.required.length > 0 ? 'required' : 'required one of']),
				);
			}
		},
	);
});
