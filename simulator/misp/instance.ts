import { randomBytes, randomUUID } from 'node:crypto';

import type { RequestContext } from './context';
import type { MispKnowledge } from './knowledge';
import { MispStore, ORG_ADMIN_ROLE, type Org, type User } from './store';

/** MISP tries only keys of this form (misp.md §1.1). */
export const API_KEY = /^[a-zA-Z0-9]{40}$/;

/** Server configuration a MISP admin could change; survives `reset()`. */
export interface MispSettings {
	/** The stock `regexp` table applied to attribute values (a fresh MISP has it: on). */
	importRegexps: boolean;
	/** `MISP.default_event_distribution`: events/add without one (1 on the instance of misp.md §10). */
	defaultEventDistribution: string;
	/** `MISP.default_attribute_distribution`; MISP's default `event` means 5. */
	defaultAttributeDistribution: string;
}

export const DEFAULT_SETTINGS: MispSettings = {
	importRegexps: true,
	defaultEventDistribution: '1',
	defaultAttributeDistribution: '5',
};

/**
 * MISP's model means 5 for an object sent without `distribution`, but MISP 2.5.1 stored 0
 * (misp.md §10; MISP issue #4489 reports the same).
 */
export const OBJECT_DISTRIBUTION_WHEN_ABSENT = '0';

/** The mutable state of one fake instance; `reset()` replaces it whole. */
export interface Instance {
	knowledge: MispKnowledge;
	settings: MispSettings;
	store: MispStore;
	/** API key → user. */
	users: Map<string, User>;
	ownOrg: Org;
	otherOrg: Org;
	/** Users that `createEvent` seeds as, per org. */
	seeder: { own: User; other: User };
}

export function newApiKey(): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	return [...randomBytes(40)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** Org 1 with an org-admin user behind `apiKey`, org 2 for "visible but not ours", seed tags. */
export function freshInstance(
	knowledge: MispKnowledge,
	apiKey: string,
	settings: MispSettings,
): Instance {
	const ownOrg: Org = { id: '1', name: 'ORGNAME', uuid: randomUUID() };
	const otherOrg: Org = { id: '2', name: 'Other Org', uuid: randomUUID() };
	const admin: User = {
		id: '1',
		email: 'admin@admin.test',
		org: ownOrg,
		role: ORG_ADMIN_ROLE,
		disabled: false,
	};
	const otherAdmin: User = {
		id: '2',
		email: 'admin@other.test',
		org: otherOrg,
		role: ORG_ADMIN_ROLE,
		disabled: false,
	};
	return {
		knowledge,
		settings,
		store: new MispStore(knowledge.seedTags),
		users: new Map([[apiKey, admin]]),
		ownOrg,
		otherOrg,
		seeder: { own: admin, other: otherAdmin },
	};
}

export function requestContext(
	instance: Instance,
	user: User,
	request: Pick<RequestContext, 'method' | 'path' | 'baseUrl' | 'body' | 'args' | 'named'>,
	snapshot = instance.store.sequence,
): RequestContext {
	const { store, knowledge, settings } = instance;
	return { ...request, user, store, knowledge, settings, snapshot };
}
