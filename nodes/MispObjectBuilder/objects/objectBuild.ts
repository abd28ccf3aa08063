/**
 * Builds one MISP object (the `Object` of an objects/add body) from relation/value pairs, filling
 * what PyMISP fills from the template: type from the relation, category from the relation's first
 * category else the type default, to_ids from the relation else the type default, and the
 * relation's disable_correlation flag. Every value is checked and normalised as MISP stores it.
 */
import { randomUUID } from 'node:crypto';

import { defaultCategory, defaultToIds } from '../../shared/misp/attributeTypes';
import { getTemplate, type TemplateRelation } from '../../shared/misp/templates';
import { uuidV5 } from '../../shared/misp/uuid';
import { checkValue } from '../../shared/misp/values';
import { validateMispObject } from './objectValidation';
import { problem, type ObjectProblem } from './problems';

export interface AttributeInput {
	relation: string;
	/** Text, a number, a boolean, or a list of those (one attribute each; `multiple` relations). */
	value: unknown;
	/** Overrides; undefined keeps the template / MISP default. */
	category?: string;
	toIds?: boolean;
	disableCorrelation?: boolean;
	distribution?: string;
	comment?: string;
}

export interface ReferenceInput {
	referencedUuid: string;
	relationshipType: string;
	comment?: string;
}

export interface ObjectSpec {
	template: string;
	attributes: AttributeInput[];
	/** Part of the deterministic UUID, so the same values in another event get another object. */
	eventId?: string;
	/** 'deterministic' (default): UUID v5 of event id, template and values; 'random': v4. */
	uuidMode?: 'deterministic' | 'random';
	/** An explicit object UUID wins over uuidMode. */
	uuid?: string;
	/** Default '5' (inherit event), as MISP does. */
	distribution?: string;
	comment?: string;
	firstSeen?: string;
	lastSeen?: string;
	references?: ReferenceInput[];
}

export interface BuiltAttribute {
	object_relation: string;
	type: string;
	category: string;
	value: string;
	to_ids: boolean;
	disable_correlation: boolean;
	distribution: string;
	uuid: string;
	comment?: string;
}

export interface BuiltReference {
	object_uuid: string;
	referenced_uuid: string;
	relationship_type: string;
	comment?: string;
}

export interface BuiltObject {
	name: string;
	'meta-category': string;
	description: string;
	template_uuid: string;
	template_version: string;
	uuid: string;
	distribution: string;
	comment?: string;
	first_seen?: string;
	last_seen?: string;
	Attribute: BuiltAttribute[];
	ObjectReference?: BuiltReference[];
}

export type BuildResult = { ok: true; object: BuiltObject } | { ok: false; problems: ObjectProblem[] };

/** The namespace of builder UUIDs inside the project namespace, so they never collide with the converter's. */
const BUILDER_SEED = 'misp-object-builder';

interface Candidate {
	input: AttributeInput;
	spec: TemplateRelation;
	value: string;
}

/** Spreads a value into texts: lists give one text each; empty values give none. */
function texts(value: unknown): string[] | undefined {
	const list = Array.isArray(value) ? value : [value];
	const out: string[] = [];
	for (const entry of list) {
		if (entry === undefined || entry === null) continue;
		if (typeof entry === 'string') {
			if (entry.trim() !== '') out.push(entry);
		} else if (typeof entry === 'number' || typeof entry === 'boolean') {
			out.push(String(entry));
		} else {
			return undefined;
		}
	}
	return out;
}

function optionalText(value: string | undefined): string | undefined {
	return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function buildObject(spec: ObjectSpec): BuildResult {
	const template = getTemplate(spec.template);
	if (!template) {
		return {
			ok: false,
			problems: [problem('unknown template', `No object template named "${spec.template}" is known.`)],
		};
	}
	const problems: ObjectProblem[] = [];
	const candidates: Candidate[] = [];
	const seen = new Set<string>();
	for (const input of spec.attributes) {
		const relation = input.relation;
		const relationSpec = Object.prototype.hasOwnProperty.call(template.relations, relation)
			? template.relations[relation]
			: undefined;
		if (!relationSpec) {
			problems.push(
				problem('unknown relation', `The ${template.name} template has no relation "${relation}".`, relation),
			);
			continue;
		}
		const values = texts(input.value);
		if (values === undefined) {
			problems.push(
				problem('value format', 'The value must be text, a number, a boolean or a list of those.', relation),
			);
			continue;
		}
		for (const text of values) {
			const check = checkValue(relationSpec.type, text);
			if (!check.ok) {
				problems.push(problem('value format', `${relationSpec.type}: ${check.reason}`, relation));
				continue;
			}
			// The same value twice would be one attribute with one (deterministic) UUID in MISP.
			const key = `${relation}\u0000${check.value}`;
			if (seen.has(key)) continue;
			seen.add(key);
			candidates.push({ input, spec: relationSpec, value: check.value });
		}
	}

	let uuid: string;
	const explicitUuid = optionalText(spec.uuid);
	if (explicitUuid !== undefined) {
		uuid = explicitUuid.toLowerCase();
	} else if (spec.uuidMode === 'random') {
		uuid = randomUUID();
	} else {
		// Sorted, so the order in which values were given does not change the UUID.
		const pairs = candidates.map((c) => JSON.stringify([c.input.relation, c.value])).sort();
		uuid = uuidV5(JSON.stringify([BUILDER_SEED, spec.eventId ?? '', template.name, pairs]));
	}

	const object: BuiltObject = {
		name: template.name,
		'meta-category': template.metaCategory,
		description: template.description,
		template_uuid: template.uuid,
		template_version: String(template.version),
		uuid,
		distribution: optionalText(spec.distribution) ?? '5',
		Attribute: candidates.map(({ input, spec: relationSpec, value }) => {
			const attribute: BuiltAttribute = {
				object_relation: input.relation,
				type: relationSpec.type,
				category:
					optionalText(input.category) ??
					relationSpec.categories?.[0] ??
					defaultCategory(relationSpec.type) ??
					'Other',
				value,
				to_ids: input.toIds ?? relationSpec.toIds ?? defaultToIds(relationSpec.type),
				disable_correlation: input.disableCorrelation ?? relationSpec.disableCorrelation === true,
				distribution: optionalText(input.distribution) ?? '5',
				uuid:
					spec.uuidMode === 'random' && explicitUuid === undefined
						? randomUUID()
						: uuidV5(JSON.stringify([uuid, input.relation, value])),
			};
			const comment = optionalText(input.comment);
			if (comment !== undefined) attribute.comment = comment;
			return attribute;
		}),
	};
	const comment = optionalText(spec.comment);
	if (comment !== undefined) object.comment = comment;
	const firstSeen = optionalText(spec.firstSeen);
	if (firstSeen !== undefined) object.first_seen = firstSeen;
	const lastSeen = optionalText(spec.lastSeen);
	if (lastSeen !== undefined) object.last_seen = lastSeen;
	// Like empty values, a reference whose UUID expression yields nothing is left out.
	const given = (spec.references ?? []).filter((reference) => reference.referencedUuid.trim() !== '');
	const references = given.map((reference) => {
		const built: BuiltReference = {
			object_uuid: uuid,
			referenced_uuid: reference.referencedUuid.trim().toLowerCase(),
			relationship_type: reference.relationshipType.trim(),
		};
		const referenceComment = optionalText(reference.comment);
		if (referenceComment !== undefined) built.comment = referenceComment;
		return built;
	});
	if (references.length > 0) object.ObjectReference = references;

	// A relation whose value was refused counts as given: saying it is also missing would be noise.
	const refused = new Set(problems.map((p) => p.relation));
	const consequence = (p: ObjectProblem) =>
		problems.length > 0 &&
		(p.rule === 'no attributes' ||
			(p.rule === 'required' && refused.has(p.relation)) ||
			(p.rule === 'required one of' && template.requiredOneOf.some((r) => refused.has(r))));
	problems.push(...validateMispObject(object).filter((p) => !consequence(p)));
	return problems.length > 0 ? { ok: false, problems } : { ok: true, object };
}
