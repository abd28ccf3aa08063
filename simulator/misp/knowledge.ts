/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import {
	ATTRIBUTE_TYPES,
	MISP_CATEGORIES,
	defaultCategory,
	defaultToIds,
	isCategoryAllowed,
} from '../../nodes/shared/misp/attributeTypes';
import { OBJECT_TEMPLATES } from '../../nodes/shared/misp/templates';

/** What MISP keeps of a template in `object_templates` + elements: enough for the conformity check. */
export interface KnownTemplate {
	name: string;
	uuid: string;
	version: number;
	metaCategory: string;
	description: string;
	required: string[];
	requiredOneOf: string[];
	/** Relations of the template whose element is not `multiple`: each may appear only once. */
	single: Set<string>;
}

/** The `result` of `GET /attributes/describeTypes.json`. */
export interface DescribeTypes {
	sane_defaults: Record<string, { default_category: string; to_ids: 0 | 1 }>;
	types: string[];
	categories: string[];
	category_type_mappings: Record<string, string[]>;
}

/** Everything the fake instance "knows": templates, attribute types, exclusive tag predicates. */
export interface MispKnowledge {
	source: 'official' | 'project';
	templates: KnownTemplate[];
	describeTypes: DescribeTypes;
	/** Machine-tag prefixes of which an attribute may carry only one tag, e.g. `workflow:state`. */
	exclusivePredicates: string[];
	/** Tags the instance has when it starts (enabled taxonomy values). */
	seedTags: string[];
}

export type KnownTemplateSelection = Array<{ name: string; version?: number }> | 'all';

/** `../shared/misp-objects` beside the checkout, unless `MISP_OBJECTS_DIR` says otherwise. */
export function defaultObjectsDir(): string {
	return resolve(process.env.MISP_OBJECTS_DIR ?? join(__dirname, '../../../shared/misp-objects'));
}

/** Official files when the directory exists, else the project's own knowledge modules. */
export function loadKnowledge(objectsDir = defaultObjectsDir()): MispKnowledge {
	return existsSync(join(objectsDir, 'describeTypes.json'))
		? loadOfficialKnowledge(objectsDir)
		: loadProjectKnowledge();
}

interface TemplateFile {
	name: string;
	uuid: string;
	version: number;
	'meta-category': string;
	description: string;
	required?: string[];
	requiredOneOf?: string[];
	attributes: Record<string, { multiple?: boolean }>;
}

interface TaxonomyFile {
	namespace: string;
	exclusive?: boolean;
	predicates: Array<{ value: string; exclusive?: boolean }>;
	values?: Array<{ predicate: string; entry: Array<{ value: string }> }>;
}

function readJson<T>(path: string): T {
	return JSON.parse(readFileSync(path, 'utf8')) as T;
}

function loadOfficialKnowledge(dir: string): MispKnowledge {
	const templates: KnownTemplate[] = [];
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const file = join(dir, entry.name, 'definition.json');
		if (!entry.isDirectory() || entry.name.startsWith('_') || !existsSync(file)) continue;
		const t = readJson<TemplateFile>(file);
		templates.push({
			name: t.name,
			uuid: t.uuid,
			version: t.version,
			metaCategory: t['meta-category'],
			description: t.description,
			required: t.required ?? [],
			requiredOneOf: t.requiredOneOf ?? [],
			single: new Set(
				Object.entries(t.attributes)
					.filter(([, element]) => element.multiple !== true)
					.map(([relation]) => relation),
			),
		});
	}
	templates.sort((a, b) => a.name.localeCompare(b.name));
	const describeTypes = readJson<{ result: DescribeTypes }>(join(dir, 'describeTypes.json')).result;
	const taxonomyFile = join(dir, '_meta/taxonomies/workflow/machinetag.json');
	const taxonomy = existsSync(taxonomyFile) ? readJson<TaxonomyFile>(taxonomyFile) : undefined;
	return {
		source: 'official',
		templates,
		describeTypes,
		...(taxonomy ? taxonomyTags(taxonomy) : workflowFallback()),
	};
}

function taxonomyTags(
	taxonomy: TaxonomyFile,
): Pick<MispKnowledge, 'exclusivePredicates' | 'seedTags'> {
	const exclusivePredicates = taxonomy.exclusive
		? [taxonomy.namespace]
		: taxonomy.predicates
				.filter((p) => p.exclusive === true)
				.map((p) => `${taxonomy.namespace}:${p.value}`);
	const seedTags = (taxonomy.values ?? []).flatMap((group) =>
		group.entry.map((e) => `${taxonomy.namespace}:${group.predicate}="${e.value}"`),
	);
	return { exclusivePredicates, seedTags };
}

/** The workflow taxonomy's `state` predicate (misp.md §6), for clones without the official files. */
function workflowFallback(): Pick<MispKnowledge, 'exclusivePredicates' | 'seedTags'> {
	const states = ['incomplete', 'complete', 'draft', 'ongoing', 'rejected', 'release'];
	return {
		exclusivePredicates: ['workflow:state'],
		seedTags: states.map((state) => `workflow:state="${state}"`),
	};
}

/** Thin adapter over the shipped knowledge modules: a user's clone has no official files. */
function loadProjectKnowledge(): MispKnowledge {
	const types = Object.keys(ATTRIBUTE_TYPES).sort();
	const sane_defaults: DescribeTypes['sane_defaults'] = {};
	for (const type of types) {
		sane_defaults[type] = {
			default_category: defaultCategory(type) ?? 'Other',
			to_ids: defaultToIds(type) ? 1 : 0,
		};
	}
	const category_type_mappings: DescribeTypes['category_type_mappings'] = {};
	for (const category of MISP_CATEGORIES) {
		category_type_mappings[category] = types.filter((type) => isCategoryAllowed(category, type));
	}
	const templates = Object.values(OBJECT_TEMPLATES).map(
		(t): KnownTemplate => ({
			name: t.name,
			uuid: t.uuid,
			version: t.version,
			metaCategory: t.metaCategory,
			description: t.description,
			required: [...t.required],
			requiredOneOf: [...t.requiredOneOf],
			single: new Set(
				Object.entries(t.relations)
					.filter(([, relation]) => relation.multiple !== true)
					.map(([name]) => name),
			),
		}),
	);
	return {
		source: 'project',
		templates,
		describeTypes: {
			sane_defaults,
			types,
			categories: [...MISP_CATEGORIES],
			category_type_mappings,
		},
		...workflowFallback(),
	};
}

/**
 * Restricts the templates to those the instance "has". A version that differs from the file's
 * stands for an instance with an older/newer copy: same requirements, other version number.
 */
export function selectTemplates(
	all: KnownTemplate[],
	selection: KnownTemplateSelection,
): KnownTemplate[] {
	if (selection === 'all') return all;
	return selection.map(({ name, version }) => {
		const template = all.find((t) => t.name === name);
		if (!template) throw new Error(`Unknown object template: ${name}`);
		return version === undefined ? template : { ...template, version };
	});
}
