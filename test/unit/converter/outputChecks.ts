/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/** Invariants every converter output must satisfy; shared by the fixture and property tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
	attackName,
	attackTag,
	type MispAttribute,
	type MispObject,
	type MispTag,
} from '../../../nodes/shared/misp/converter';
import { isCategoryAllowed } from '../../../nodes/shared/misp/attributeTypes';
import { checkValue, validateObject } from '../../../nodes/shared/misp/values';
import { officialObjectProblems, type OfficialMisp } from '../../support/officialMisp';

export const FIXTURES = join(__dirname, '..', '..', '..', 'simulator', 'ata', 'fixtures');

export function loadFixture(name: string): unknown {
	return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
}

const GALAXY_TAG =
	/^misp-galaxy:mitre-attack-pattern="[^"\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+ - (T\d{4}(?:\.\d{3})?)"$/u;
// JSON.stringify writes exactly the unpaired surrogates as \udxxx escapes (an odd number of
// backslashes before "u"); PHP's json_decode, and so MISP, refuses the whole body for one.
const LONE_SURROGATE_ESCAPE = /(?<!\\)(?:\\\\)*\\ud[89a-f][0-9a-f]{2}/iu;

/** PHP's json_decode rule: the body MISP would receive holds no unpaired surrogate. */
export function phpDecodable(output: unknown): boolean {
	return !LONE_SURROGATE_ESCAPE.test(JSON.stringify(output));
}
const OTHER_TAG =
	/^(av-fam|av-cls|nsx):[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+$|^ata:verdict="(malicious|suspicious|benign)"$/u;

/** Every problem found in one output; an empty list means the output is valid. */
export function outputProblems(
	output: { Object: MispObject[]; Attribute: MispAttribute[]; Tag: MispTag[] },
	official?: OfficialMisp,
): string[] {
	const problems: string[] = [];
	const uuids = new Set<string>();
	const note = (uuid: string, where: string) => {
		if (uuids.has(uuid)) problems.push(`${where}: duplicate uuid ${uuid}`);
		uuids.add(uuid);
	};
	for (const object of output.Object) {
		note(object.uuid, object.name);
		for (const attribute of object.Attribute)
			note(attribute.uuid, `${object.name}.${attribute.object_relation}`);
		for (const problem of validateObject(object)) problems.push(`${object.name}: ${problem}`);
		if (official) {
			for (const problem of officialObjectProblems(object, official))
				problems.push(`${object.name} (official): ${problem}`);
		}
	}
	const objectUuids = new Set(output.Object.map((o) => o.uuid));
	for (const object of output.Object) {
		for (const reference of object.ObjectReference ?? []) {
			if (!objectUuids.has(reference.referenced_uuid))
				problems.push(`${object.name}: dangling reference`);
			if (reference.relationship_type === '') problems.push(`${object.name}: empty relationship`);
		}
	}
	for (const attribute of output.Attribute) {
		note(attribute.uuid, `attribute ${attribute.type}`);
		const check = checkValue(attribute.type, attribute.value);
		if (!check.ok || check.value !== attribute.value)
			problems.push(`attribute ${attribute.type}: bad value`);
		if (!isCategoryAllowed(attribute.category, attribute.type))
			problems.push(`attribute ${attribute.type}: bad category`);
		if (
			official &&
			!official.describeTypes.category_type_mappings[attribute.category]?.includes(attribute.type)
		) {
			problems.push(`attribute ${attribute.type}: category not allowed by describeTypes`);
		}
	}
	const seen = new Set<string>();
	for (const tag of output.Tag) {
		if (seen.has(tag.name)) problems.push(`duplicate tag ${tag.name}`);
		seen.add(tag.name);
		if (tag.name.length > 255 || !(GALAXY_TAG.test(tag.name) || OTHER_TAG.test(tag.name))) {
			problems.push(`malformed tag ${JSON.stringify(tag.name.slice(0, 80))}`);
		}
		const id = GALAXY_TAG.exec(tag.name)?.[1];
		if (id !== undefined && tag.name !== attackTag(attackName(id) ?? '?', id))
			problems.push(`ATT&CK tag not named as the galaxy names ${id}`);
	}
	if (!phpDecodable(output)) problems.push('unpaired UTF-16 surrogate: PHP json_decode refuses it');
	return problems;
}

export function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
	return counts;
}
