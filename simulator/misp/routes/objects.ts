import { randomUUID } from 'node:crypto';

import { isoMicros, validateAttribute, type ValidAttribute } from '../attributeValidation';
import {
	applyInlineTags,
	canModifyEvent,
	isRecord,
	isTruthy,
	textOf,
	unwrapRequest,
	type Json,
	type RequestContext,
} from '../context';
import type { KnownTemplate } from '../knowledge';
import { MispException, ok, saveFailReply, type Reply } from '../responses';
import { attributeJson, type EventRecord, now, objectJson, referenceJson, type ObjectRecord } from '../store';
import { modifiableEvent } from './events';
import { attributeSaved } from '../workflowWebhook';

const NOT_CONFORMING = 'Could not save the object as';

/** Body shapes `objects/add` accepts (misp.md §2.1), normalised to the object and its attributes. */
function normaliseObjectBody(body: unknown): { object: Json; attributes: unknown[] } {
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
	return { object, attributes: Array.isArray(object.Attribute) ? object.Attribute : [] };
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
	for (const raw of attributes) {
		const record = isRecord(raw) ? raw : {};
		const result = validateAttribute(record, ctx.knowledge.describeTypes, true);
		const errors = !result.ok
			? result.errors
			: result.attribute.uuid && ctx.store.uuidTaken(result.attribute.uuid)
				? { uuid: ['The UUID provided is not unique'] }
				: undefined;
		if (errors || !result.ok) {
			const relation = textOf(record.object_relation) ?? '';
			return attributeFailure(
				`Could not save object as at least one attribute has failed validation (${relation}). ${phpJson(errors)}`,
			);
		}
		valid.push({ attribute: result.attribute, raw: record });
	}

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
	if (isTruthy(ctx.named.breakOnDuplicate) || isTruthy(input.breakOnDuplicate)) {
		if (
			hasDuplicateObject(
				ctx,
				event,
				valid.map((v) => v.attribute),
			)
		) {
			return saveFailReply(
				'Could not add Object',
				'/objects/add',
				'Duplicate object found. Since breakOnDuplicate is set the object will not be added.',
			);
		}
	}

	const requestedUuid = textOf(input.uuid)?.toLowerCase();
	if (requestedUuid && ctx.store.objectUuidTaken(requestedUuid)) {
		return saveFailReply('Could not add Object', '/objects/add', {
			uuid: ['The UUID provided is not unique'],
		});
	}
	const distribution = textOf(input.distribution) ?? '5';
	const seen = (value: unknown): string | null => {
		const ms = Date.parse(textOf(value) ?? '');
		return Number.isNaN(ms) ? null : isoMicros(ms);
	};
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
		first_seen: seen(input.first_seen),
		last_seen: seen(input.last_seen),
	};
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
		Object: { ...objectJson(object), Attribute: saved.map((a) => attributeJson(a, true)) },
	});
}

/** PHP's json_encode of a validation-error map, as embedded in MISP's error string. */
function phpJson(value: unknown): string {
	return JSON.stringify(value).replace(/\//g, '\\/');
}

function hasDuplicateObject(
	ctx: RequestContext,
	event: EventRecord,
	attributes: ValidAttribute[],
): boolean {
	const signature = (
		items: Array<Pick<ValidAttribute, 'object_relation' | 'type' | 'value1' | 'value2'>>,
	) =>
		items
			.map((a) => JSON.stringify([a.object_relation, a.type, a.value1, a.value2]))
			.sort()
			.join('\n');
	const wanted = signature(attributes);
	return ctx.store
		.eventObjects(event)
		.some((o) => signature(ctx.store.objectAttributes(o)) === wanted);
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
