import { validateAttribute, type FieldErrors } from '../attributeValidation';
import {
	applyInlineTags,
	canModifyEvent,
	canSeeEvent,
	conflictsWithExclusive,
	hasTag,
	isRecord,
	isTruthy,
	requirePermission,
	textOf,
	unwrapRequest,
	type Json,
	valueOptions,
	type RequestContext,
} from '../context';
import { MispException, NO_PERMISSION, ok, saveFailReply, type Reply } from '../responses';
import { attributeJson, tagJson, type AttributeRecord, type EventRecord } from '../store';
import { modifiableEvent } from './events';
import { keepAttachment, prepareAttachment } from './attachments';
import { attributeSaved } from '../workflowWebhook';

/** Body shapes of `attributes/add` (misp.md §2.2): single, list, `Attribute` wrapper, value arrays. */
function attributeInputs(body: unknown): { items: Json[]; several: boolean } {
	const payload = unwrapRequest(body);
	const inner = isRecord(payload) && 'Attribute' in payload ? payload.Attribute : payload;
	if (Array.isArray(inner))
		return { items: inner.map((i) => (isRecord(i) ? i : {})), several: true };
	const single = isRecord(inner) ? inner : {};
	if (Array.isArray(single.value)) {
		return {
			items: single.value.map((value: unknown) => ({ ...single, value })),
			several: true,
		};
	}
	return { items: [single], several: false };
}

/** An attribute's `Tag` key appears only when it has tags (misp.md §9). */
function withTagsIfAny(a: AttributeRecord, json: Json = attributeJson(a, true)): Json {
	return a.tags.length > 0 ? { ...json, Tag: a.tags.map(tagJson) } : json;
}

function singleAttributeJson(record: AttributeRecord): Json {
	return {
		Attribute: attributeJson(record, true),
		AttributeTag: record.tags.map((link) => ({
			attribute_id: record.id,
			event_id: record.event_id,
			tag_id: link.tag.id,
			local: link.local,
		})),
	};
}

type SaveOutcome = { record: AttributeRecord } | { errors: FieldErrors };

function saveOne(ctx: RequestContext, event: EventRecord, given: Json): SaveOutcome {
	const { input, file } = prepareAttachment(given);
	const result = validateAttribute(input, ctx.knowledge.describeTypes, false, valueOptions(ctx));
	if (!result.ok) return { errors: result.errors };
	const a = result.attribute;
	if (a.uuid && ctx.store.uuidTaken(a.uuid)) {
		return { errors: { uuid: ['The UUID provided is not unique'] } };
	}
	// Only standalone attributes must be unique per event; object attributes are exempt.
	if (ctx.store.hasSimilarAttribute(event.id, a)) {
		return {
			errors: { value: ['A similar attribute already exists for this event.'] },
		};
	}
	const record = ctx.store.insertAttribute(event, a);
	keepAttachment(ctx.store, record, file);
	applyInlineTags(ctx, record.tags, input.Tag);
	attributeSaved(ctx, record, 'add');
	return { record };
}

/** `POST /attributes/add/{event}`. */
export function addAttributes(ctx: RequestContext): Reply {
	requirePermission(ctx, 'perm_add');
	const event = modifiableEvent(ctx, ctx.args[0], 'Invalid event');
	const { items, several } = attributeInputs(ctx.body);
	const saved: AttributeRecord[] = [];
	const errors: Record<string, FieldErrors> = {};
	items.forEach((input, index) => {
		const outcome = saveOne(ctx, event, input);
		if ('record' in outcome) saved.push(outcome.record);
		else errors[`attribute_${index}`] = outcome.errors;
	});
	if (saved.length > 0) ctx.store.touch(event);
	if (saved.length === 0) {
		return saveFailReply(
			'Could not add Attribute',
			'/attributes/add',
			several ? errors : errors.attribute_0,
		);
	}
	// Exactly one saved attribute is answered as a single one, even for a list (misp.md §9).
	const body: Json =
		saved.length === 1
			? singleAttributeJson(saved[0])
			: { Attribute: saved.map((a) => withTagsIfAny(a)) };
	if (Object.keys(errors).length > 0) body.errors = errors;
	return ok(body);
}

function attributeAndTagRefs(ctx: RequestContext): [string | undefined, string | undefined] {
	const body = unwrapRequest(ctx.body);
	const fromBody = (key: string): string | undefined =>
		isRecord(body) ? textOf(body[key]) : undefined;
	return [ctx.args[0] ?? fromBody('attribute'), ctx.args[1] ?? fromBody('tag')];
}

function taggableAttribute(ctx: RequestContext, ref: string | undefined): AttributeRecord {
	const attribute = ref ? ctx.store.findAttribute(ref) : undefined;
	const event = attribute ? ctx.store.events.get(attribute.event_id) : undefined;
	if (!attribute || !event || !canSeeEvent(ctx.user, event)) {
		throw new MispException(404, 'Invalid attribute');
	}
	if (!canModifyEvent(ctx.user, event)) throw new MispException(403, NO_PERMISSION);
	return attribute;
}

/** `POST /attributes/addTag/{attr}/{tag}`: always 200; refuses unknown, duplicate, exclusive (§2.3). */
export function addAttributeTag(ctx: RequestContext): Reply {
	requirePermission(ctx, 'perm_tagger');
	const [attributeRef, tagRef] = attributeAndTagRefs(ctx);
	const attribute = taggableAttribute(ctx, attributeRef);
	const tag = tagRef ? ctx.store.findTagLike(tagRef) : undefined;
	// An unknown id and an unknown name are refused in different words (checked on MISP 2.5.1).
	if (!tag) {
		const unknownId = /^\d+$/.test(tagRef ?? '');
		return ok({ saved: false, errors: unknownId ? 'Tag could not be added.' : 'Invalid Tag.' });
	}
	if (
		hasTag(ctx, attribute.tags, tag) ||
		conflictsWithExclusive(ctx.knowledge, attribute.tags, tag.name)
	) {
		return ok({ saved: false, errors: 'Tag could not be added.' });
	}
	attribute.tags.push(ctx.store.tagLink(tag, ctx.named.local === '1'));
	const event = ctx.store.events.get(attribute.event_id);
	if (event) ctx.store.touch(event);
	if (ctx.named.local !== '1') attributeSaved(ctx, attribute, 'edit');
	return ok({ saved: true, success: 'Tag added.', check_publish: true });
}

/** `POST /attributes/removeTag/{attr}/{tag}`. */
export function removeAttributeTag(ctx: RequestContext): Reply {
	requirePermission(ctx, 'perm_tagger');
	const [attributeRef, tagRef] = attributeAndTagRefs(ctx);
	const attribute = taggableAttribute(ctx, attributeRef);
	const tag = tagRef ? ctx.store.findTag(tagRef) : undefined;
	const index = tag ? attribute.tags.findIndex((link) => link.tag.id === tag.id) : -1;
	if (index < 0) return ok({ saved: false, errors: 'Invalid attribute - tag combination.' });
	const [removed] = attribute.tags.splice(index, 1);
	const event = ctx.store.events.get(attribute.event_id);
	if (event) ctx.store.touch(event);
	if (!removed.local) attributeSaved(ctx, attribute, 'edit');
	return ok({ saved: true, success: 'Tag removed.', check_publish: true });
}

/**
 * `POST|DELETE /attributes/delete/{id}[/{hard}]`: soft by default; `hard` (URL, named or body,
 * PyMISP's `{"hard": 1}`) removes the row, also one already soft-deleted.
 */
export function deleteAttribute(ctx: RequestContext): Reply {
	const body = unwrapRequest(ctx.body);
	const hard =
		isTruthy(ctx.args[1]) ||
		isTruthy(ctx.named.hard) ||
		(isRecord(body) && 'hard' in body ? isTruthy(body.hard) : false);
	const attribute = ctx.args[0] ? ctx.store.findAttribute(ctx.args[0], hard) : undefined;
	const event = attribute ? ctx.store.events.get(attribute.event_id) : undefined;
	if (!attribute || !event || !canSeeEvent(ctx.user, event)) {
		throw new MispException(404, 'Invalid attribute');
	}
	if (!canModifyEvent(ctx.user, event)) throw new MispException(403, NO_PERMISSION);
	if (hard) ctx.store.purgeAttribute(attribute);
	else attribute.deleted = true;
	ctx.store.touch(event);
	return ok({ message: 'Attribute deleted.' });
}

export function viewAttribute(ctx: RequestContext): Reply {
	const attribute = ctx.args[0] ? ctx.store.findAttribute(ctx.args[0]) : undefined;
	const event = attribute ? ctx.store.events.get(attribute.event_id) : undefined;
	if (!attribute || !event || !canSeeEvent(ctx.user, event)) {
		throw new MispException(404, 'Invalid attribute');
	}
	const json = { ...attributeJson(attribute, false), event_uuid: event.uuid };
	return ok({ Attribute: withTagsIfAny(attribute, json) });
}

export function describeTypes(ctx: RequestContext): Reply {
	return ok({ result: ctx.knowledge.describeTypes });
}
