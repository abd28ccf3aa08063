import {
	canModifyEvent,
	canSeeEvent,
	hasTag,
	isRecord,
	isTruthy,
	requirePermission,
	textOf,
	unwrapRequest,
	type Json,
	type RequestContext,
} from '../context';
import { MispException, ok, saveFailReply, saveSuccessReply, type Reply } from '../responses';
import type { EventRecord, TagLink, TagRecord } from '../store';

/** A row of MISP's `tags` table as its REST answers show it. */
function tagColumns(tag: TagRecord): Json {
	return {
		id: tag.id,
		name: tag.name,
		colour: tag.colour,
		exportable: tag.exportable,
		org_id: '0',
		user_id: '0',
		hide_tag: false,
		numerical_value: null,
		is_galaxy: tag.is_galaxy,
		is_custom_galaxy: false,
		local_only: false,
	};
}

/** `GET /tags` — also the mispApi credential test. */
export function indexTags(ctx: RequestContext): Reply {
	const usage = (tag: TagRecord): number =>
		[...ctx.store.attributes.values()].filter((a) => a.tags.some((l) => l.tag.id === tag.id))
			.length;
	return ok({
		Tag: [...ctx.store.tags.values()].map((tag) => ({
			...tagColumns(tag),
			count: usage(tag),
			attribute_count: usage(tag),
			favourite: false,
		})),
	});
}

/** MISP's refusal to change global tags of another org's data (TagsController). */
const OTHER_ORG_TAGS =
	'Cannot alter the tags of this data, only the organisation that has created the data (orgc) can modify global tags. Please consider using local tags if you are in the host organisation of the instance.';

interface TagTarget {
	kind: 'Event' | 'Attribute';
	id: string;
	links: TagLink[];
	event: EventRecord;
}

/** `__findObjectByUuid`: an event or attribute by uuid; only the creator org may change global tags. */
function tagTarget(ctx: RequestContext, uuid: string, scope: 'view' | 'modify'): TagTarget {
	const event = ctx.store.findEvent(uuid);
	const attribute = event ? undefined : ctx.store.findAttribute(uuid);
	const owner = event ?? (attribute ? ctx.store.events.get(attribute.event_id) : undefined);
	if (!/^[0-9a-f-]{36}$/i.test(uuid) || !owner || !canSeeEvent(ctx.user, owner)) {
		throw new MispException(404, 'Invalid Target.');
	}
	if (scope === 'modify' && !ctx.user.role.perm_site_admin && owner.orgc.id !== ctx.user.org.id) {
		throw new MispException(403, OTHER_ORG_TAGS);
	}
	return event
		? { kind: 'Event', id: event.id, links: event.tags, event }
		: { kind: 'Attribute', id: attribute?.id ?? '', links: attribute?.tags ?? [], event: owner };
}

function requiredField(body: Json, key: 'uuid' | 'tag', message: string): unknown {
	const value = body[key];
	if (value === undefined || value === null || value === '' || value === false) {
		throw new MispException(405, message);
	}
	return value;
}

/**
 * `POST /tags/attachTagToObject` (PyMISP `tag()`): a real JSON list is several tags, anything else
 * one name (a JSON-encoded list too); names match with `LIKE`; unknown names are created with
 * perm_tag_editor; no exclusivity check; 200 when any tag attached (misp.md §2.3, §9).
 */
export function attachTagToObject(ctx: RequestContext): Reply {
	requirePermission(ctx, 'perm_tagger');
	const body = unwrapRequest(ctx.body);
	const input = isRecord(body) ? body : {};
	const uuid = textOf(requiredField(input, 'uuid', 'Invalid object uuid')) ?? '';
	const rawTags = requiredField(input, 'tag', 'Invalid tag');
	const local = isTruthy(input.local);
	const fails: string[] = [];
	const existing: string[] = [];
	let successes = 0;
	let message = '';
	let target: TagTarget | undefined;
	for (const raw of Array.isArray(rawTags) ? rawTags : [rawTags]) {
		const ref = textOf(raw) ?? '';
		target = tagTarget(ctx, uuid, local ? 'view' : 'modify');
		let tag = ctx.store.findTagLike(ref);
		if (!tag) {
			if (/^\d+$/.test(ref.trim())) {
				fails.push('Invalid Tag.');
				continue;
			}
			if (!(ctx.user.role.perm_tag_editor || ctx.user.role.perm_site_admin)) {
				fails.push('Tag not found and insufficient privileges to create it.');
				continue;
			}
			tag = ctx.store.createTag(ref.trim());
		}
		successes += 1;
		if (hasTag(ctx, target.links, tag)) {
			message = `${target.kind} already has the requested tag attached, no changes had to be made for tag ${tag.name}.`;
			existing.push(tag.name);
			continue;
		}
		target.links.push(ctx.store.tagLink(tag, local));
		if (!local) ctx.store.touch(target.event);
		message = `${local ? 'Local' : 'Global'} tag ${tag.name}(${tag.id}) successfully attached to ${target.kind}(${target.id}).`;
	}
	const failed = `Failed to attach ${fails.length} tags. Reasons: ${JSON.stringify({ ...fails })}`;
	if (successes === 0 || !target) {
		return saveFailReply('Could not attachTagToObject Tag', '/tags/attachTagToObject', failed);
	}
	if (successes > 1) {
		message = `Successfully attached ${successes} tags to ${target.kind} (${target.id})`;
		if (existing.length > 0) {
			message += `. ${target.id} already has the requested tag attached, no changes had to be made for tags ${JSON.stringify(existing)}.`;
		}
	}
	if (fails.length > 0) message += `\n${failed}`;
	return saveSuccessReply(message, '/tags/attachTagToObject');
}

/** `POST /tags/removeTagFromObject` (PyMISP `untag()`): removes one link of the tag. */
export function removeTagFromObject(ctx: RequestContext): Reply {
	requirePermission(ctx, 'perm_tagger');
	const body = unwrapRequest(ctx.body);
	const input = isRecord(body) ? body : {};
	const uuid = textOf(requiredField(input, 'uuid', 'Invalid object uuid')) ?? '';
	const ref = textOf(requiredField(input, 'tag', 'Invalid tag')) ?? '';
	const tag = ctx.store.findTagLike(ref);
	if (!tag) throw new MispException(405, 'Invalid Tag.');
	let target = tagTarget(ctx, uuid, 'view');
	const index = target.links.findIndex((link) => link.tag.id === tag.id);
	if (index < 0) {
		throw new MispException(
			404,
			`Could not remove tag as it is not attached to the target ${target.kind}`,
		);
	}
	const { local } = target.links[index];
	if (!local) target = tagTarget(ctx, uuid, 'modify');
	else if (!canModifyEvent(ctx.user, target.event)) {
		throw new MispException(
			403,
			'Insufficient privileges to remove local tags from events you do not own.',
		);
	}
	target.links.splice(index, 1);
	if (!local) ctx.store.touch(target.event);
	const message = `${local ? 'Local' : 'Global'} tag ${tag.name} (${tag.id}) successfully removed from ${target.kind}(${target.id}).`;
	return saveSuccessReply(message, '/tags/removeTagFromObject');
}

/**
 * `POST /tags/add` over REST (TagsController::add): answers the tag whose name is exactly the
 * one given (the `tags.name` column is binary-collated), or creates it; needs perm_tag_editor.
 */
export function addTag(ctx: RequestContext): Reply {
	requirePermission(ctx, 'perm_tag_editor');
	const body = unwrapRequest(ctx.body);
	const input = isRecord(body) && isRecord(body.Tag) ? body.Tag : isRecord(body) ? body : {};
	const name = textOf(input.name) ?? '';
	if (name.trim() === '') {
		throw new MispException(405, 'Could not add the Tag. [name]: This field is required.');
	}
	const tag =
		[...ctx.store.tags.values()].find((candidate) => candidate.name === name) ??
		ctx.store.createTag(name);
	return ok({ Tag: tagColumns(tag) });
}
