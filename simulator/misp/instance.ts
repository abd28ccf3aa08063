import { randomBytes, randomUUID } from 'node:crypto';

import type { RequestContext } from './context';
import type { MispKnowledge } from './knowledge';
import { MispStore, ORG_ADMIN_ROLE, type Org, type User } from './store';

/** MISP tries only keys of this form (misp.md §1.1). */
export const API_KEY = /^[a-zA-Z0-9]{40}$/;

/** The mutable state of one fake instance; `reset()` replaces it whole. */
export interface Instance {
	knowledge: MispKnowledge;
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
export function freshInstance(knowledge: MispKnowledge, apiKey: string): Instance {
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
	request: Pick<RequestContext, 'method' | 'path' | 'body' | 'args' | 'named'>,
): RequestContext {
	return { ...request, user, store: instance.store, knowledge: instance.knowledge };
}
