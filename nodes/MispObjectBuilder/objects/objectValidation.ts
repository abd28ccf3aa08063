/**
 * Checks a MISP object (objects/add body shape) against the project's template knowledge the way
 * PyMISP's strict mode would, and further than MISP's own conformity check: MISP verifies only
 * required / requiredOneOf / multiple, and only when it has the template loaded.
 */
import { isCategoryAllowed } from '../../shared/misp/attributeTypes';
import { getTemplate, type ObjectTemplate, type TemplateRelation } from '../../shared/misp/templates';
import { isUuid } from '../../shared/misp/uuid';
import { checkValue } from '../../shared/misp/values';
import { problem, type ObjectProblem } from './problems';

const DISTRIBUTIONS = new Set(['0', '1', '2', '3', '4', '5']);

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Any JSON value as message text; `String()` throws on objects such as `{"toString": 0}`. */
function textOf(value: unknown): string {
	if (typeof value !== 'object' || value === null) return String(value);
	try {
		return JSON.stringify(value);
	} catch {
		return Object.prototype.toString.call(value);
	}
}

function present(value: unknown): boolean {
	return value !== undefined && value !== null && value !== '';
}

function relationOf(template: ObjectTemplate, relation: string): TemplateRelation | undefined {
	return Object.prototype.hasOwnProperty.call(template.relations, relation)
		? template.relations[relation]
		: undefined;
}

/** Problems of the fields objects and attributes share: uuid, distribution, first/last seen. */
function commonProblems(entry: Json, relation?: string): ObjectProblem[] {
	const problems: ObjectProblem[] = [];
	if (present(entry.uuid) && !(typeof entry.uuid === 'string' && isUuid(entry.uuid))) {
		problems.push(problem('uuid', `"${textOf(entry.uuid)}" is not a UUID.`, relation));
	}
	if (present(entry.distribution)) {
		const distribution = textOf(entry.distribution);
		if (!DISTRIBUTIONS.has(distribution)) {
			problems.push(
				problem('distribution', `"${distribution}" is not a MISP distribution (0 to 5).`, relation),
			);
		} else if (distribution === '4' && !present(entry.sharing_group_id)) {
			problems.push(
				problem('distribution', 'Distribution 4 (sharing group) needs a sharing_group_id.', relation),
			);
		}
	}
	const seen: Record<string, number> = {};
	for (const field of ['first_seen', 'last_seen'] as const) {
		if (!present(entry[field])) continue;
		const time = typeof entry[field] === 'string' ? Date.parse(entry[field]) : NaN;
		if (Number.isNaN(time)) {
			problems.push(problem('seen', `${field} "${textOf(entry[field])}" is not a date and time.`, relation));
		} else {
			seen[field] = time;
		}
	}
	if (seen.first_seen !== undefined && seen.last_seen !== undefined && seen.last_seen < seen.first_seen) {
		problems.push(problem('seen', 'last_seen is earlier than first_seen.', relation));
	}
	return problems;
}

function attributeProblems(raw: unknown, index: number, template: ObjectTemplate): ObjectProblem[] {
	if (!isRecord(raw)) return [problem('shape', `Attribute ${index} is not an object.`)];
	const relation = raw.object_relation;
	if (typeof relation !== 'string' || relation === '') {
		return [problem('shape', `Attribute ${index} has no object_relation.`)];
	}
	const spec = relationOf(template, relation);
	if (!spec) {
		return [
			problem('unknown relation', `The ${template.name} template has no relation "${relation}".`, relation),
		];
	}
	const problems: ObjectProblem[] = [];
	if (raw.type !== spec.type) {
		problems.push(
			problem('type mismatch', `Type "${textOf(raw.type)}" given; the template requires "${spec.type}".`, relation),
		);
	}
	if (typeof raw.value !== 'string') {
		problems.push(problem('value format', 'The value must be a string.', relation));
	} else {
		const check = checkValue(spec.type, raw.value);
		if (!check.ok) problems.push(problem('value format', `${spec.type}: ${check.reason}`, relation));
	}
	if (present(raw.category)) {
		const category = textOf(raw.category);
		if (!isCategoryAllowed(category, spec.type)) {
			problems.push(
				problem('category not allowed', `Category "${category}" does not allow type ${spec.type}.`, relation),
			);
		} else if (spec.categories && !spec.categories.includes(category)) {
			problems.push(
				problem(
					'category not allowed',
					`Category "${category}" is not one the template allows (${spec.categories.join(', ')}).`,
					relation,
				),
			);
		}
	}
	if (raw.to_ids !== undefined && typeof raw.to_ids !== 'boolean') {
		problems.push(problem('to_ids', 'to_ids must be true or false.', relation));
	}
	problems.push(...commonProblems(raw, relation));
	return problems;
}

function referenceProblems(raw: unknown): ObjectProblem[] {
	if (raw === undefined) return [];
	if (!Array.isArray(raw)) return [problem('reference', 'ObjectReference must be a list.')];
	return raw.flatMap((reference, index): ObjectProblem[] => {
		if (!isRecord(reference)) return [problem('reference', `Reference ${index} is not an object.`)];
		const found: ObjectProblem[] = [];
		const target = reference.referenced_uuid;
		if (!(typeof target === 'string' && isUuid(target))) {
			found.push(
				problem('reference', `Reference ${index}: referenced_uuid "${textOf(target)}" is not a UUID.`),
			);
		}
		const type = reference.relationship_type;
		if (typeof type !== 'string' || type.trim() === '') {
			found.push(problem('reference', `Reference ${index}: relationship_type is empty.`));
		}
		return found;
	});
}

/** Every problem of the object; an empty list means MISP (and a strict client) accepts it. */
export function validateMispObject(object: unknown): ObjectProblem[] {
	if (!isRecord(object)) return [problem('shape', 'The object is not a JSON object.')];
	const template = typeof object.name === 'string' ? getTemplate(object.name) : undefined;
	if (!template) {
		return [problem('unknown template', `No object template named "${textOf(object.name)}" is known.`)];
	}
	const problems: ObjectProblem[] = [];
	const identity: Array<[string, unknown, string]> = [
		['meta-category', object['meta-category'], template.metaCategory],
		['template_uuid', object.template_uuid, template.uuid],
		['template_version', object.template_version, String(template.version)],
	];
	for (const [field, given, expected] of identity) {
		if (given !== undefined && textOf(given) !== expected) {
			problems.push(problem('template identity', `${field} is "${textOf(given)}"; expected "${expected}".`));
		}
	}
	problems.push(...commonProblems(object));
	const attributes = Array.isArray(object.Attribute) ? object.Attribute : [];
	if (attributes.length === 0) problems.push(problem('no attributes', 'The object has no attributes.'));
	const counts = new Map<string, number>();
	attributes.forEach((attribute, index) => {
		problems.push(...attributeProblems(attribute, index, template));
		const relation = isRecord(attribute) ? attribute.object_relation : undefined;
		if (typeof relation === 'string') counts.set(relation, (counts.get(relation) ?? 0) + 1);
	});
	for (const required of template.required) {
		if (!counts.has(required)) {
			problems.push(problem('required', `The ${template.name} template requires it.`, required));
		}
	}
	const oneOf = template.requiredOneOf;
	if (oneOf.length > 0 && !oneOf.some((relation) => counts.has(relation))) {
		problems.push(
			problem('required one of', `The ${template.name} template needs at least one of: ${oneOf.join(', ')}.`),
		);
	}
	for (const [relation, count] of counts) {
		if (count > 1 && relationOf(template, relation)?.multiple !== true) {
			problems.push(
				problem('multiple', `Given ${count} times, but the template allows it only once.`, relation),
			);
		}
	}
	problems.push(...referenceProblems(object.ObjectReference));
	return problems;
}
