/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- development-only code, never shipped in dist/ */
/**
 * Loads MISP's official object templates and describeTypes.json at test time from the directory
 * named by MISP_OBJECTS_DIR (default ../shared/misp-objects next to the repository). These files
 * are never copied into the repository. When the directory is absent, suites declared with
 * describeWithOfficialMisp are skipped with a console warning instead of passing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/* eslint-disable @typescript-eslint/no-explicit-any -- the official JSON files are untyped */
export interface OfficialMisp {
	dir: string;
	/** Template name → parsed definition.json. */
	templates: Map<string, any>;
	/** The `result` of describeTypes.json. */
	describeTypes: any;
}

export function officialMispDir(): string {
	return resolve(
		process.env.MISP_OBJECTS_DIR ?? join(__dirname, '..', '..', '..', 'shared', 'misp-objects'),
	);
}

let cached: OfficialMisp | null | undefined;

export function officialMisp(): OfficialMisp | undefined {
	if (cached !== undefined) return cached ?? undefined;
	const dir = officialMispDir();
	const typesFile = join(dir, 'describeTypes.json');
	if (!existsSync(dir) || !existsSync(typesFile)) {
		cached = null;
		return undefined;
	}
	const templates = new Map<string, any>();
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const file = join(dir, entry.name, 'definition.json');
		if (entry.isDirectory() && existsSync(file)) {
			const definition = JSON.parse(readFileSync(file, 'utf8'));
			templates.set(definition.name, definition);
		}
	}
	const parsed = JSON.parse(readFileSync(typesFile, 'utf8'));
	cached = { dir, templates, describeTypes: parsed.result ?? parsed };
	return cached;
}

/** `describe`, or `describe.skip` plus a warning naming the missing directory. */
export function describeWithOfficialMisp(name: string, fn: (misp: OfficialMisp) => void): void {
	const misp = officialMisp();
	if (!misp) {
		console.warn(
			`[officialMisp] SKIPPED "${name}": official MISP files not found in ${officialMispDir()} ` +
				'(set MISP_OBJECTS_DIR to the directory holding */definition.json and describeTypes.json).',
		);
		describe.skip(name, () => {
			it('needs the official MISP object templates', () => undefined);
		});
		return;
	}
	describe(name, () => fn(misp));
}

/**
 * Problems of a MISP JSON object judged only by the official files: template identity,
 * required / requiredOneOf / multiple (MISP's own conformity check), relation existence,
 * attribute type, category (describeTypes mapping and the relation's categories) and to_ids.
 */
export function officialObjectProblems(object: any, misp: OfficialMisp): string[] {
	const problems: string[] = [];
	const template = misp.templates.get(object?.name);
	if (!template) return [`no official template named ${String(object?.name)}`];
	if (object['meta-category'] !== template['meta-category']) problems.push('meta-category differs');
	if (object.template_uuid !== template.uuid) problems.push('template_uuid differs');
	if (object.template_version !== String(template.version))
		problems.push('template_version differs');
	if (typeof object.uuid !== 'string') problems.push('object uuid missing');
	const attributes: any[] = Array.isArray(object.Attribute) ? object.Attribute : [];
	if (attributes.length === 0) problems.push('no attributes');
	const counts = new Map<string, number>();
	const mappings = misp.describeTypes.category_type_mappings;
	for (const attribute of attributes) {
		const relation = attribute.object_relation;
		counts.set(relation, (counts.get(relation) ?? 0) + 1);
		const element = template.attributes[relation];
		if (!element) {
			problems.push(`${relation}: not a relation of ${template.name}`);
			continue;
		}
		if (attribute.type !== element['misp-attribute'])
			problems.push(`${relation}: type ${attribute.type}`);
		if (typeof attribute.value !== 'string' || attribute.value.trim() === '') {
			problems.push(`${relation}: empty or non-string value`);
		}
		if (!(mappings[attribute.category] ?? []).includes(attribute.type)) {
			problems.push(`${relation}: category ${attribute.category} does not allow ${attribute.type}`);
		}
		if (element.categories && !element.categories.includes(attribute.category)) {
			problems.push(
				`${relation}: category ${attribute.category} not among the relation's categories`,
			);
		}
		if (typeof attribute.to_ids !== 'boolean') problems.push(`${relation}: to_ids not boolean`);
		if (typeof attribute.uuid !== 'string') problems.push(`${relation}: uuid missing`);
	}
	for (const required of template.required ?? []) {
		if (!counts.has(required)) problems.push(`required ${required} missing`);
	}
	const oneOf: string[] = template.requiredOneOf ?? [];
	if (oneOf.length > 0 && !oneOf.some((r) => counts.has(r)))
		problems.push(`needs one of ${oneOf.join(', ')}`);
	for (const [relation, count] of counts) {
		if (count > 1 && template.attributes[relation] && !template.attributes[relation].multiple) {
			problems.push(`${relation} appears ${count} times but is not multiple`);
		}
	}
	return problems;
}
