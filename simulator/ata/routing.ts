import { errors, failure, type ApiResponse } from './apiEnvelope';
import type { MultipartPart } from './multipart';
import { parseBoolean } from './requestBody';
import type { SessionStore, SessionSpace } from './sessions';
import type { TaskStore } from './taskStore';
import type { AnalystCredentials, PortalCredentials } from './types';

export interface RouteContext {
	method: string;
	/** Query parameters merged with body fields (body wins): the official client POSTs forms, tau GETs queries. */
	params: Record<string, string>;
	files: MultipartPart[];
	cookies: Map<string, string>;
	store: TaskStore;
	sessions: SessionStore;
	analyst: AnalystCredentials;
	portal: PortalCredentials;
	completedPageSize: number;
	now: number;
}

export interface RouteDefinition {
	methods: Array<'GET' | 'POST'>;
	/** The session the call needs; login routes need none. */
	session?: SessionSpace;
	handle(context: RouteContext): ApiResponse;
}

/** Parameter names that carry credentials; in a URL they are answered like the service does, and logged. */
export const CREDENTIAL_QUERY_NAMES = ['key', 'api_token', 'username', 'password'];

/**
 * `/analysis/get.json`, `//analysis/get.json` (base with a trailing slash) and `/papi/login` (PAPI's
 * suffix is optional) all name their route without slashes at the ends and without `.json`.
 */
export function normalizeRoute(pathname: string): { route: string; format: string } {
	const trimmed = pathname.replace(/\/{2,}/g, '/').replace(/^\/|\/$/g, '');
	const match = /^(.*)\.(json|xml|pdf|rtf)$/.exec(trimmed);
	return match ? { route: match[1], format: match[2] } : { route: trimmed, format: 'json' };
}

export function dispatch(
	routes: Record<string, RouteDefinition>,
	route: string,
	format: string,
	context: RouteContext,
): ApiResponse {
	const definition = Object.hasOwn(routes, route) ? routes[route] : undefined;
	if (!definition) return failure(undefined, `Unknown API call '${route}'`, 404);
	if (!definition.methods.includes(context.method as 'GET' | 'POST')) {
		return {
			...failure(undefined, `Method ${context.method} not allowed`, 405),
			headers: { allow: definition.methods.join(', ') },
		};
	}
	if (format !== 'json')
		return failure(undefined, `The simulator serves only the json format, not ${format}`, 400);
	if (definition.session && !context.sessions.isValid(definition.session, context.cookies)) {
		const refusal = checkCallCredentials(definition.session, context);
		if (refusal) return refusal;
	}
	return definition.handle(context);
}

/**
 * Without a session the service authenticates a call by the credentials it carries (query string
 * or form: misp-modules logs in with `?key=…&api_token=…`, XSOAR adds them to every call, the portal
 * docs allow `username`/`password` on any call). None carried: 122; wrong ones: 104 / portal error.
 */
function checkCallCredentials(
	space: SessionSpace,
	{ params, analyst, portal }: RouteContext,
): ApiResponse | undefined {
	if (space === 'analyst') {
		if (params.key === undefined) return errors.authenticationRequired();
		const valid = params.key === analyst.key && (params.api_token ?? '') === analyst.apiToken;
		return valid ? undefined : errors.invalidCredentials();
	}
	if (params.username === undefined) return errors.authenticationRequired();
	const valid = params.username === portal.username && params.password === portal.password;
	return valid ? undefined : errors.portalAuthentication();
}

/** Validated boolean field; `undefined` result means the value was malformed. */
export function booleanField(params: Record<string, string>, name: string): boolean | undefined {
	return parseBoolean(params[name]);
}

/** Optional integer field: `null` when malformed, `undefined` when absent. */
export function integerField(
	params: Record<string, string>,
	name: string,
): number | undefined | null {
	const value = params[name];
	if (value === undefined || value === '') return undefined;
	return /^-?\d+$/.test(value) ? Number(value) : null;
}
