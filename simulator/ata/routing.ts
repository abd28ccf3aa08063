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

/** Query parameter names that carry credentials; the simulator refuses them to catch clients leaking secrets into URLs. */
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
	query: Record<string, string>,
	context: RouteContext,
): ApiResponse {
	const definition = Object.hasOwn(routes, route) ? routes[route] : undefined;
	if (!definition) return failure(undefined, `Unknown API call '${route}'`, 404);
	if (CREDENTIAL_QUERY_NAMES.some((name) => name in query)) {
		return route.startsWith('papi/')
			? failure(3004, 'Authentication Error: credentials are not accepted in the URL query string')
			: failure(104, 'Invalid Credentials: credentials are not accepted in the URL query string');
	}
	if (!definition.methods.includes(context.method as 'GET' | 'POST')) {
		return {
			...failure(undefined, `Method ${context.method} not allowed`, 405),
			headers: { allow: definition.methods.join(', ') },
		};
	}
	if (format !== 'json')
		return failure(undefined, `The simulator serves only the json format, not ${format}`, 400);
	if (definition.session && !context.sessions.isValid(definition.session, context.cookies))
		return errors.authenticationRequired();
	return definition.handle(context);
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
