import { randomUUID } from 'node:crypto';

import {
	COMPOSITE_FORMAT,
	modifiedValue,
	seenOrNull,
	validateAttribute,
	type ValidAttribute,
} from '../attributeValidation';
import {
	applyInlineTags,
	canModifyEvent,
	canSeeEvent,
	isRecord,
	isTruthy,
	textOf,
	unwrapRequest,
	valueOptions,
	type Json,
	type RequestContext,
} from '../context';
import { assertStorable } from '../charset';
import { OBJECT_DISTRIBUTION_WHEN_ABSENT } from '../instance';
import type { KnownTemplate } from '../knowledge';
import {
	MispException,
	NO_PERMISSION,
	ok,
	phpJsonEncode,
	saveFailReply,
	saveSuccessReply,
	type Reply,
} from '../responses';
import {
	attributeJson,
	attributeValue,
	type EventRecord,
	now,
	objectJson,
	referenceJson,
	type ObjectRecord,
} from '../store';
import { modifiableEvent } from './events';
import { attributeSaved } from '../workflowWebhook';

const NOT_CONFORMING = 'Could not save the object as';

/** Body shapes `objects/add` accepts (misp.md §2.1), normalised to the object and its attributes. */
function normaliseObjectBody(body: unknown): {
	object: Json;
	attributes: unknown[];
} {
	let payload = unwrapRequest(body);
	if (isRecord(payload) && isRecord(payload.Object)) {
		const wrapper = payload;
		let object: Json = wrapper.Object as Json;
		if (typeof object.data === 'string') {
			try {
				const parsed: unknown = JSON.parse(object.data);
				if (isRecord(parsed)) object = isRecord(parsed.Object) ? parsed.Object : parsed;
			} catch {
				// MISP would treat undecodable data as an empty object.
				object = {};
			}
		}
		const attributes = object.Attribute ?? wrapper.Attribute;
		return { object, attributes: Array.isArray(attributes) ? attributes : [] };
	}
	if (!isRecord(payload)) payload = {};
	const object = payload as Json;
	return {
		object,
		attributes: Array.isArray(object.Attribute) ? object.Attribute : [],
	};
}

function templateFromUrl(ctx: RequestContext, ref: string, version?: string): KnownTemplate {
	const candidates = /^\d+$/.test(ref)
		? [ctx.knowledge.templates[Number(ref) - 1]].filter((t): t is KnownTemplate => t !== undefined)
		: ctx.knowledge.templates.filter((t) => t.uuid === ref.toLowerCase());
	const chosen = version
		? candidates.find((t) => String(t.version) === version)
		: candidates.sort((a, b) => b.version - a.version)[0];
	if (!chosen) throw new MispException(404, 'Invalid template.');
	return chosen;
}

/** `ObjectTemplate::checkTemplateConformity`: required, requiredOneOf, multiple — nothing else. */
function conformityError(template: KnownTemplate, relations: string[]): string | undefined {
	for (const required of template.required) {
		if (!relations.includes(required)) {
			return `${NOT_CONFORMING} a required attribute is not set (${required})`;
		}
	}
	if (
		template.requiredOneOf.length > 0 &&
		!template.requiredOneOf.some((relation) => relations.includes(relation))
	) {
		return `${NOT_CONFORMING} it requires at least one of the following attributes to be set: ${template.requiredOneOf.join(', ')}`;
	}
	const counts = new Map<string, number>();
	for (const relation of relations) counts.set(relation, (counts.get(relation) ?? 0) + 1);
	for (const [relation, count] of counts) {
		// Relations unknown to the template are not checked at all, not even for repetition.
		if (count > 1 && template.single.has(relation)) {
			return `${NOT_CONFORMING} a unique relationship within the object was assigned to more than one attribute. This is only allowed if the multiple flag is set in the object template.`;
		}
	}
	return undefined;
}

const TEMPLATE_FIELDS = [
	'name',
	'meta-category',
	'description',
	'template_uuid',
	'template_version',
];

/** `POST /objects/add/{event}[/{template}[/{version}]]`, in MISP's order of checks (misp.md §2.1). */
export function addObject(ctx: RequestContext): Reply {
	if (!ctx.user.role.perm_modify && !ctx.user.role.perm_site_admin) {
		throw new MispException(403, "You don't have permissions to create objects.");
	}
	const [eventRef, templateRef, versionRef] = ctx.args;
	const urlTemplate = templateRef ? templateFromUrl(ctx, templateRef, versionRef) : undefined;
	const event = modifiableEvent(ctx, eventRef, 'Invalid event.');
	const { object: input, attributes } = normaliseObjectBody(ctx.body);
	const attributeFailure = (errors: unknown): Reply =>
		saveFailReply('Could not add object', `/objects/add/${event.id}/`, errors, `${event.id}/`);

	if (attributes.length === 0) {
		return attributeFailure('Could not save the object as no attributes were set.');
	}
	const valid: Array<{ attribute: ValidAttribute; raw: Json }> = [];
	// MISP validates each attribute with `Model::set()`, which merges over the previous one's data:
	// a field an attribute lacks (its category…) is the previous attribute's while validating, and
	// the last failing attribute is the one reported (checked on MISP 2.5.1).
	let carried: Json = {};
	let failure: string | undefined;
	for (const raw of attributes) {
		const record = isRecord(raw) ? raw : {};
		const merged = { ...carried, ...record };
		const check = validateAttribute(merged, ctx.knowledge.describeTypes, true, valueOptions(ctx));
		const type = textOf(merged.type) ?? '';
		carried = {
			...merged,
			category:
				textOf(merged.category) ||
				ctx.knowledge.describeTypes.sane_defaults[type]?.default_category,
		};
		const errors = !check.ok
			? check.errors
			: check.attribute.uuid && ctx.store.uuidTaken(check.attribute.uuid)
				? { uuid: ['The UUID provided is not unique'] }
				: undefined;
		if (errors && errors.value?.[0] !== COMPOSITE_FORMAT) {
			const relation = textOf(record.object_relation) ?? 'No object_relation';
			failure = `Could not save object as at least one attribute has failed validation (${relation}). ${phpJsonEncode(errors)}`;
		}
		const own = validateAttribute(record, ctx.knowledge.describeTypes, true, valueOptions(ctx));
		// An attribute that fails on its own data is dropped when the object is saved.
		if (own.ok) valid.push({ attribute: own.attribute, raw: record });
	}
	if (failure) return attributeFailure(failure);

	const template =
		urlTemplate ??
		ctx.knowledge.templates.find(
			(t) =>
				t.uuid === textOf(input.template_uuid)?.toLowerCase() &&
				String(t.version) === textOf(input.template_version),
		);
	const relations = valid.map((v) => v.attribute.object_relation ?? '');
	if (template) {
		const error = conformityError(template, relations);
		if (error) return saveFailReply('Could not add Object', '/objects/add', error);
	} else {
		const missing = TEMPLATE_FIELDS.find((field) => !textOf(input[field]));
		if (missing) {
			return saveFailReply(
				'Could not add Object',
				'/objects/add',
				`Object could not be saved.\ntemplate: No valid template found and object lacking template information. (${missing})`,
			);
		}
	}
	const templateUuid = template?.uuid ?? textOf(input.template_uuid) ?? '';
	if (isTruthy(ctx.named.breakOnDuplicate) || isTruthy(input.breakOnDuplicate)) {
		const duplicate = duplicateObject(ctx, event, templateUuid, attributes);
		if (duplicate) {
			return saveFailReply(
				'Could not add Object',
				'/objects/add',
				`Object could not be saved.\nvalue: Duplicate object found (id: ${duplicate.id}, uuid: ${duplicate.uuid}). Since breakOnDuplicate is set the object will not be added.`,
			);
		}
	}

	const requestedUuid = textOf(input.uuid)?.toLowerCase();
	if (requestedUuid && ctx.store.objectUuidTaken(requestedUuid)) {
		return saveFailReply(
			'Could not add Object',
			'/objects/add',
			'Object could not be saved.\nuuid: The UUID provided is not unique',
		);
	}
	const distribution = textOf(input.distribution) ?? OBJECT_DISTRIBUTION_WHEN_ABSENT;
	const object: ObjectRecord = {
		id: ctx.store.nextId('object'),
		name: template?.name ?? textOf(input.name) ?? '',
		'meta-category': template?.metaCategory ?? textOf(input['meta-category']) ?? '',
		description: template?.description ?? textOf(input.description) ?? '',
		template_uuid: template?.uuid ?? textOf(input.template_uuid) ?? '',
		template_version: template ? String(template.version) : textOf(input.template_version) || '1',
		event_id: event.id,
		uuid: requestedUuid ?? randomUUID(),
		timestamp: now(),
		distribution,
		sharing_group_id: distribution === '4' ? (textOf(input.sharing_group_id) ?? '0') : '0',
		comment: textOf(input.comment) ?? '',
		deleted: false,
		first_seen: seenOrNull(input.first_seen),
		last_seen: seenOrNull(input.last_seen),
	};
	assertStorable(object.comment, ...valid.map((v) => v.attribute.comment));
	ctx.store.insertObject(object);
	const saved = valid.map(({ attribute, raw }) => {
		attribute.first_seen ??= object.first_seen;
		attribute.last_seen ??= object.last_seen;
		const record = ctx.store.insertAttribute(event, attribute, object.id);
		applyInlineTags(ctx, record.tags, raw.Tag);
		attributeSaved(ctx, record, 'add');
		return record;
	});
	ctx.store.touch(event);
	return ok({
		Object: {
			...objectJson(object),
			Attribute: saved.map((a) => attributeJson(a, true)),
		},
	});
}

/**
 * `checkForDuplicateObjects`: a live object of the same template in the event whose attributes
 * hash (relation, category, type, value) to the same set as the request's — the request's as sent
 * (no category when it has none), values only normalised and rewritten by the import regexps.
 */
function duplicateObject(
	ctx: RequestContext,
	event: EventRecord,
	templateUuid: string,
	attributes: unknown[],
): ObjectRecord | undefined {
	const wanted = new Set(
		attributes.map((raw) => {
			const a = isRecord(raw) ? raw : {};
			const type = textOf(a.type) ?? '';
			const value = modifiedValue(type, textOf(a.value) ?? '', ctx.settings.importRegexps);
			return JSON.stringify([textOf(a.object_relation), textOf(a.category) ?? '', type, value]);
		}),
	);
	return ctx.store.eventObjects(event).find((o) => {
		if (o.template_uuid !== templateUuid) return false;
		const existing = ctx.store.objectAttributes(o);
		return (
			existing.length > 0 &&
			existing.length === attributes.length &&
			existing.every((a) =>
				wanted.has(JSON.stringify([a.object_relation, a.category, a.type, attributeValue(a)])),
			)
		);
	});
}

/** `POST /objects/delete/{id}`: soft (object and its attributes flagged), or hard with `hard`. */
export function deleteObject(ctx: RequestContext): Reply {
	const object = ctx.args[0] ? ctx.store.findObject(ctx.args[0], true) : undefined;
	const event = object ? ctx.store.events.get(object.event_id) : undefined;
	if (!object || !event || !canSeeEvent(ctx.user, event)) {
		throw new MispException(404, 'Invalid object.');
	}
	if (!canModifyEvent(ctx.user, event)) throw new MispException(403, NO_PERMISSION);
	const body = unwrapRequest(ctx.body);
	const hard =
		isTruthy(ctx.args[1]) || isTruthy(ctx.named.hard) || (isRecord(body) && isTruthy(body.hard));
	if (hard) ctx.store.purgeObject(object);
	else {
		object.deleted = true;
		for (const attribute of ctx.store.objectAttributes(object)) attribute.deleted = true;
	}
	ctx.store.touch(event);
	// MISP names the event, not the object, in `url` and `id`.
	return saveSuccessReply('Object deleted', `/objects/delete/${event.id}`, event.id);
}

/** `POST /objectReferences/add[/{object}]` (misp.md §2.4). */
export function addObjectReference(ctx: RequestContext): Reply {
	const unwrapped = unwrapRequest(ctx.body);
	const body =
		isRecord(unwrapped) && isRecord(unwrapped.ObjectReference)
			? unwrapped.ObjectReference
			: unwrapped;
	const input = isRecord(body) ? body : {};
	const sourceRef = ctx.args[0] ?? textOf(input.object_uuid) ?? textOf(input.object_id);
	const source = sourceRef ? ctx.store.findObject(sourceRef) : undefined;
	const sourceEvent = source ? ctx.store.events.get(source.event_id) : undefined;
	if (!source || !sourceEvent || !canModifyEvent(ctx.user, sourceEvent)) {
		throw new MispException(404, 'Invalid object.');
	}
	const targetRef = textOf(input.referenced_uuid) ?? textOf(input.referenced_id);
	const targetObject = targetRef ? ctx.store.findObject(targetRef) : undefined;
	const target = targetObject ?? (targetRef ? ctx.store.findAttribute(targetRef) : undefined);
	if (!target) throw new MispException(404, 'Invalid target.');
	if (target.event_id !== source.event_id) {
		throw new MispException(
			404,
			'Invalid target. Target has to be within the same event or extending it.',
		);
	}
	const reference = ctx.store.insertReference({
		object_id: source.id,
		event_id: source.event_id,
		source_uuid: source.uuid,
		referenced_uuid: target.uuid,
		referenced_id: target.id,
		referenced_type: targetObject ? '1' : '0',
		relationship_type: textOf(input.relationship_type) ?? '',
		comment: textOf(input.comment) ?? '',
	});
	ctx.store.touch(sourceEvent);
	return ok({ ObjectReference: referenceJson(reference, source.uuid) });
}
