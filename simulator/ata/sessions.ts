import { randomBytes } from 'node:crypto';

export type SessionSpace = 'analyst' | 'portal';

/** Separate cookie names keep both sessions alive in one cookie jar (Analyst and Portal share the origin). */
export const SESSION_COOKIES: Record<SessionSpace, string> = {
	analyst: 'll_session',
	portal: 'papi_session',
};

/** Session tokens per API; a token is valid only in the space whose login created it. */
export class SessionStore {
	private readonly spaces: Record<SessionSpace, Set<string>> = {
		analyst: new Set(),
		portal: new Set(),
	};

	create(space: SessionSpace): string {
		const token = randomBytes(24).toString('hex');
		this.spaces[space].add(token);
		return token;
	}

	isValid(space: SessionSpace, cookies: Map<string, string>): boolean {
		const token = cookies.get(SESSION_COOKIES[space]);
		return token !== undefined && this.spaces[space].has(token);
	}

	/** Forgets whatever sessions the request carried (the sessionExpired fault). */
	drop(cookies: Map<string, string>): void {
		for (const space of ['analyst', 'portal'] as const) {
			const token = cookies.get(SESSION_COOKIES[space]);
			if (token !== undefined) this.spaces[space].delete(token);
		}
	}

	clear(): void {
		this.spaces.analyst.clear();
		this.spaces.portal.clear();
	}
}

/**
 * Host-only cookie (§15): `Path=/`, no `Domain` (a `Domain=localhost` cookie is never sent back by
 * Python's jar), no `Secure` (a Secure cookie is never sent back over http, and the simulator usually speaks http).
 */
export function sessionCookie(space: SessionSpace, token: string): string {
	return `${SESSION_COOKIES[space]}=${token}; Path=/; HttpOnly; SameSite=Lax`;
}

export function parseCookies(header: string | undefined): Map<string, string> {
	const cookies = new Map<string, string>();
	for (const pair of (header ?? '').split(';')) {
		const equals = pair.indexOf('=');
		if (equals > 0) cookies.set(pair.slice(0, equals).trim(), pair.slice(equals + 1).trim());
	}
	return cookies;
}
