import { randomUUID } from 'node:crypto';

import { seenOrNull, validateAttribute } from '../attributeValidation';
import {
	applyInlineTags,
	canModifyEvent,
	canSeeEvent,
	conflictsWithExclusive,
	hasTag,
	isRecord,
	requirePermission,
	textOf,
	unwrapRequest,
	type Json,
	valueOptions,
	type RequestContext,
} from '../context';
import { OBJECT_DISTRIBUTION_WHEN_ABSENT } from '../instance';
import {
	MispException,
	NO_PERMISSION,
	ok,
	saveFailReply,
	saveSuccessReply,
	type Reply,
} from '../responses';
import {
	eventColumns,
	eventViewJson,
	now,
	orgJson,
	LIVE,
	type DeletedFilter,
	type EventRecord,
	type ObjectRecord,
} from '../store';
import { attributeSaved } from '../workflowWebhook';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The event a URL names, visible to the user, or MISP's 404 with the route's own wording. */
export function visibleEvent(
	ctx: RequestContext,
	idOrUuid: string | undefined,
	notFound: string,
): EventRecord {
	const event = idOrUuid ? ctx.store.findEvent(idOrUuid) : undefined;
	if (!event || !canSeeEvent(ctx.user, event)) throw new MispException(404, notFound);
	return event;
}

export function modifiableEvent(
	ctx: RequestContext,
	idOrUuid: string | undefined,
	notFound: string,
): EventRecord {
	const event = visibleEvent(ctx, idOrUuid, notFound);
	if (!canModifyEvent(ctx.user, event)) throw new MispException(403, NO_PERMISSION);
	return event;
}

/**
 * `POST /events/add` and `POST /events` (misp.md §2.6, §4): one call creates the event with its
 * attributes, objects, references and tags; invalid parts are dropped silently (`captureObject`).
 */
export function addEvent(ctx: RequestContext): Reply {
	requirePermission(ctx, 'perm_add');
	const unwrapped = unwrapRequest(ctx.body);
	const payload = isRecord(unwrapped) && isRecord(unwrapped.Event) ? unwrapped.Event : unwrapped;
	if (!isRecord(payload)) {
		return saveFailReply('Could not add Event', '/events/add', {
			Event: { info: ['Info cannot be empty.'] },
		});
	}
	const info = textOf(payload.info)?.trim();
	if (!info) {
		return saveFailReply('Could not add Event', '/events/add', {
			Event: { info: ['Info cannot be empty.'] },
		});
	}
	const requestedUuid = textOf(payload.uuid)?.toLowerCase();
	if (requestedUuid) {
		if (!UUID.test(requestedUuid)) {
			return saveFailReply('Could not add Event', '/events/add', {
				Event: { uuid: ['Please provide a valid RFC 4122 UUID'] },
			});
		}
		const existing = ctx.store.findEvent(requestedUuid);
		if (existing) {
			throw new MispException(
				404,
				'Event already exists, if you would like to edit it, use the url in the location header.',
				{ Location: `${ctx.baseUrl}/events/${existing.id}` },
			);
		}
	}
	const event = createEventRecord(ctx, payload, info, requestedUuid);
	captureEventContent(ctx, event, payload);
	return ok(eventViewJson(ctx.store, event));
}

function createEventRecord(
	ctx: RequestContext,
	payload: Json,
	info: string,
	uuid?: string,
): EventRecord {
	const distribution = textOf(payload.distribution) ?? ctx.settings.defaultEventDistribution;
	const event: EventRecord = {
		id: ctx.store.nextId('event'),
		uuid: uuid ?? randomUUID(),
		org: ctx.user.org,
		orgc: ctx.user.org,
		info,
		date: textOf(payload.date) ?? new Date().toISOString().slice(0, 10),
		threat_level_id: textOf(payload.threat_level_id) ?? '4',
		analysis: textOf(payload.analysis) ?? '0',
		distribution: /^[0-4]$/.test(distribution) ? distribution : '0',
		sharing_group_id: textOf(payload.sharing_group_id) ?? '0',
		published: false,
		timestamp: now(),
		publish_timestamp: '0',
		creatorEmail: ctx.user.email,
		tags: [],
	};
	ctx.store.insertEvent(event);
	return event;
}

function captureEventContent(ctx: RequestContext, event: EventRecord, payload: Json): void {
	const { store, knowledge } = ctx;
	applyInlineTags(ctx, event.tags, payload.Tag);

	const seen = new Set<string>();
	for (const raw of Array.isArray(payload.Attribute) ? payload.Attribute : []) {
		if (!isRecord(raw)) continue;
		const result = validateAttribute(raw, knowledge.describeTypes, false, valueOptions(ctx));
		if (!result.ok) continue;
		const a = result.attribute;
		// Duplicates inside one payload are merged on (value, type, category), not refused.
		const key = JSON.stringify([a.value1, a.value2, a.type, a.category]);
		if (seen.has(key) || (a.uuid && store.uuidTaken(a.uuid))) continue;
		seen.add(key);
		const record = store.insertAttribute(event, a);
		applyInlineTags(ctx, record.tags, raw.Tag);
		attributeSaved(ctx, record, 'add');
	}

	const withReferences: Array<[ObjectRecord, unknown]> = [];
	for (const raw of Array.isArray(payload.Object) ? payload.Object : []) {
		if (!isRecord(raw)) continue;
		const object = captureObject(ctx, event, raw);
		if (object) withReferences.push([object, raw.ObjectReference]);
	}
	// References are resolved once every object exists, by the objects' own uuids.
	for (const [object, references] of withReferences) {
		for (const ref of Array.isArray(references) ? references : []) {
			if (!isRecord(ref)) continue;
			const targetUuid = textOf(ref.referenced_uuid)?.toLowerCase();
			if (!targetUuid) continue;
			const targetObject = store.findObject(targetUuid);
			const targetAttribute = targetObject ? undefined : store.findAttribute(targetUuid);
			const target = targetObject ?? targetAttribute;
			if (!target || target.event_id !== event.id) continue;
			store.insertReference({
				object_id: object.id,
				event_id: event.id,
				source_uuid: object.uuid,
				referenced_uuid: target.uuid,
				referenced_id: target.id,
				referenced_type: targetObject ? '1' : '0',
				relationship_type: textOf(ref.relationship_type) ?? '',
				comment: textOf(ref.comment) ?? '',
			});
		}
	}
}

/** `MispObject::captureObject`: model validation only, no template conformity. */
function captureObject(
	ctx: RequestContext,
	event: EventRecord,
	raw: Json,
): ObjectRecord | undefined {
	const { store, knowledge } = ctx;
	const name = textOf(raw.name);
	const metaCategory = textOf(raw['meta-category']);
	const templateUuid = textOf(raw.template_uuid);
	const attributes = Array.isArray(raw.Attribute) ? raw.Attribute : [];
	if (
		!name ||
		!metaCategory ||
		!templateUuid ||
		!UUID.test(templateUuid) ||
		attributes.length === 0
	) {
		return undefined;
	}
	const uuid = textOf(raw.uuid)?.toLowerCase();
	if (uuid && (!UUID.test(uuid) || store.objectUuidTaken(uuid))) return undefined;
	const distribution = textOf(raw.distribution) ?? OBJECT_DISTRIBUTION_WHEN_ABSENT;
	const object: ObjectRecord = {
		id: store.nextId('object'),
		name,
		'meta-category': metaCategory,
		description: textOf(raw.description) ?? '',
		template_uuid: templateUuid.toLowerCase(),
		template_version: textOf(raw.template_version) || '1',
		event_id: event.id,
		uuid: uuid ?? randomUUID(),
		timestamp: now(),
		distribution,
		sharing_group_id: distribution === '4' ? (textOf(raw.sharing_group_id) ?? '0') : '0',
		comment: textOf(raw.comment) ?? '',
		deleted: false,
		first_seen: seenOrNull(raw.first_seen),
		last_seen: seenOrNull(raw.last_seen),
	};
	store.insertObject(object);
	for (const rawAttribute of attributes) {
		if (!isRecord(rawAttribute)) continue;
		const result = validateAttribute(
			rawAttribute,
			knowledge.describeTypes,
			true,
			valueOptions(ctx),
		);
		if (!result.ok || (result.attribute.uuid && store.uuidTaken(result.attribute.uuid))) continue;
		const a = result.attribute;
		a.first_seen ??= object.first_seen;
		a.last_seen ??= object.last_seen;
		const record = store.insertAttribute(event, a, object.id);
		applyInlineTags(ctx, record.tags, rawAttribute.Tag);
		attributeSaved(ctx, record, 'add');
	}
	return object;
}

/**
 * `GET|POST /events/view/{id}`; a POSTed `deleted` (PyMISP `get_event(deleted=…)`) selects rows by
 * their deleted flag: 1/true both, 0 live only, a list those values, anything else deleted only.
 */
export function viewEvent(ctx: RequestContext): Reply {
	const event = visibleEvent(ctx, ctx.args[0], 'Invalid event');
	const body = unwrapRequest(ctx.body);
	const deleted = isRecord(body) && 'deleted' in body ? body.deleted : ctx.named.deleted;
	return ok(eventViewJson(ctx.store, event, deletedFilter(deleted ?? 0)));
}

function deletedFilter(deleted: unknown): DeletedFilter {
	if (Array.isArray(deleted)) {
		const wanted = deleted.map((d) => Number(textOf(d) ?? (d === true ? 1 : 0)));
		return (d) => wanted.includes(Number(d));
	}
	const level = deleted === true ? 1 : deleted === false ? 0 : Number(textOf(deleted) ?? 0);
	if (level === 1) return () => true;
	if (level === 0 || Number.isNaN(level)) return LIVE;
	return (d) => d;
}

/** `POST /events/delete/{id}`: events are deleted for good, with everything in them. */
export function deleteEvent(ctx: RequestContext): Reply {
	const event = ctx.args[0] ? ctx.store.findEvent(ctx.args[0]) : undefined;
	if (!event || !canSeeEvent(ctx.user, event) || !canModifyEvent(ctx.user, event)) {
		return saveFailReply('Could not delete Event', '/events/delete', 'Event was not deleted.');
	}
	ctx.store.purgeEvent(event);
	return saveSuccessReply('Event deleted.', `/events/delete/${event.id}`, event.id);
}

export function indexEvents(ctx: RequestContext): Reply {
	const events = [...ctx.store.events.values()].filter((e) => canSeeEvent(ctx.user, e));
	return ok(
		events.map((e) => ({
			...eventColumns(ctx.store, e),
			Org: orgJson(e.org),
			Orgc: orgJson(e.orgc),
			EventTag: e.tags.map((link) => ({
				event_id: e.id,
				tag_id: link.tag.id,
				local: link.local,
				Tag: {
					id: link.tag.id,
					name: link.tag.name,
					colour: link.tag.colour,
					is_galaxy: link.tag.is_galaxy,
				},
			})),
		})),
	);
}

function eventAndTagRefs(ctx: RequestContext): [string | undefined, string | undefined] {
	const body = unwrapRequest(ctx.body);
	const fromBody = (key: string): string | undefined =>
		isRecord(body) ? textOf(body[key]) : undefined;
	return [ctx.args[0] ?? fromBody('event'), ctx.args[1] ?? fromBody('tag')];
}

/** `POST /events/addTag` body `{event, tag}` — what the stock node's Event Tag → add sends. */
export function addEventTag(ctx: RequestContext): Reply {
	requirePermission(ctx, 'perm_tagger');
	const [eventRef, tagRef] = eventAndTagRefs(ctx);
	const event = modifiableEvent(ctx, eventRef, 'Invalid event.');
	const tag = tagRef ? ctx.store.findTagLike(tagRef) : undefined;
	// An unknown id and an unknown name are refused in different words (checked on MISP 2.5.1).
	if (!tag) {
		return ok({ saved: false, errors: /^\d+$/.test(tagRef ?? '') ? 'Tag not found.' : 'Invalid Tag.' });
	}
	if (hasTag(ctx, event.tags, tag) || conflictsWithExclusive(ctx.knowledge, event.tags, tag.name)) {
		return ok({ saved: false, errors: 'Tag could not be added.' });
	}
	event.tags.push(ctx.store.tagLink(tag, ctx.named.local === '1'));
	ctx.store.touch(event);
	return ok({ saved: true, success: 'Tag(s) added.', check_publish: true });
}

export function removeEventTag(ctx: RequestContext): Reply {
	requirePermission(ctx, 'perm_tagger');
	const [eventRef, tagRef] = eventAndTagRefs(ctx);
	const event = modifiableEvent(ctx, eventRef, 'Invalid event.');
	const tag = tagRef ? ctx.store.findTag(tagRef) : undefined;
	const index = tag ? event.tags.findIndex((link) => link.tag.id === tag.id) : -1;
	if (index < 0) return ok({ saved: false, errors: 'Invalid event - tag combination.' });
	event.tags.splice(index, 1);
	ctx.store.touch(event);
	return ok({ saved: true, success: 'Tag removed.', check_publish: true });
}
