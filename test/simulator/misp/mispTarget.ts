/* eslint-disable @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/**
 * Where the MISP contract suites run: the simulator (default), or a real MISP when `MISP_URL` and
 * `MISP_KEY` are set (README "Development"). Against a real MISP the suites need an API key that may
 * create and delete events and create tags; they delete only the events they created, and leave
 * the tags they created (names start with the run's prefix). Assertions that hold only on the
 * simulator (its test API, its seed state, slow mode) use `simulatorOnly` and are skipped there.
 */
import {
	startMispSimulator,
	type MispSimulator,
	type MispSimulatorOptions,
	type SeedEvent,
	type StoredEventJson,
} from '../../../simulator/misp';
import { mispClient } from './mispHttp';

const REAL_MISP_URL = process.env.MISP_URL;
export const onRealMisp = REAL_MISP_URL !== undefined && REAL_MISP_URL !== '';

/** `it` for what only the simulator can show; skipped against a real MISP. */
export const simulatorOnly: jest.It = onRealMisp ? it.skip : it;

export interface MispTarget {
	url: string;
	apiKey: string;
	call: ReturnType<typeof mispClient>;
	/** The simulator, when the suite runs against it. */
	simulator?: MispSimulator;
	/** A prefix that makes this run's tag names unique on a shared MISP. */
	tagPrefix: string;
	/** Creates an event (own org, unpublished) and remembers it for `close`. */
	createEvent(seed: SeedEvent): Promise<{ id: string; uuid: string; attributeIds: string[] }>;
	getEvent(id: string): Promise<StoredEventJson | undefined>;
	/** Remembers an event the test created through the API, so that `close` deletes it. */
	track(id: string | undefined): void;
	/** Deletes the events this suite created (real MISP) or stops the simulator. */
	close(): Promise<void>;
}

export async function mispTarget(options: MispSimulatorOptions = {}): Promise<MispTarget> {
	const tagPrefix = `nsxata-contract-${Date.now().toString(36)}`;
	if (!onRealMisp) {
		const simulator = await startMispSimulator(options);
		const call = mispClient(simulator.url, simulator.apiKey);
		return {
			url: simulator.url,
			apiKey: simulator.apiKey,
			call,
			simulator,
			tagPrefix,
			createEvent: async (seed) => simulator.createEvent(seed),
			getEvent: async (id) => simulator.getEvent(id),
			track: () => undefined,
			close: () => simulator.close(),
		};
	}
	const url = (REAL_MISP_URL ?? '').replace(/\/+$/, '');
	const apiKey = process.env.MISP_KEY ?? '';
	const call = mispClient(url, apiKey);
	const created: string[] = [];
	return {
		url,
		apiKey,
		call,
		tagPrefix,
		async createEvent(seed) {
			if (seed.org === 'other' || seed.published) {
				throw new Error('other-org and published seeds need the simulator: use simulatorOnly');
			}
			const r = await call('POST', '/events/add', {
				body: {
					Event: {
						info: seed.info,
						distribution: seed.distribution ?? '0',
						Tag: (seed.Tag ?? []).map((name) => ({ name })),
						Attribute: (seed.Attribute ?? []).map((a) => ({
							...a,
							Tag: (a.Tag ?? []).map((name) => ({ name })),
						})),
					},
				},
			});
			if (r.status !== 200) throw new Error(`events/add answered ${r.status}: ${r.text}`);
			const event = r.json.Event as StoredEventJson['Event'];
			created.push(event.id);
			return {
				id: event.id,
				uuid: event.uuid,
				attributeIds: event.Attribute.map((a) => a.id),
			};
		},
		async getEvent(id) {
			const r = await call('GET', `/events/view/${id}`);
			return r.status === 200 ? (r.json as StoredEventJson) : undefined;
		},
		track(id) {
			if (id) created.push(id);
		},
		async close() {
			for (const id of created) await call('POST', `/events/delete/${id}`);
		},
	};
}
