/**
 * Host and URL normalisation: hosts as MISP stores them (punycode, lower case, no trailing dot),
 * URLs without whitespace or control characters. Text is split, never resolved or decoded.
 */
import { checkValue, isIpLiteral, withoutTrailingDots } from '../values';

const AUTHORITY = /^([a-z][a-z0-9+.-]*:\/\/)((?:[^@/?#\s]*@)?)(\[[^\]/?#\s]*\]|[^:/?#\s]*)/iu;
// What cannot be part of a host name before IDN mapping (URL delimiters, space, percent).
const NOT_IN_HOST = /[\s/?#@:\\[\]%<>^|"]/u;
const PRINTABLE_ASCII = /^[\x21-\x7e]*$/u;

/**
 * A host name as MISP stores it: internationalised names in punycode (the WHATWG URL parser's
 * domain-to-ASCII, as node:url's domainToASCII), lower case, trailing dots removed. Undefined
 * when it cannot be a host name (IP literals included).
 */
export function normaliseHost(raw: string): string | undefined {
	const text = raw.trim();
	if (text === '' || NOT_IN_HOST.test(text) || isIpLiteral(text)) return undefined;
	let ascii: string;
	try {
		ascii = new URL(`http://${text}/`).hostname;
	} catch {
		return undefined;
	}
	const host = withoutTrailingDots(ascii);
	if (host === '' || isIpLiteral(host)) return undefined;
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

/** True when the text holds a line break: a request line or URL that tries to inject headers. */
export function hasLineBreak(text: string): boolean {
	return /[\r\n]/u.test(text);
}

/**
 * Percent-encodes (as UTF-8) what a URL cannot hold as it is: spaces, controls (C0, DEL, C1) and
 * everything beyond ASCII; an unpaired surrogate becomes U+FFFD's bytes.
 */
export function encodeUrlText(text: string): string {
	if (PRINTABLE_ASCII.test(text)) return text;
	let encoded = '';
	for (const char of text) {
		const code = char.codePointAt(0) as number;
		if (code > 0x20 && code < 0x7f) encoded += char;
		else encoded += encodeURIComponent(code >= 0xd800 && code <= 0xdfff ? '\ufffd' : char);
	}
	return encoded;
}

export interface SafeUrl {
	url: string;
	/** The normalised host name, when the URL names one (not an IP literal). */
	host?: string;
	/** The URL names a host that cannot be normalised: it stays in the URL, encoded, but is no host. */
	badHost?: true;
}

/**
 * A URL made safe to store: its host normalised (see normaliseHost) and everything a
 * URL cannot hold percent-encoded. A string with a line break is refused: it is an injection
 * attempt, never to be joined into one URL.
 */
export function safeUrl(raw: string): SafeUrl | { problem: string } {
	const text = raw.trim();
	if (hasLineBreak(text)) return { problem: 'contains a line break' };
	const match = AUTHORITY.exec(text);
	if (!match) return { url: encodeUrlText(text) }; // about:blank, data:…: no host to normalise
	const [whole, scheme, userInfo, rawHost] = match;
	const named = rawHost !== '' && !isIpLiteral(rawHost);
	const host = named ? normaliseHost(rawHost) : undefined;
	const url = `${scheme.toLowerCase()}${encodeUrlText(userInfo)}${host ?? encodeUrlText(rawHost)}${encodeUrlText(text.slice(whole.length))}`;
	if (host !== undefined) return { url, host };
	return named ? { url, badHost: true } : { url };
}
