/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development-only code, never shipped in dist/ */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { validateAttribute } from './attributeValidation';
import { FaultInjector, type FaultSpec } from './faults';
import {
	API_KEY,
	DEFAULT_SETTINGS,
	freshInstance,
	newApiKey,
	requestContext,
	type MispSettings,
} from './instance';
import {
	loadKnowledge,
	selectTemplates,
	type KnownTemplateSelection,
	type MispKnowledge,
} from './knowledge';
import { addEvent } from './routes/events';
import { mispRequestListener, type RecordedRequest, type Timing } from './server';
import { SlowMisp, type SlowMode } from './slowMode';
import { ORG_ADMIN_ROLE, eventViewJson, type Permissions } from './store';
import {
	setWorkflowWebhook,
	webhooksSettled,
	type WebhookDelivery,
	type WorkflowWebhook,
} from './workflowWebhook';

export type { RecordedRequest } from './server';
export type { MispSettings } from './instance';
export type { SlowMode } from './slowMode';
export { OBSERVED_SLOW_MODE } from './slowMode';
export { mispStoredValue } from './attributeValidation';
export { BLOCKED_BY_IMPORT_REGEXP } from './importRegexps';

const DEFAULT_RACE_WINDOW_MS = 20;

export type { FaultSpec, FaultKind } from './faults';
export type { WebhookDelivery, WorkflowWebhook } from './workflowWebhook';
export type { Permissions } from './store';
export type { MispKnowledge, KnownTemplate } from './knowledge';

/** The fixed key of the seeded demo user (40 alphanumerics, as MISP requires). */
export const DEMO_API_KEY = 'nsxAtaDemoMispApiKey'.padEnd(40, '0');

export interface MispSimulatorOptions {
	/** 0 or absent: a free port. */
	port?: number;
	/** Key of the seeded org-admin user; 40 alphanumerics (default {@link DEMO_API_KEY}). */
	apiKey?: string;
	/** Templates (and versions) the instance has loaded; default all found. */
	knownTemplates?: KnownTemplateSelection;
	/** Where the official misp-objects files are; default env MISP_OBJECTS_DIR or ../shared/misp-objects. */
	objectsDir?: string;
	/** Server settings (import regexps, distribution defaults); default as MISP 2.5.1 of misp.md §10. */
	settings?: Partial<MispSettings>;
	/** A slow MISP: storage rate, workers, backlog (misp.md §10); default off (fast). */
	slowMode?: SlowMode;
	/** Transaction window of tag-attaching requests (default 20 ms); see `Timing.raceWindowMs`. */
	raceWindowMs?: number;
	/** MISP Workflows: post "Attribute After Save" to this webhook (see workflowWebhook.ts). */
	workflowWebhook?: WorkflowWebhook;
}

/** What `configure` can change on a running simulator; `slowMode: null` turns slow mode off. */
export interface MispRuntimeOptions {
	settings?: Partial<MispSettings>;
	slowMode?: SlowMode | null;
	raceWindowMs?: number;
}

export interface StoredTagJson {
	id: string;
	name: string;
	local: boolean;
	[key: string]: unknown;
}

export interface StoredAttributeJson {
	id: string;
	event_id: string;
	object_id: string;
	object_relation: string | null;
	category: string;
	type: string;
	value: string;
	to_ids: boolean;
	uuid: string;
	deleted: boolean;
	Tag?: StoredTagJson[];
	[key: string]: unknown;
}

export interface StoredObjectJson {
	id: string;
	name: string;
	'meta-category': string;
	template_uuid: string;
	template_version: string;
	uuid: string;
	Attribute: StoredAttributeJson[];
	ObjectReference: Array<{
		referenced_uuid: string;
		referenced_type: '0' | '1';
		relationship_type: string;
		[key: string]: unknown;
	}>;
	[key: string]: unknown;
}

/** An event as `GET /events/view/{id}` returns it. */
export interface StoredEventJson {
	Event: {
		id: string;
		uuid: string;
		info: string;
		published: boolean;
		Attribute: StoredAttributeJson[];
		Object: StoredObjectJson[];
		Tag: StoredTagJson[];
		[key: string]: unknown;
	};
}

export interface SeedEvent {
	info: string;
	Tag?: string[];
	Attribute?: Array<{
		type: string;
		value: string;
		category?: string;
		to_ids?: boolean;
		Tag?: string[];
	}>;
	/** Creator org: ours (default) or the second org, whose events we may see but not change. */
	org?: 'own' | 'other';
	/** Event distribution "0"…"3"; default "0" for our org, "3" (all communities) for the other. */
	distribution?: string;
	/** Seed it as published, to observe that a change unpublishes it. */
	published?: boolean;
}

export interface AddUserOptions {
	role?: Partial<Permissions>;
	org?: 'own' | 'other';
	disabled?: boolean;
}

export interface MispSimulator {
	url: string;
	apiKey: string;
	requests: RecordedRequest[];
	knowledge: MispKnowledge;
	createEvent(event: SeedEvent): {
		id: string;
		uuid: string;
		attributeIds: string[];
	};
	getEvent(idOrUuid: string): StoredEventJson | undefined;
	events(): StoredEventJson[];
	addUser(opts?: AddUserOptions): { apiKey: string };
	/** Current settings (a live copy: change them through `configure`). */
	settings: Readonly<MispSettings>;
	configure(options: MispRuntimeOptions): void;
	/** Requests slow mode left un-served (the client timed out or its SYN retries ran out). */
	unservedRequests(): number;
	injectFault(fault: FaultSpec): void;
	/** Switches MISP Workflows' attribute after-save webhook on (or off with undefined). */
	setWorkflowWebhook(hook: WorkflowWebhook | undefined): void;
	/** Every webhook post so far, with the receiver's status or the failure. */
	webhookDeliveries: WebhookDelivery[];
	/** Resolves once every webhook post queued so far has finished. */
	webhooksSettled(): Promise<void>;
	clearFaults(): void;
	reset(): void;
	close(): Promise<void>;
}

/** Starts the fake MISP on 127.0.0.1 with a seeded org, org-admin user and API key. */
export async function startMispSimulator(
	options: MispSimulatorOptions = {},
): Promise<MispSimulator> {
	const apiKey = options.apiKey ?? DEMO_API_KEY;
	if (!API_KEY.test(apiKey)) throw new Error('apiKey must be 40 alphanumeric characters');
	const loaded = loadKnowledge(options.objectsDir);
	const knowledge: MispKnowledge = {
		...loaded,
		templates: selectTemplates(loaded.templates, options.knownTemplates ?? 'all'),
	};
	const faults = new FaultInjector();
	const requests: RecordedRequest[] = [];
	const settings: MispSettings = { ...DEFAULT_SETTINGS, ...options.settings };
	const timing: Timing = { raceWindowMs: DEFAULT_RACE_WINDOW_MS };
	let instance = freshInstance(knowledge, apiKey, settings);
	let baseUrl = '';
	let unservedBefore = 0;
	const configure = (change: MispRuntimeOptions): void => {
		Object.assign(settings, change.settings);
		if (change.raceWindowMs !== undefined) timing.raceWindowMs = change.raceWindowMs;
		if (change.slowMode !== undefined) {
			unservedBefore += timing.slow?.unserved ?? 0;
			timing.slow = change.slowMode ? new SlowMisp(change.slowMode) : undefined;
		}
	};
	configure({ slowMode: options.slowMode, raceWindowMs: options.raceWindowMs });
	let webhook = options.workflowWebhook;
	const webhookDeliveries: WebhookDelivery[] = [];
	setWorkflowWebhook(instance.store, webhook, webhookDeliveries);

	const server = createServer(
		mispRequestListener({
			instance: () => instance,
			baseUrl: () => baseUrl,
			faults,
			requests,
			timing,
		}),
	);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
	});
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

	const viewOf = (idOrUuid: string): StoredEventJson | undefined => {
		const event = instance.store.findEvent(idOrUuid);
		return event ? (eventViewJson(instance.store, event) as unknown as StoredEventJson) : undefined;
	};

	return {
		url: baseUrl,
		apiKey,
		requests,
		knowledge,
		createEvent(seed) {
			const seeder = seed.org === 'other' ? instance.seeder.other : instance.seeder.own;
			for (const attribute of seed.Attribute ?? []) {
				const result = validateAttribute(attribute, knowledge.describeTypes, false, {
					importRegexps: settings.importRegexps,
				});
				if (!result.ok) {
					const errors = JSON.stringify(result.errors);
					throw new Error(`Invalid seed attribute ${attribute.type}: ${errors}`);
				}
			}
			const body = {
				Event: {
					info: seed.info,
					distribution: seed.distribution ?? (seed.org === 'other' ? '3' : '0'),
					Tag: (seed.Tag ?? []).map((name) => ({ name })),
					Attribute: (seed.Attribute ?? []).map((a) => ({
						...a,
						Tag: (a.Tag ?? []).map((name) => ({ name })),
					})),
				},
			};
			const request = {
				method: 'POST',
				path: '/events/add',
				baseUrl,
				body,
				args: [],
				named: {},
			};
			const created = addEvent(requestContext(instance, seeder, request)).body as StoredEventJson;
			const stored = instance.store.events.get(created.Event.id);
			if (stored && seed.published) {
				stored.published = true;
				stored.publish_timestamp = stored.timestamp;
			}
			return {
				id: created.Event.id,
				uuid: created.Event.uuid,
				attributeIds: created.Event.Attribute.map((a) => a.id),
			};
		},
		getEvent: viewOf,
		events: () => [...instance.store.events.keys()].map((id) => viewOf(id) as StoredEventJson),
		addUser(opts = {}) {
			const key = newApiKey();
			const other = opts.org === 'other';
			instance.users.set(key, {
				id: String(instance.users.size + 2),
				email: `user${instance.users.size + 1}@${other ? 'other' : 'admin'}.test`,
				org: other ? instance.otherOrg : instance.ownOrg,
				role: { ...ORG_ADMIN_ROLE, ...opts.role },
				disabled: opts.disabled ?? false,
			});
			return { apiKey: key };
		},
		settings,
		configure,
		unservedRequests: () => unservedBefore + (timing.slow?.unserved ?? 0),
		injectFault: (fault) => faults.add(fault),
		setWorkflowWebhook(hook) {
			webhook = hook;
			setWorkflowWebhook(instance.store, hook, webhookDeliveries);
		},
		webhookDeliveries,
		webhooksSettled: () => webhooksSettled(instance.store),
		clearFaults: () => faults.clear(),
		reset() {
			instance = freshInstance(knowledge, apiKey, settings);
			setWorkflowWebhook(instance.store, webhook, webhookDeliveries);
			webhookDeliveries.length = 0;
			faults.clear();
			requests.length = 0;
		},
		close: () =>
			new Promise<void>((resolve, reject) => {
				server.closeAllConnections();
				server.close((error) => (error ? reject(error) : resolve()));
			}),
	};
}
