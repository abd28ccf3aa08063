/**
 * Base URLs of the two APIs: validation (HTTPS unless loopback), the hosted data centres, and the
 * portal that analysis links point at. Host comparisons are exact (no substring tests).
 */
import { AtaError } from './errors';
import { printable } from './text';

/** Hosted Analyst API hosts and the portal each one pairs with (ata-api.md §2). */
const HOSTED_PORTAL_FOR_ANALYST: ReadonlyMap<string, string> = new Map([
	['analysis.lastline.com', 'user.lastline.com'],
	['analysis.us.lastline.com', 'user.us.lastline.com'],
	['analysis.emea.lastline.com', 'user.emea.lastline.com'],
]);
const HOSTED_PORTALS = new Set(HOSTED_PORTAL_FOR_ANALYST.values());

export const DEFAULT_ANALYST_URL = 'https://analysis.lastline.com';
export const DEFAULT_PORTAL_URL = 'https://user.lastline.com';

function isLoopbackHost(hostname: string): boolean {
	return (
		hostname === 'localhost' ||
		hostname === '[::1]' ||
		/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
	);
}

/**
 * Parses a configured base URL. HTTPS is required; plain HTTP is accepted only for loopback hosts
 * (the simulators). Credentials inside the URL, queries and fragments are refused.
 * Returns the URL without a trailing slash.
 */
export function parseBaseUrl(raw: string, label: string): URL {
	let url: URL;
	try {
		url = new URL(raw.trim());
	} catch {
		throw configError(`The ${label} "${safeForMessage(raw)}" is not a valid URL`);
	}
	if (url.username || url.password) {
		throw configError(`The ${label} must not contain a user name or password`);
	}
	if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
		throw configError(
			`The ${label} must use https:// (plain http is only accepted for localhost)`,
		);
	}
	if (url.search || url.hash) throw configError(`The ${label} must not have a query or fragment`);
	url.pathname = url.pathname.replace(/\/+$/, '');
	return url;
}

/** `base` + `/` + `path`, whatever slashes the user typed. */
export function joinUrl(base: URL, path: string): string {
	return `${base.origin}${base.pathname.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/**
 * The portal that belongs to an Analyst API base: the hosted pairing for Lastline's own hosts,
 * otherwise the appliance itself (on-prem appliances serve both on one origin).
 */
export function derivePortalUrl(analystBase: URL): URL {
	// A Map: a host named like an Object.prototype member (`constructor`) is just another host.
	const hostedPortal = HOSTED_PORTAL_FOR_ANALYST.get(analystBase.hostname);
	return new URL(hostedPortal ? `https://${hostedPortal}` : analystBase.origin);
}

/** Whether a portal is one of Lastline's hosted portals (`saas` rather than `on-premise`). */
export function isHostedPortal(portal: URL): boolean {
	return HOSTED_PORTALS.has(portal.hostname) && portal.protocol === 'https:' && !portal.port;
}

/** Hosts whose analysis links this portal accepts: itself, and for hosted portals the siblings. */
export function acceptedLinkHosts(portal: URL): Set<string> {
	return isHostedPortal(portal) ? new Set(HOSTED_PORTALS) : new Set([portal.host]);
}

function configError(message: string): AtaError {
	return new AtaError(message, { kind: 'config', retry: 'never' });
}

/** User-typed text echoed in a message: short, single-line, and with any user-info removed. */
export function safeForMessage(text: string): string {
	return printable(text.replace(/\/\/[^/@\s]*@/, '//'), 120);
}
