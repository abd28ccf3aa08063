import { randomUUID } from 'node:crypto';

import type { ValidAttribute } from './attributeValidation';
import { assertStorable } from './charset';
import { likeMatcher } from './tagFilter';

/** Role flags MISP checks for the routes we reproduce. */
export interface Permissions {
	perm_add: boolean;
	perm_modify: boolean;
	perm_modify_org: boolean;
	perm_publish: boolean;
	perm_tagger: boolean;
	perm_tag_editor: boolean;
	perm_site_admin: boolean;
}

export const ORG_ADMIN_ROLE: Permissions = {
	perm_add: true,
	perm_modify: true,
	perm_modify_org: true,
	perm_publish: true,
	perm_tagger: true,
	perm_tag_editor: true,
	perm_site_admin: false,
};

export interface Org {
	id: string;
	name: string;
	uuid: string;
}

export interface User {
	id: string;
	email: string;
	org: Org;
	role: Permissions;
	disabled: boolean;
}

export interface TagRecord {
	id: string;
	name: string;
	colour: string;
	exportable: boolean;
	is_galaxy: boolean;
}

export interface TagLink {
	tag: TagRecord;
	local: boolean;
	/** The store's write sequence when the link was written (see `RequestContext.snapshot`). */
	seq: number;
}

export interface AttributeRecord extends Omit<ValidAttribute, 'uuid'> {
	id: string;
	event_id: string;
	object_id: string;
	uuid: string;
	timestamp: string;
	deleted: boolean;
	tags: TagLink[];
}

export interface ObjectRecord {
	id: string;
	name: string;
	'meta-category': string;
	description: string;
	template_uuid: string;
	template_version: string;
	event_id: string;
	uuid: string;
	timestamp: string;
	distribution: string;
	sharing_group_id: string;
	comment: string;
	deleted: boolean;
	first_seen: string | null;
	last_seen: string | null;
}

export interface ReferenceRecord {
	id: string;
	uuid: string;
	timestamp: string;
	object_id: string;
	event_id: string;
	source_uuid: string;
	referenced_uuid: string;
	referenced_id: string;
	referenced_type: '0' | '1';
	relationship_type: string;
	comment: string;
	deleted: boolean;
}

export interface EventRecord {
	id: string;
	uuid: string;
	org: Org;
	orgc: Org;
	info: string;
	date: string;
	threat_level_id: string;
	analysis: string;
	distribution: string;
	sharing_group_id: string;
	published: boolean;
	timestamp: string;
	publish_timestamp: string;
	creatorEmail: string;
	tags: TagLink[];
}

/** A JSON object as the REST API prints it. */
export type Json = Record<string, unknown>;

export function now(): string {
	return String(Math.floor(Date.now() / 1000));
}

const TAG_COLOURS = ['#0088cc', '#ffc000', '#33cc00', '#cc0033', '#6600cc', '#999999'];

/** Which rows a read includes by their `deleted` flag (events/view's `deleted` parameter). */
export type DeletedFilter = (deleted: boolean) => boolean;
export const LIVE: DeletedFilter = (deleted) => !deleted;

function removeFrom<T>(index: Map<string, T[]>, key: string, item: T): void {
	const list = index.get(key);
	const at = list ? list.indexOf(item) : -1;
	if (list && at >= 0) list.splice(at, 1);
}

/** Adds `item` to the list kept under `key`. */
function addTo<T>(index: Map<string, T[]>, key: string, item: T): void {
	const list = index.get(key);
	if (list) list.push(item);
	else index.set(key, [item]);
}

/**
 * The instance's in-memory tables. Ids are numeric strings, counted per table as MySQL does.
 * Rows are added only through the `insert…` methods, which also keep the look-up indexes (by
 * uuid, by event, by object) that MySQL's keys give MISP: without them a sweep of thousands of
 * objects turns every add into a scan of the whole instance.
 */
export class MispStore {
	private readonly eventTable = new Map<string, EventRecord>();
	private readonly attributeTable = new Map<string, AttributeRecord>();
	private readonly objectTable = new Map<string, ObjectRecord>();
	private readonly tagTable = new Map<string, TagRecord>();
	private readonly eventByUuid = new Map<string, EventRecord>();
	private readonly attributeByUuid = new Map<string, AttributeRecord>();
	private readonly objectByUuid = new Map<string, ObjectRecord>();
	private readonly tagByName = new Map<string, TagRecord>();
	private readonly attributesByEvent = new Map<string, AttributeRecord[]>();
	private readonly attributesByObject = new Map<string, AttributeRecord[]>();
	private readonly objectsByEvent = new Map<string, ObjectRecord[]>();
	private readonly referencesByObject = new Map<string, ReferenceRecord[]>();
	private readonly counters = {
		event: 0,
		attribute: 0,
		object: 0,
		reference: 0,
		tag: 0,
	};
	private writes = 0;

	constructor(seedTags: string[]) {
		for (const name of seedTags) this.createTag(name);
	}

	get events(): ReadonlyMap<string, EventRecord> {
		return this.eventTable;
	}

	get attributes(): ReadonlyMap<string, AttributeRecord> {
		return this.attributeTable;
	}

	get objects(): ReadonlyMap<string, ObjectRecord> {
		return this.objectTable;
	}

	get tags(): ReadonlyMap<string, TagRecord> {
		return this.tagTable;
	}

	/** Counts tag-link writes, so a request can tell which ones began after it did. */
	get sequence(): number {
		return this.writes;
	}

	tagLink(tag: TagRecord, local: boolean): TagLink {
		this.writes += 1;
		return { tag, local, seq: this.writes };
	}

	nextId(table: keyof MispStore['counters']): string {
		this.counters[table] += 1;
		return String(this.counters[table]);
	}

	createTag(name: string): TagRecord {
		assertStorable(name);
		const id = this.nextId('tag');
		const tag: TagRecord = {
			id,
			name,
			colour: TAG_COLOURS[Number(id) % TAG_COLOURS.length],
			exportable: true,
			is_galaxy: name.startsWith('misp-galaxy:'),
		};
		this.tagTable.set(id, tag);
		// MISP keeps the first tag of a name; later ones differ only in case.
		if (!this.tagByName.has(name.toLowerCase())) this.tagByName.set(name.toLowerCase(), tag);
		return tag;
	}

	insertEvent(event: EventRecord): void {
		assertStorable(event.info);
		this.eventTable.set(event.id, event);
		this.eventByUuid.set(event.uuid, event);
	}

	insertObject(object: ObjectRecord): void {
		assertStorable(object.comment);
		this.objectTable.set(object.id, object);
		this.objectByUuid.set(object.uuid, object);
		addTo(this.objectsByEvent, object.event_id, object);
	}

	/** Tag by numeric id, or by name compared case-insensitively (inline `Tag` arrays). */
	findTag(idOrName: string): TagRecord | undefined {
		if (/^\d+$/.test(idOrName)) return this.tagTable.get(idOrName);
		return this.tagByName.get(idOrName.trim().toLowerCase());
	}

	/**
	 * Tag by numeric id, or the first (lowest id) whose name matches `Tag.name LIKE trim(name)`, as
	 * the tag routes look them up: `%` and `_` are wildcards unless escaped with `\` (misp.md §9).
	 */
	findTagLike(idOrName: string): TagRecord | undefined {
		const pattern = idOrName.trim();
		if (/^\d+$/.test(pattern)) return this.tagTable.get(pattern);
		if (!/[%_\\]/.test(pattern)) return this.tagByName.get(pattern.toLowerCase());
		const matches = likeMatcher(pattern);
		return [...this.tagTable.values()].find((tag) => matches(tag.name));
	}

	findEvent(idOrUuid: string): EventRecord | undefined {
		if (/^\d+$/.test(idOrUuid)) return this.eventTable.get(idOrUuid);
		return this.eventByUuid.get(idOrUuid.toLowerCase());
	}

	/** A live attribute by id or uuid; `includeDeleted` also finds soft-deleted ones. */
	findAttribute(idOrUuid: string, includeDeleted = false): AttributeRecord | undefined {
		const found = /^\d+$/.test(idOrUuid)
			? this.attributeTable.get(idOrUuid)
			: this.attributeByUuid.get(idOrUuid.toLowerCase());
		return found && (includeDeleted || !found.deleted) ? found : undefined;
	}

	findObject(idOrUuid: string, includeDeleted = false): ObjectRecord | undefined {
		const found = /^\d+$/.test(idOrUuid)
			? this.objectTable.get(idOrUuid)
			: this.objectByUuid.get(idOrUuid.toLowerCase());
		return found && (includeDeleted || !found.deleted) ? found : undefined;
	}

	/** Hard delete: the row, its tag links and the references pointing at it are gone. */
	purgeAttribute(attribute: AttributeRecord): void {
		this.attributeTable.delete(attribute.id);
		this.attributeByUuid.delete(attribute.uuid);
		removeFrom(this.attributesByEvent, attribute.event_id, attribute);
		removeFrom(this.attributesByObject, attribute.object_id, attribute);
		for (const references of this.referencesByObject.values()) {
			const kept = references.filter((r) => r.referenced_uuid !== attribute.uuid);
			references.splice(0, references.length, ...kept);
		}
	}

	purgeObject(object: ObjectRecord): void {
		for (const attribute of [...(this.attributesByObject.get(object.id) ?? [])]) {
			this.purgeAttribute(attribute);
		}
		this.objectTable.delete(object.id);
		this.objectByUuid.delete(object.uuid);
		removeFrom(this.objectsByEvent, object.event_id, object);
		this.referencesByObject.delete(object.id);
		for (const references of this.referencesByObject.values()) {
			const kept = references.filter((r) => r.referenced_uuid !== object.uuid);
			references.splice(0, references.length, ...kept);
		}
	}

	/** Events are always deleted for good, with everything in them. */
	purgeEvent(event: EventRecord): void {
		for (const object of [...(this.objectsByEvent.get(event.id) ?? [])]) this.purgeObject(object);
		for (const attribute of [...(this.attributesByEvent.get(event.id) ?? [])]) {
			this.purgeAttribute(attribute);
		}
		this.eventTable.delete(event.id);
		this.eventByUuid.delete(event.uuid);
	}

	/** Deleted rows keep their uuid, as in MISP (soft delete). */
	uuidTaken(uuid: string): boolean {
		return this.attributeByUuid.has(uuid);
	}

	objectUuidTaken(uuid: string): boolean {
		return this.objectByUuid.has(uuid);
	}

	/** MISP's rule for standalone attributes: unique on (event, type, category, value). */
	hasSimilarAttribute(eventId: string, a: ValidAttribute): boolean {
		return (this.attributesByEvent.get(eventId) ?? []).some(
			(b) =>
				b.object_id === '0' &&
				!b.deleted &&
				b.type === a.type &&
				b.category === a.category &&
				b.value1 === a.value1 &&
				b.value2 === a.value2,
		);
	}

	insertAttribute(event: EventRecord, valid: ValidAttribute, objectId = '0'): AttributeRecord {
		assertStorable(valid.comment);
		const record: AttributeRecord = {
			...valid,
			id: this.nextId('attribute'),
			event_id: event.id,
			object_id: objectId,
			uuid: valid.uuid ?? randomUUID(),
			timestamp: now(),
			deleted: false,
			tags: [],
		};
		this.attributeTable.set(record.id, record);
		this.attributeByUuid.set(record.uuid, record);
		addTo(this.attributesByEvent, record.event_id, record);
		if (objectId !== '0') addTo(this.attributesByObject, objectId, record);
		return record;
	}

	insertReference(
		fields: Omit<ReferenceRecord, 'id' | 'uuid' | 'timestamp' | 'deleted'>,
	): ReferenceRecord {
		const record: ReferenceRecord = {
			id: this.nextId('reference'),
			uuid: randomUUID(),
			timestamp: now(),
			...fields,
			deleted: false,
		};
		addTo(this.referencesByObject, record.object_id, record);
		return record;
	}

	/** Any change to an event's content unpublishes it and bumps its timestamp (misp.md §2.1). */
	touch(event: EventRecord): void {
		event.published = false;
		event.timestamp = now();
	}

	eventAttributes(event: EventRecord, include: DeletedFilter = LIVE): AttributeRecord[] {
		return (this.attributesByEvent.get(event.id) ?? []).filter((a) => include(a.deleted));
	}

	eventObjects(event: EventRecord, include: DeletedFilter = LIVE): ObjectRecord[] {
		return (this.objectsByEvent.get(event.id) ?? []).filter((o) => include(o.deleted));
	}

	objectAttributes(object: ObjectRecord, include: DeletedFilter = LIVE): AttributeRecord[] {
		return (this.attributesByObject.get(object.id) ?? []).filter((a) => include(a.deleted));
	}

	objectReferences(object: ObjectRecord): ReferenceRecord[] {
		return (this.referencesByObject.get(object.id) ?? []).filter((r) => !r.deleted);
	}
}

export function attributeValue(a: AttributeRecord): string {
	return a.value2 === '' ? a.value1 : `${a.value1}|${a.value2}`;
}

/** A tag as events/view prints it. */
export function tagJson(link: TagLink): Json {
	return {
		id: link.tag.id,
		name: link.tag.name,
		colour: link.tag.colour,
		exportable: link.tag.exportable,
		user_id: '0',
		hide_tag: false,
		numerical_value: null,
		is_galaxy: link.tag.is_galaxy,
		is_custom_galaxy: false,
		local_only: false,
		local: link.local,
		relationship_type: null,
	};
}

/** The attribute's own columns in MISP's order; `value1`/`value2` only on add responses. */
export function attributeJson(a: AttributeRecord, withValueParts: boolean): Json {
	const json: Json = {
		id: a.id,
		event_id: a.event_id,
		object_id: a.object_id,
		object_relation: a.object_relation,
		category: a.category,
		type: a.type,
	};
	if (withValueParts) {
		json.value1 = a.value1;
		json.value2 = a.value2;
	}
	Object.assign(json, {
		to_ids: a.to_ids,
		uuid: a.uuid,
		timestamp: a.timestamp,
		distribution: a.distribution,
		sharing_group_id: a.sharing_group_id,
		comment: a.comment,
		deleted: a.deleted,
		disable_correlation: a.disable_correlation,
		first_seen: a.first_seen,
		last_seen: a.last_seen,
		value: attributeValue(a),
	});
	return json;
}

export function objectJson(o: ObjectRecord): Json {
	return { ...o };
}

export function referenceJson(r: ReferenceRecord, objectUuid: string): Json {
	return { ...r, object_uuid: objectUuid };
}

export function orgJson(org: Org): Json {
	return { id: org.id, name: org.name, uuid: org.uuid, local: true };
}

/** An attribute inside events/view: own columns, plus Galaxy/ShadowAttribute and its own tags. */
function viewAttributeJson(a: AttributeRecord): Json {
	const json: Json = {
		...attributeJson(a, false),
		Galaxy: [],
		ShadowAttribute: [],
	};
	if (a.tags.length > 0) json.Tag = a.tags.map(tagJson);
	return json;
}

/** The event's own columns (what restSearch, index and view share). */
export function eventColumns(store: MispStore, e: EventRecord): Json {
	return {
		id: e.id,
		orgc_id: e.orgc.id,
		org_id: e.org.id,
		date: e.date,
		threat_level_id: e.threat_level_id,
		info: e.info,
		published: e.published,
		uuid: e.uuid,
		attribute_count: String(store.eventAttributes(e).length),
		analysis: e.analysis,
		timestamp: e.timestamp,
		distribution: e.distribution,
		proposal_email_lock: false,
		locked: false,
		publish_timestamp: e.publish_timestamp,
		sharing_group_id: e.sharing_group_id,
		disable_correlation: false,
		extends_uuid: '',
		protected: null,
		event_creator_email: e.creatorEmail,
	};
}

/** The full event as `GET /events/view/{id}` returns it, inside `{"Event": …}`. */
export function eventViewJson(
	store: MispStore,
	e: EventRecord,
	include: DeletedFilter = LIVE,
): Json {
	const objects = store.eventObjects(e, include).map((o) => ({
		...objectJson(o),
		ObjectReference: store.objectReferences(o).map((r) => referenceJson(r, o.uuid)),
		Attribute: store.objectAttributes(o, include).map(viewAttributeJson),
	}));
	return {
		Event: {
			...eventColumns(store, e),
			Org: orgJson(e.org),
			Orgc: orgJson(e.orgc),
			Attribute: store
				.eventAttributes(e, include)
				.filter((a) => a.object_id === '0')
				.map(viewAttributeJson),
			ShadowAttribute: [],
			RelatedEvent: [],
			Galaxy: [],
			Object: objects,
			EventReport: [],
			CryptographicKey: [],
			Tag: e.tags.map(tagJson),
		},
	};
}
