/**
 * Adds the secrets to the one request that needs them: the login. Shared by the credential types'
 * `authenticate` (inside n8n) and by the transport used outside n8n, so both behave the same.
 * The login URL is rebuilt from the credential's own base URL and compared exactly, so secrets
 * can only ever travel to the configured host and path, in a form body, never in a URL.
 */
import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_ANALYST_URL, DEFAULT_PORTAL_URL, joinUrl, parseBaseUrl } from './baseUrls';

export type AnalystEnvironment = 'loadBalancer' | 'us' | 'emea' | 'onPremise';

export const HOSTED_ANALYST_URLS: Readonly<Record<Exclude<AnalystEnvironment, 'onPremise'>, string>> = {
	loadBalancer: DEFAULT_ANALYST_URL,
	us: 'https://analysis.us.lastline.com',
	emea: 'https://analysis.emea.lastline.com',
};

export interface AnalystCredentialData {
	environment?: AnalystEnvironment;
	baseUrl?: string;
	apiKey?: string;
	apiToken?: string;
	portalUrl?: string;
	ignoreSslIssues?: boolean;
}

export interface PortalCredentialData {
	portalUrl?: string;
	username?: string;
	password?: string;
	ignoreSslIssues?: boolean;
}

/** The Analyst API base a credential configures (its preset, or the on-premise URL). */
export function analystBaseUrl(credentials: AnalystCredentialData): string {
	const environment = credentials.environment ?? 'loadBalancer';
	if (environment === 'onPremise') return credentials.baseUrl ?? '';
	// Own keys only: an environment value such as `constructor` falls back to the default.
	return Object.hasOwn(HOSTED_ANALYST_URLS, environment)
		? HOSTED_ANALYST_URLS[environment as keyof typeof HOSTED_ANALYST_URLS]
		: DEFAULT_ANALYST_URL;
}

export function portalBaseUrl(credentials: PortalCredentialData): string {
	return credentials.portalUrl || DEFAULT_PORTAL_URL;
}

export interface LoginTarget {
	url?: string;
	baseURL?: string;
	body?: unknown;
	headers?: Record<string, unknown>;
}

/** The request with the Analyst login form, when it is the configured login request. */
export function withAnalystLogin<T extends LoginTarget>(request: T, credentials: AnalystCredentialData): T {
	return withLoginForm(request, analystBaseUrl(credentials), 'authentication/login.json', {
		key: credentials.apiKey ?? '',
		api_token: credentials.apiToken ?? '',
	});
}

/** The request with the Portal login form, when it is the configured login request. */
export function withPortalLogin<T extends LoginTarget>(request: T, credentials: PortalCredentialData): T {
	return withLoginForm(request, portalBaseUrl(credentials), 'papi/login.json', {
		username: credentials.username ?? '',
		password: credentials.password ?? '',
	});
}

function withLoginForm<T extends LoginTarget>(
	request: T,
	configuredBase: string,
	loginPath: string,
	fields: Record<string, string>,
): T {
	let loginUrl: string;
	try {
		loginUrl = joinUrl(parseBaseUrl(configuredBase, 'base URL'), loginPath);
	} catch {
		return request; // an invalid configured URL gets no secrets; the call fails on its own
	}
	if (targetUrl(request) !== loginUrl) return request;
	return {
		...request,
		body: new URLSearchParams(fields).toString(),
		headers: { ...request.headers, 'Content-Type': 'application/x-www-form-urlencoded' },
	};
}

/** The absolute URL a request goes to, without its query. */
function targetUrl(request: LoginTarget): string | undefined {
	try {
		const url = request.baseURL
			? new URL(`${request.baseURL.replace(/\/+$/, '')}/${(request.url ?? '').replace(/^\/+/, '')}`)
			: new URL(request.url ?? '');
		if (url.username || url.password) return undefined;
		return `${url.origin}${url.pathname}`;
	} catch {
		return undefined;
	}
}

/** The same TLS switch on both credential types. */
export const IGNORE_SSL_ISSUES_PROPERTY: INodeProperties = {
	displayName: 'Ignore SSL Issues (Insecure)',
	name: 'ignoreSslIssues',
	type: 'boolean',
	default: false,
	description:
		'Whether to accept an invalid TLS certificate, e.g. the self-signed one of an on-premise appliance',
};
