/* eslint-disable @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/**
 * The MISP a playbook test runs against: the MISP simulator by default, or a real MISP when
 * MISP_URL and MISP_KEY are set (e.g. a MISP 2.5.1 built as ../shared/reference/real-misp.md
 * describes). Both are seeded and read over the same few calls, so one test body serves both; on a
 * real MISP the test deletes only the events it created.
 */
import { request } from 'undici';

import { type MispSimulator, type MispSimulatorOptions, startMispSimulator } from '../../simulator/misp';

export interface SeedAttribute {
	type: string;
	category: string;
	value: string;
	Tag?: string[];
}

export interface SeedEvent {
	info: string;
	Attribute?: SeedAttribute[];
	Tag?: string[];
}

interface TagJson {
	name: string;
}

export interface EventJson {
	Event: {
		id: string;
		uuid: string;
		Tag?: TagJson[];
		Attribute: Array<{ id: string; Tag?: TagJson[] }>;
		Object: Array<{
			uuid: string;
			name: string;
			ObjectReference?: Array<{ referenced_uuid: string; relationship_type: string }>;
		}>;
	};
}

export interface MispTarget {
	url: string;
	apiKey: string;
	/** The simulator, when the test runs against it (simulator-only checks use it). */
	simulator?: MispSimulator;
	createEvent(seed: SeedEvent): Promise<{ id: string; uuid: string; attributeIds: string[] }>;
	getEvent(id: string): Promise<EventJson>;
	close(): Promise<void>;
}

export const realMispConfigured = (): boolean => !!(process.env.MISP_URL && process.env.MISP_KEY);

/** The simulator (with `options`), or the real MISP named by MISP_URL / MISP_KEY. */
export async function startMispTarget(options: MispSimulatorOptions = {}): Promise<MispTarget> {
	if (realMispConfigured()) return realMisp(process.env.MISP_URL!.replace(/\/+$/, ''), process.env.MISP_KEY!);
	const simulator = await startMispSimulator(options);
	return {
		url: simulator.url,
		apiKey: simulator.apiKey,
		simulator,
		createEvent: async (seed) => simulator.createEvent(seed),
		getEvent: async (id) => simulator.getEvent(id) as unknown as EventJson,
		close: async () => await simulator.close(),
	};
}

function realMisp(url: string, apiKey: string): MispTarget {
	const created: string[] = [];
	const call = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> => {
		const answer = await request(`${url}${path}`, {
			method,
			headers: { authorization: apiKey, accept: 'application/json', 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await answer.body.text();
		if (answer.statusCode !== 200) throw new Error(`MISP ${method} ${path}: ${answer.statusCode} ${text.slice(0, 300)}`);
		return JSON.parse(text);
	};
	const tags = (names: string[] = []) => names.map((name) => ({ name }));
	return {
		url,
		apiKey,
		async createEvent(seed) {
			const attributes = seed.Attribute ?? [];
			const { Event } = (await call('POST', '/events/add', {
				Event: {
					info: seed.info,
					distribution: 0,
					Tag: tags(seed.Tag),
					Attribute: attributes.map((attribute) => ({ ...attribute, Tag: tags(attribute.Tag) })),
				},
			})) as { Event: { id: string; uuid: string; Attribute?: Array<{ id: string; value: string }> } };
			created.push(Event.id);
			const stored = Event.Attribute ?? [];
			return {
				id: Event.id,
				uuid: Event.uuid,
				attributeIds: attributes.map((attribute) => stored.find((candidate) => candidate.value === attribute.value)!.id),
			};
		},
		getEvent: async (id) => (await call('GET', `/events/view/${id}`)) as EventJson,
		async close() {
			for (const id of created.splice(0)) await call('POST', `/events/delete/${id}`);
		},
	};
}

/** Tag names of an attribute of the event, sorted. */
export function attributeTagNames(event: EventJson, attributeId: string): string[] {
	const attribute = event.Event.Attribute.find((candidate) => candidate.id === attributeId)!;
	return (attribute.Tag ?? []).map((tag) => tag.name).sort();
}

/** Object names of the event, counted. */
export function objectNameCounts(event: EventJson): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const object of event.Event.Object) counts[object.name] = (counts[object.name] ?? 0) + 1;
	return counts;
}
