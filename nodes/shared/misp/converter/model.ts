/**
 * The internal MISP model and the builder every report section uses: it fills type, category,
 * to_ids and correlation flags from the template knowledge, validates each value, assigns
 * deterministic UUIDs, de-duplicates objects by identity, enforces the per-type caps and
 * collects warnings.
 */
import { defaultCategory, defaultToIds } from '../attributeTypes';
import { getTemplate, type ObjectTemplate } from '../templates';
import { uuidV5 } from '../uuid';
import { checkValue, isIPv4, isIPv6, MAX_VALUE_BYTES } from '../values';
import { asText, hasLoneSurrogate, preview, wellFormed } from './input';
import type { LimitName, Limits } from './limits';

export interface MispTag {
	name: string;
}

export interface MispAttribute {
	object_relation?: string;
	type: string;
	category: string;
	value: string;
	to_ids: boolean;
	uuid: string;
	disable_correlation?: boolean;
	comment?: string;
	Tag?: MispTag[];
}

export interface MispObjectReference {
	referenced_uuid: string;
	relationship_type: string;
	comment?: string;
}

export interface MispObject {
	name: string;
	'meta-category': string;
	description: string;
	template_uuid: string;
	template_version: string;
	uuid: string;
	comment?: string;
	Attribute: MispAttribute[];
	ObjectReference?: MispObjectReference[];
}

export interface MispModel {
	/** The report's task uuid, when it has a usable one. */
	taskUuid?: string;
	/** What all UUIDs derive from: the task uuid, else the subject's hash or URL. */
	seed: string;
	/** True when the report carries a score (the rule every ATA client uses). */
	complete: boolean;
	score?: number;
	subject: { kind: 'file' | 'url' | 'unknown'; label?: string };
	/** YYYY-MM-DD of the submission, when the report has one. */
	date?: string;
	objects: MispObject[];
	/** Standalone attributes (the analysis link). */
	attributes: MispAttribute[];
	/** Event-level tags: ATT&CK, AV labels, verdict. */
	tags: string[];
	warnings: string[];
}

/** MISP stores tag names in a 255-character column. */
export const MAX_TAG_LENGTH = 255;

// Free text (signatures, mutex names, registry keys and values, command lines) keeps every
// character, leading and trailing white space included; other types are normalised as MISP does.
const VERBATIM_TYPES: ReadonlySet<string> = new Set(['text', 'regkey']);

// Sandbox-internal addresses are never useful as IDS indicators.
function isNonRoutable(ip: string): boolean {
	if (isIPv4(ip)) {
		const [a, b] = ip.split('.').map(Number);
		return (
			a === 10 ||
			a === 127 ||
			a === 0 ||
			(a === 172 && b >= 16 && b <= 31) ||
			(a === 192 && b === 168) ||
			(a === 169 && b === 254)
		);
	}
	if (isIPv6(ip)) return ip === '::1' || ip === '::' || /^f[c-d]|^fe[89ab]/iu.test(ip);
	return false;
}

export class Warnings {
	readonly list: string[] = [];
	private suppressed = 0;

	constructor(private readonly limit: number) {}

	/** `always` is for summaries (caps) that must survive a flood of per-entry warnings. */
	add(message: string, always = false): void {
		if (always || this.list.length < this.limit) this.list.push(message);
		else this.suppressed++;
	}

	finish(): string[] {
		if (this.suppressed > 0) {
			this.list.push(`${this.suppressed} further warnings were suppressed (limit warnings).`);
			this.suppressed = 0;
		}
		return this.list;
	}
}

/**
 * Counts attributes against the per-relation and per-analysis caps, so that output grows at
 * most linearly with the report, and remembers what each cap left out.
 */
class AttributeBudget {
	used = 0;
	private readonly cutValues = new Map<string, number>();
	private readonly cutAttributes = new Map<string, number>();
	private cutObjects = 0;

	constructor(private readonly limits: Limits) {}

	get exhausted(): boolean {
		return this.used >= this.limits.attributes;
	}

	/** Takes one attribute for `template.relation`, which already holds `count` values. */
	admit(template: string, relation: string, count: number): boolean {
		if (count >= this.limits.valuesPerRelation) {
			bump(this.cutValues, `${template}.${relation}`);
			return false;
		}
		if (this.exhausted) {
			bump(this.cutAttributes, template);
			return false;
		}
		this.used++;
		return true;
	}

	refund(count: number): void {
		this.used -= count;
	}

	skipObject(template: string): void {
		this.cutObjects++;
		bump(this.cutAttributes, template, 0);
	}

	report(warnings: Warnings): void {
		for (const [where, count] of this.cutValues) {
			warnings.add(
				`Limit valuesPerRelation=${this.limits.valuesPerRelation} reached: ${count} further values of ${where} were left out.`,
				true,
			);
		}
		if (this.cutAttributes.size > 0) {
			const counts = [...this.cutAttributes.values()].reduce((a, b) => a + b, 0);
			warnings.add(
				`Limit attributes=${this.limits.attributes} reached: ${counts} further attributes and ` +
					`${this.cutObjects} further objects were left out (${[...this.cutAttributes.keys()].join(', ')}).`,
				true,
			);
		}
	}
}

function bump(counts: Map<string, number>, key: string, by = 1): void {
	counts.set(key, (counts.get(key) ?? 0) + by);
}

/** Collects one object's attributes; invalid values are skipped with a warning. */
export class ObjectDraft {
	readonly attributes: MispAttribute[] = [];
	private readonly seen = new Set<string>();
	/** Values per relation, for the required-relation and per-relation checks. */
	private readonly relations = new Map<string, number>();
	comment?: string;

	constructor(
		readonly template: ObjectTemplate,
		readonly uuid: string,
		private readonly warnings: Warnings,
		private readonly budget: AttributeBudget,
	) {}

	/** Adds `relation` with the raw report value (string or number); returns whether it was kept. */
	add(
		relation: string,
		raw: unknown,
		options: { toIds?: boolean; comment?: string } = {},
	): boolean {
		const spec = this.template.relations[relation];
		let text = asText(raw);
		if (spec === undefined || text === undefined || text.trim() === '') return false;
		const where = `${this.template.name}.${relation}`;
		if (hasLoneSurrogate(text)) {
			text = wellFormed(text);
			this.warnings.add(
				`${where}: replaced an unpaired UTF-16 surrogate with U+FFFD in ${preview(text)} (MISP refuses such JSON).`,
			);
		}
		const check = checkValue(spec.type, text);
		const verbatim = VERBATIM_TYPES.has(spec.type);
		if (check.ok && verbatim && Buffer.byteLength(text, 'utf8') > MAX_VALUE_BYTES) {
			this.warnings.add(`${where}: skipped ${preview(text)}: longer than ${MAX_VALUE_BYTES} bytes.`);
			return false;
		}
		if (!check.ok) {
			this.warnings.add(`${where}: skipped ${preview(text)}: ${check.reason}`);
			return false;
		}
		const value = verbatim ? text : check.value;
		const key = `${relation}\u0000${value}`;
		if (this.seen.has(key)) return true;
		const count = this.relations.get(relation) ?? 0;
		if (!spec.multiple && count > 0) return false;
		if (!this.budget.admit(this.template.name, relation, count)) return false;
		this.seen.add(key);
		this.relations.set(relation, count + 1);
		const category = spec.categories?.[0] ?? defaultCategory(spec.type) ?? 'Other';
		let toIds = options.toIds ?? spec.toIds ?? defaultToIds(spec.type);
		if ((spec.type === 'ip-src' || spec.type === 'ip-dst') && isNonRoutable(value))
			toIds = false;
		const attribute: MispAttribute = {
			object_relation: relation,
			type: spec.type,
			category,
			value,
			to_ids: toIds,
			uuid: uuidV5(JSON.stringify([this.uuid, relation, value])),
		};
		if (spec.disableCorrelation) attribute.disable_correlation = true;
		if (options.comment !== undefined) attribute.comment = options.comment;
		this.attributes.push(attribute);
		return true;
	}

	/** Problems that would make MISP reject the object (required relations). */
	missingRequirements(): string | undefined {
		const present = this.relations;
		const missing = this.template.required.filter((r) => !present.has(r));
		if (missing.length > 0) return `missing ${missing.join(', ')}`;
		const oneOf = this.template.requiredOneOf;
		if (oneOf.length > 0 && !oneOf.some((r) => present.has(r)))
			return `needs one of ${oneOf.join(', ')}`;
		if (this.attributes.length === 0) return 'no attributes';
		return undefined;
	}
}

interface Quota {
	limit: number;
	used: number;
	skipped: number;
}

/** State shared by all sections of one conversion. */
export class ConversionContext {
	readonly objects: MispObject[] = [];
	readonly warnings: Warnings;
	private readonly byIdentity = new Map<string, MispObject>();
	/** Drafts kept only for objects that may gain values later (see `extend`). */
	private readonly openDrafts = new Map<string, ObjectDraft>();
	private readonly references = new Set<string>();
	private readonly quotas = new Map<LimitName, Quota>();
	private readonly budget: AttributeBudget;

	constructor(
		readonly seed: string,
		readonly limits: Limits,
	) {
		this.warnings = new Warnings(limits.warnings);
		this.budget = new AttributeBudget(limits);
	}

	uuidFor(kind: string, identity: readonly unknown[]): string {
		return uuidV5(JSON.stringify([this.seed, kind, ...identity]));
	}

	/**
	 * Returns the object with this identity, building it on first sight. Undefined when the cap
	 * for `limit` is reached or the built object would not satisfy its template. Singletons
	 * (subject, task report) pass no limit; `extendable` objects accept values via `extend`.
	 */
	object(
		templateName: string,
		identity: readonly unknown[],
		limit: LimitName | undefined,
		build: (draft: ObjectDraft) => void,
		extendable = false,
	): MispObject | undefined {
		// Looked up by identity text: the UUID's hash is computed only for objects actually built.
		const key = JSON.stringify([templateName, ...identity]);
		const existing = this.byIdentity.get(key);
		if (existing) return existing;
		const quota = limit === undefined ? undefined : this.quota(limit);
		if (quota && quota.used >= quota.limit) {
			quota.skipped++;
			return undefined;
		}
		if (this.budget.exhausted) {
			this.budget.skipObject(templateName);
			return undefined;
		}
		const template = getTemplate(templateName);
		if (!template) throw new Error(`No template knowledge for ${templateName}`);
		const uuid = this.uuidFor(templateName, identity);
		const draft = new ObjectDraft(template, uuid, this.warnings, this.budget);
		build(draft);
		const problem = draft.missingRequirements();
		if (problem !== undefined) {
			this.budget.refund(draft.attributes.length);
			this.warnings.add(`${templateName}: entry skipped (${problem}).`);
			return undefined;
		}
		if (quota) quota.used++;
		const object: MispObject = {
			name: template.name,
			'meta-category': template.metaCategory,
			description: template.description,
			template_uuid: template.uuid,
			template_version: String(template.version),
			uuid,
			...(draft.comment !== undefined ? { comment: wellFormed(draft.comment) } : {}),
			Attribute: draft.attributes,
		};
		this.objects.push(object);
		this.byIdentity.set(key, object);
		if (extendable) this.openDrafts.set(uuid, draft);
		return object;
	}

	/** Adds another value of a `multiple` relation to an object built earlier. */
	extend(object: MispObject, relation: string, raw: unknown): void {
		const draft = this.openDrafts.get(object.uuid);
		if (draft && draft.template.relations[relation]?.multiple) draft.add(relation, raw);
	}

	reference(
		from: MispObject | undefined,
		to: MispObject | undefined,
		relationship: string,
		comment?: string,
	): void {
		if (!from || !to || from === to) return;
		const key = `${from.uuid}\u0000${to.uuid}\u0000${relationship}`;
		if (this.references.has(key)) return;
		this.references.add(key);
		const reference: MispObjectReference = {
			referenced_uuid: to.uuid,
			relationship_type: relationship,
		};
		if (comment !== undefined) reference.comment = comment;
		(from.ObjectReference ??= []).push(reference);
	}

	/** Counts one candidate against a cap without building anything; false once it is reached. */
	take(limit: LimitName): boolean {
		const quota = this.quota(limit);
		if (quota.used >= quota.limit) {
			quota.skipped++;
			return false;
		}
		quota.used++;
		return true;
	}

	/** Emits one warning per cap that left something out. */
	reportCaps(): void {
		for (const [name, quota] of this.quotas) {
			if (quota.skipped > 0) {
				this.warnings.add(
					`Limit ${name}=${quota.limit} reached: ${quota.skipped} further entries were left out.`,
					true,
				);
			}
		}
		this.budget.report(this.warnings);
	}

	private quota(name: LimitName): Quota {
		let quota = this.quotas.get(name);
		if (!quota) {
			quota = { limit: this.limits[name], used: 0, skipped: 0 };
			this.quotas.set(name, quota);
		}
		return quota;
	}
}
