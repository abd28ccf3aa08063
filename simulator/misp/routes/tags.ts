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
import { MispException, NO_PERMISSION, ok, saveFailReply, type Reply } from '../responses';
import type { TagLink, TagRecord } from '../store';

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

/** The tag list `attachTagToObject` accepts: a name, an id, a list, or a JSON-encoded list. */
function tagRefs(raw: unknown): string[] {
	if (Array.isArray(raw)) return raw.map((r) => textOf(r) ?? '').filter((r) => r !== '');
	const text = textOf(raw);
	if (text === undefined) return [];
	if (text.startsWith('[')) {
		try {
			return tagRefs(JSON.parse(text));
		} catch {
			return [text];
		}
	}
	return [text];
}

/**
 * `POST /tags/attachTagToObject` (PyMISP `tag()`): creates unknown tags with perm_tag_editor and
 * does not check exclusive taxonomies (misp.md §2.3).
 */
export function attachTagToObject(ctx: RequestContext): Reply {
	requirePermission(ctx, 'perm_tagger');
	const body = unwrapRequest(ctx.body);
	const input = isRecord(body) ? body : {};
	const uuid = textOf(input.uuid)?.toLowerCase() ?? '';
	const event = ctx.store.findEvent(uuid);
	const attribute = event ? undefined : ctx.store.findAttribute(uuid);
	const owner = event ?? (attribute ? ctx.store.events.get(attribute.event_id) : undefined);
	if (!/^[0-9a-f-]{36}$/.test(uuid) || !owner || !canSeeEvent(ctx.user, owner)) {
		throw new MispException(404, 'Invalid Target.');
	}
	if (!canModifyEvent(ctx.user, owner)) throw new MispException(403, NO_PERMISSION);
	const local = isTruthy(input.local);
	const target: { label: string; links: TagLink[] } = event
		? { label: `Event(${event.id})`, links: event.tags }
		: {
				label: `Attribute(${attribute?.id ?? ''})`,
				links: attribute?.tags ?? [],
			};
	const kind = event ? 'Event' : 'Attribute';

	const messages: string[] = [];
	const failures: Record<string, string> = {};
	tagRefs(input.tag).forEach((ref, index) => {
		let tag = ctx.store.findTag(ref);
		if (
			!tag &&
			!/^\d+$/.test(ref) &&
			(ctx.user.role.perm_tag_editor || ctx.user.role.perm_site_admin)
		) {
			tag = ctx.store.createTag(ref.trim());
		}
		if (!tag) {
			failures[String(index)] = 'Invalid Tag.';
			return;
		}
		const found = tag;
		if (hasTag(ctx, target.links, found)) {
			messages.push(
				`${kind} already has the requested tag attached, no changes had to be made for tag ${found.name}.`,
			);
			return;
		}
		target.links.push(ctx.store.tagLink(found, local));
		messages.push(
			`${local ? 'Local' : 'Global'} tag ${found.name}(${found.id}) successfully attached to ${target.label}.`,
		);
	});
	const failed = Object.keys(failures).length;
	if (failed > 0 || messages.length === 0) {
		return saveFailReply(
			'Could not attachTagToObject Tag',
			'/tags/attachTagToObject',
			`Failed to attach ${Math.max(failed, 1)} tags. Reasons: ${JSON.stringify(failed > 0 ? failures : { 0: 'Invalid Tag.' })}`,
		);
	}
	ctx.store.touch(owner);
	const message = messages.join(' ');
	return ok({
		saved: true,
		success: true,
		name: message,
		message,
		url: '/tags/attachTagToObject',
	});
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
