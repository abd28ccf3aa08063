import {
	canSeeEvent,
	isRecord,
	isTruthy,
	textOf,
	unwrapRequest,
	type Json,
	type RequestContext,
} from '../context';
import { MispException, ok, type Reply } from '../responses';
import {
	attributeJson,
	attributeValue,
	eventViewJson,
	objectJson,
	referenceJson,
	tagJson,
	type AttributeRecord,
	type EventRecord,
	type TagLink,
} from '../store';
import { addAttachmentData } from './attachments';
import { likeMatcher, parseTagFilter, passesTagFilter, resolveTagFilter } from '../tagFilter';

/** The filters of a restSearch call: JSON body merged over CakePHP named parameters. */
function searchFilters(ctx: RequestContext): Json {
	const body = unwrapRequest(ctx.body);
	const filters: Json = { ...ctx.named, ...(isRecord(body) ? body : {}) };
	// `_harvestParameters`: every string is trimmed, and `a||b` (not at the start) becomes a list.
	for (const [key, value] of Object.entries(filters)) {
		if (typeof value !== 'string') continue;
		const trimmed = value.trim();
		filters[key] = trimmed.indexOf('||') > 0 ? trimmed.split('||') : trimmed;
	}
	// A POST without filters searches everything (checked on MISP 2.5.1); a bare GET is refused.
	if (Object.keys(filters).length === 0 && ctx.method === 'GET') {
		throw new MispException(
			400,
			'Restsearch queries using GET and no parameters are not allowed. If you have passed parameters via a JSON body, make sure you use POST requests.',
		);
	}
	return filters;
}

function present(value: unknown): boolean {
	return (
		value !== undefined &&
		value !== null &&
		value !== '' &&
		!(Array.isArray(value) && value.length === 0)
	);
}

/** A scalar-or-list filter with `!` negation; `%` makes an item a LIKE pattern. */
function valueMatcher(raw: unknown): ((candidates: string[]) => boolean) | undefined {
	if (!present(raw)) return undefined;
	const items = (Array.isArray(raw) ? raw : [raw])
		.map((r) => textOf(r) ?? '')
		.filter((r) => r !== '');
	const positive = items.filter((i) => !i.startsWith('!')).map(likeMatcher);
	const negative = items.filter((i) => i.startsWith('!')).map((i) => likeMatcher(i.slice(1)));
	return (candidates) =>
		(positive.length === 0 || positive.some((m) => candidates.some((c) => m(c)))) &&
		!negative.some((m) => candidates.some((c) => m(c)));
}

function paginate<T>(rows: T[], filters: Json): T[] {
	const limit = Number(textOf(filters.limit));
	if (!Number.isInteger(limit) || limit <= 0) return rows;
	const page = Math.max(1, Number(textOf(filters.page)) || 1);
	return rows.slice((page - 1) * limit, page * limit);
}

function tagIds(...groups: TagLink[][]): Set<string> {
	return new Set(groups.flat().map((link) => link.tag.id));
}

function searchHeaders(count: number): Record<string, string> {
	return {
		'X-Result-Count': String(count),
		'X-Export-Module-Used': 'json',
		'X-Response-Format': 'json',
		'X-Skipped-Elements-Count': '0',
	};
}

/** Attribute-level predicate shared by the three searches. */
function attributeMatcher(filters: Json): (a: AttributeRecord) => boolean {
	const value = valueMatcher(filters.value);
	const type = valueMatcher(filters.type);
	const category = valueMatcher(filters.category);
	const uuid = valueMatcher(filters.uuid);
	const relation = valueMatcher(filters.object_relation);
	const toIds = present(filters.to_ids) ? isTruthy(filters.to_ids) : undefined;
	return (a) =>
		(!value || value([attributeValue(a), a.value1, a.value2].filter((v) => v !== ''))) &&
		(!type || type([a.type])) &&
		(!category || category([a.category])) &&
		(!uuid || uuid([a.uuid])) &&
		(!relation || relation([a.object_relation ?? ''])) &&
		(toIds === undefined || a.to_ids === toIds);
}

function eventMatcher(filters: Json): (e: EventRecord) => boolean {
	const eventId = valueMatcher(filters.eventid);
	const published = present(filters.published) ? isTruthy(filters.published) : undefined;
	return (e) =>
		(!eventId || eventId([e.id, e.uuid])) && (published === undefined || e.published === published);
}

function restSearchTag(link: TagLink, inherited: boolean): Json {
	const json = tagJson(link);
	const tag: Json = {
		id: json.id,
		name: json.name,
		colour: json.colour,
		numerical_value: null,
		is_galaxy: json.is_galaxy,
		local: json.local,
	};
	if (inherited) tag.inherited = 1;
	return tag;
}

/**
 * `POST /attributes/restSearch` (misp.md §2.5): an attribute matches a tag filter through its own
 * tags or its event's; only its own tags are returned unless `includeEventTags`.
 */
export function searchAttributes(ctx: RequestContext): Reply {
	const filters = searchFilters(ctx);
	const tagFilter = parseTagFilter(filters.tags);
	const resolved = tagFilter
		? resolveTagFilter(tagFilter, [...ctx.store.tags.values()])
		: undefined;
	if (resolved === 'empty') return ok({ response: { Attribute: [] } }, searchHeaders(0));
	const matchesAttribute = attributeMatcher(filters);
	const matchesEvent = eventMatcher(filters);
	const includeEventTags = isTruthy(filters.includeEventTags);
	const rows: Json[] = [];
	for (const a of ctx.store.attributes.values()) {
		const event = ctx.store.events.get(a.event_id);
		if (a.deleted || !event || !canSeeEvent(ctx.user, event) || !matchesEvent(event)) continue;
		if (!matchesAttribute(a)) continue;
		if (resolved && !passesTagFilter(resolved, tagIds(a.tags, event.tags))) continue;
		const row: Json = {
			...attributeJson(a, false),
			Event: {
				org_id: event.org.id,
				distribution: event.distribution,
				id: event.id,
				info: event.info,
				orgc_id: event.orgc.id,
				uuid: event.uuid,
			},
		};
		const object = a.object_id !== '0' ? ctx.store.objects.get(a.object_id) : undefined;
		if (object) {
			row.Object = {
				id: object.id,
				distribution: object.distribution,
				sharing_group_id: object.sharing_group_id,
			};
		}
		const tags = a.tags.map((link) => restSearchTag(link, false));
		if (includeEventTags) tags.push(...event.tags.map((link) => restSearchTag(link, true)));
		if (tags.length > 0) row.Tag = tags;
		addAttachmentData(ctx.store, a, row, filters);
		rows.push(row);
	}
	const page = paginate(rows, filters);
	return ok({ response: { Attribute: page } }, searchHeaders(page.length));
}

/** `POST /events/restSearch`: events whose own or attributes' tags pass the filter. */
export function searchEvents(ctx: RequestContext): Reply {
	const filters = searchFilters(ctx);
	const tagFilter = parseTagFilter(filters.tags);
	const resolved = tagFilter
		? resolveTagFilter(tagFilter, [...ctx.store.tags.values()])
		: undefined;
	if (resolved === 'empty') return ok({ response: [] }, searchHeaders(0));
	const matchesEvent = eventMatcher(filters);
	const matchesAttribute = attributeMatcher(filters);
	const needsAttribute = ['value', 'type', 'category', 'uuid', 'object_relation', 'to_ids'].some(
		(key) => present(filters[key]),
	);
	const rows = [...ctx.store.events.values()]
		.filter((e) => canSeeEvent(ctx.user, e) && matchesEvent(e))
		.filter((e) => {
			const attributes = ctx.store.eventAttributes(e);
			if (needsAttribute && !attributes.some(matchesAttribute)) return false;
			return (
				!resolved || passesTagFilter(resolved, tagIds(e.tags, ...attributes.map((a) => a.tags)))
			);
		})
		.map((e) => eventViewJson(ctx.store, e));
	const page = paginate(rows, filters);
	return ok({ response: page }, searchHeaders(page.length));
}

/** `POST /objects/restSearch`: objects with an attribute that matches (tags via attribute or event). */
export function searchObjects(ctx: RequestContext): Reply {
	const filters = searchFilters(ctx);
	const tagFilter = parseTagFilter(filters.tags);
	const resolved = tagFilter
		? resolveTagFilter(tagFilter, [...ctx.store.tags.values()])
		: undefined;
	if (resolved === 'empty') return ok({ response: [] }, searchHeaders(0));
	const matchesEvent = eventMatcher(filters);
	const matchesAttribute = attributeMatcher({ ...filters, uuid: undefined });
	const objectUuid = valueMatcher(filters.uuid);
	const objectName = valueMatcher(filters.object_name ?? filters.name);
	const rows: Json[] = [];
	for (const o of ctx.store.objects.values()) {
		const event = ctx.store.events.get(o.event_id);
		if (o.deleted || !event || !canSeeEvent(ctx.user, event) || !matchesEvent(event)) continue;
		if ((objectUuid && !objectUuid([o.uuid])) || (objectName && !objectName([o.name]))) continue;
		const attributes = ctx.store.objectAttributes(o);
		const hit = attributes.some(
			(a) =>
				matchesAttribute(a) && (!resolved || passesTagFilter(resolved, tagIds(a.tags, event.tags))),
		);
		if (!hit) continue;
		rows.push({
			Object: {
				...objectJson(o),
				Attribute: attributes.map((a) => {
					const json = attributeJson(a, false);
					return a.tags.length > 0 ? { ...json, Tag: a.tags.map(tagJson) } : json;
				}),
				ObjectReference: ctx.store.objectReferences(o).map((r) => referenceJson(r, o.uuid)),
			},
		});
	}
	const page = paginate(rows, filters);
	return ok({ response: page }, searchHeaders(page.length));
}
