/**
 * MISP Workflows' "Webhook" action (app/Model/WorkflowModules/action/Module_webhook.php) wired to
 * the "Attribute After Save" trigger (trigger/Module_attribute_after_save.php), with the module's
 * defaults: POST, JSON, empty payload = the roaming data. The trigger is `misp_core_format`, so the
 * roaming data is the saved attribute (MispAttribute::fetchAttribute: its Tag list, no file data)
 * wrapped in its event by WorkflowFormatConverterTool: `{"Event": {…columns, Tag, Attribute: [it],
 * _AttributeFlattened: [it]}}`, each tag list also merged into `_allTags` with `inherited`.
 *
 * MISP saves an attribute when it is added, edited, and when a global tag is attached or removed
 * (AttributesController::addTag/removeTag call MispAttribute::touch), so each of those fires it.
 * The trigger is non-blocking: MISP runs it in a background worker; here deliveries go out one at
 * a time after the request that caused them has been answered.
 */
import type { RequestContext } from './context';
import { attributeJson, eventColumns, objectJson, type AttributeRecord, type Json, type MispStore, type TagLink } from './store';

export interface WorkflowWebhook {
	url: string;
	/** Extra headers, as the module's "Headers" field (e.g. a shared secret for n8n's Header Auth). */
	headers?: Record<string, string>;
}

export interface WebhookDelivery {
	action: 'add' | 'edit';
	attributeId: string;
	/** HTTP status of the receiver's answer; absent when the request failed. */
	status?: number;
	error?: string;
}

interface HookState {
	hook: WorkflowWebhook;
	deliveries: WebhookDelivery[];
	queue: Promise<void>;
}

const hooks = new WeakMap<MispStore, HookState>();

export function setWorkflowWebhook(store: MispStore, hook: WorkflowWebhook | undefined, deliveries: WebhookDelivery[]): void {
	if (hook) hooks.set(store, { hook, deliveries, queue: Promise.resolve() });
	else hooks.delete(store);
}

/** Resolves once every delivery queued so far has been answered or has failed. */
export async function webhooksSettled(store: MispStore): Promise<void> {
	await hooks.get(store)?.queue;
}

function workflowTag(link: TagLink, inherited?: boolean): Json {
	const tag: Json = {
		id: link.tag.id,
		name: link.tag.name,
		colour: link.tag.colour,
		exportable: link.tag.exportable,
		local: link.local,
	};
	if (inherited !== undefined) tag.inherited = inherited;
	return tag;
}

/** The roaming data of "Attribute After Save" for `attribute`. */
function attributeAfterSavePayload(store: MispStore, attribute: AttributeRecord): Json | undefined {
	const event = store.events.get(attribute.event_id);
	if (!event) return undefined;
	const json: Json = {
		...attributeJson(attribute, false),
		Tag: attribute.tags.map((link) => workflowTag(link)),
		Sighting: [],
		_allTags: [
			...event.tags.map((link) => workflowTag(link, true)),
			...attribute.tags.map((link) => workflowTag(link, false)),
		],
	};
	const object = attribute.object_id !== '0' ? store.objects.get(attribute.object_id) : undefined;
	return {
		Event: {
			...eventColumns(store, event),
			Tag: event.tags.map((link) => workflowTag(link)),
			Attribute: object ? [] : [json],
			...(object ? { Object: [{ ...objectJson(object), Attribute: [json] }] } : {}),
			_AttributeFlattened: [json],
		},
	};
}

/** Called after an attribute was saved; queues the webhook when one is configured. */
export function attributeSaved(ctx: RequestContext, attribute: AttributeRecord, action: 'add' | 'edit'): void {
	const state = hooks.get(ctx.store);
	if (!state) return;
	const payload = attributeAfterSavePayload(ctx.store, attribute);
	if (!payload) return;
	const body = JSON.stringify(payload);
	const delivery: WebhookDelivery = { action, attributeId: attribute.id };
	state.deliveries.push(delivery);
	state.queue = state.queue.then(async () => {
		try {
			const response = await fetch(state.hook.url, {
				method: 'POST',
				headers: {
					Accept: 'application/json',
					'Content-Type': 'application/json',
					'User-Agent': 'MISP 2.5.1',
					...state.hook.headers,
				},
				body,
				signal: AbortSignal.timeout(30_000),
			});
			delivery.status = response.status;
			await response.arrayBuffer();
		} catch (error) {
			delivery.error = error instanceof Error ? error.message : String(error);
		}
	});
}
