/**
 * A session held by the credential itself, so that any n8n request with an NSX ATA credential —
 * the HTTP Request node's "Predefined Credential Type" included — reaches the configured host
 * logged in. n8n runs `preAuthentication` when the hidden, expirable `session` field is empty or
 * when a request failed with HTTP 401, stores the result with the credential, and `authenticate`
 * sends it as the `Cookie` header. The secrets still travel only in the login form body.
 *
 * The node's own client keeps its own session (it renews on ATA's error 122 on HTTP 200, which n8n's
 * refresh cannot see); it tells `authenticate` so with the `NODE_MANAGED_SESSION` marker.
 */
import type { IHttpRequestHelper, INodeProperties } from 'n8n-workflow';

import { joinUrl, parseBaseUrl } from './baseUrls';
import {
	type AnalystCredentialData,
	analystBaseUrl,
	type LoginTarget,
	type PortalCredentialData,
	portalBaseUrl,
	withAnalystLogin,
	withPortalLogin,
} from './loginCredentials';
import { AtaError } from './errors';
import { secretForms, scrubText } from './serverJson';
import { sessionFromLogin, transportFailure } from './session';
import { settle, settleNow } from './text';
import { DEFAULT_LIMITS } from './limits';
import type { AtaHttpRequest } from './transport';
import { boundedRequestFunction, type FullResponse } from './n8nTransport';

export const SESSION_PROPERTY: INodeProperties = {
	displayName: 'Session',
	name: 'session',
	type: 'hidden',
	typeOptions: { expirable: true },
	default: '',
};

/** The `session` value the node's client puts in the credential data it hands to n8n. */
export const NODE_MANAGED_SESSION = 'managed-by-node';

interface WithSession {
	session?: string;
	ignoreSslIssues?: boolean;
}

/** Logs in with the Analyst credential; returns the session to store with it. */
export async function analystSession(
	this: IHttpRequestHelper,
	credentials: AnalystCredentialData & WithSession,
): Promise<{ session: string }> {
	return await inNodeWords(async () => {
		const base = parseBaseUrl(analystBaseUrl(credentials), 'base URL');
		const login = withAnalystLogin(loginRequest(base, 'authentication/login.json', credentials), credentials);
		return await logIn(this, login, 'authentication/login', [credentials.apiKey, credentials.apiToken]);
	});
}

/** Logs in with the Portal credential; returns the session to store with it. */
export async function portalSession(
	this: IHttpRequestHelper,
	credentials: PortalCredentialData & WithSession,
): Promise<{ session: string }> {
	return await inNodeWords(async () => {
		const base = parseBaseUrl(portalBaseUrl(credentials), 'portal URL');
		const login = withPortalLogin(loginRequest(base, 'papi/login.json', credentials), credentials);
		return await logIn(this, login, 'papi/login', [credentials.username, credentials.password]);
	});
}

/**
 * Runs a login and reports its failure as the node reports it: the same checks of the URL (HTTPS,
 * host form) and the same message and advice for refused logins, unknown hosts, refused
 * connections, certificates and timeouts, as one plain sentence for the credential dialog. The
 * system code (ECONNREFUSED …) is said in words instead: n8n replaces any message that contains one
 * with its own generic text.
 */
async function inNodeWords<T>(login: () => Promise<T>): Promise<T> {
	const outcome = await settle(login());
	if (outcome.ok) return outcome.value;
	const error = outcome.error;
	if (!(error instanceof AtaError)) throw error;
	const [, message, code] = /^(.*?)(?: \(([A-Z0-9_]+)\))?$/.exec(error.message) ?? [];
	const unknownHost = code === 'ENOTFOUND' || code === 'EAI_AGAIN';
	const words = unknownHost ? `${message}: its host name is unknown` : message;
	throw new Error(error.hint ? `${words}. ${error.hint}` : words);
}

function loginRequest(base: URL, path: string, credentials: WithSession): AtaHttpRequest {
	return {
		method: 'POST',
		url: joinUrl(base, path),
		body: '',
		headers: {},
		timeoutMs: DEFAULT_LIMITS.timeoutMs,
		maxResponseBytes: DEFAULT_LIMITS.maxResponseBytes,
		ignoreCertificateErrors: credentials.ignoreSslIssues === true,
	};
}

/**
 * Logs in through n8n's plain request helper, with the node's size cap and deadline. A refusal's
 * server text is scrubbed of the secrets (a server may repeat the login form in its error).
 */
async function logIn(
	context: IHttpRequestHelper,
	login: AtaHttpRequest,
	endpoint: string,
	secrets: ReadonlyArray<string | undefined>,
): Promise<{ session: string }> {
	const send = boundedRequestFunction(async (options) => (await context.helpers.httpRequest(options)) as FullResponse);
	const sent = await settle(send(login));
	if (!sent.ok) throw transportFailure(sent.error, endpoint, login);
	const session = settleNow(() => sessionFromLogin(sent.value, endpoint));
	if (session.ok) return { session: session.value };
	const error = session.error;
	if (!(error instanceof AtaError)) throw error;
	const forms = secretForms(secrets);
	throw new AtaError(scrubText(error.message, forms), {
		kind: error.kind,
		code: error.code,
		httpStatus: error.httpStatus,
		retry: error.retry,
		hint: error.hint === undefined ? undefined : scrubText(error.hint, forms),
		endpoint: error.endpoint,
	});
}

/**
 * Adds the stored session as the `Cookie` header to a request for the configured API (same origin,
 * under the base path; n8n's HTTP Request node names the URL `uri`), unless it is the login itself
 * or comes from the node's own client (which sends its own session). Other hosts get nothing.
 */
export function withSessionCookie<T extends LoginTarget & { uri?: string }>(
	request: T,
	base: string,
	session: unknown,
): T {
	if (typeof session !== 'string' || !session || session === NODE_MANAGED_SESSION) return request;
	let configured: URL;
	let target: URL;
	try {
		configured = parseBaseUrl(base, 'base URL');
		target = request.baseURL
			? new URL(`${request.baseURL.replace(/\/+$/, '')}/${(request.url ?? '').replace(/^\/+/, '')}`)
			: new URL(request.url ?? request.uri ?? ''); // `uri`: n8n's legacy request options (HTTP Request node)
	} catch {
		return request;
	}
	const basePath = configured.pathname.replace(/\/+$/, '');
	const underBase = target.pathname === basePath || target.pathname.startsWith(`${basePath}/`);
	if (target.origin !== configured.origin || !underBase || target.username || target.password) return request;
	if (/\/(authentication|papi)\/login(\.json)?$/.test(target.pathname)) return request;
	// Any cookie already there is replaced: on a resend after HTTP 401 it is the expired session.
	const headers = Object.fromEntries(
		Object.entries(request.headers ?? {}).filter(([name]) => name.toLowerCase() !== 'cookie'),
	);
	return { ...request, headers: { ...headers, Cookie: session } };
}
