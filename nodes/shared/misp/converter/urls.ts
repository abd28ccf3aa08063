/** Minimal, non-interpreting URL helpers: split text, never resolve or decode it. */
import { checkValue, isIpLiteral } from '../values';

const AUTHORITY = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#\s]*@)?(\[[^\]/?#\s]*\]|[^:/?#\s]*)/iu;

/** The host part of an absolute URL, when it is a valid host name (not an IP literal). */
export function hostOfUrl(url: string): string | undefined {
	const host = AUTHORITY.exec(url)?.[1];
	if (host === undefined || host === '' || isIpLiteral(host)) return undefined;
	const check = checkValue('hostname', host);
	return check.ok ? check.value : undefined;
}

export function isAbsoluteUrl(text: string): boolean {
	return /^[a-z][a-z0-9+.-]*:\/\//iu.test(text);
}

/** Host name, or an IP literal as it goes into a URL (IPv6 in brackets). */
export function urlHost(host: string): string {
	return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
