/**
 * Attribute value checks and normalisation as MISP applies them on save (its per-type rules),
 * so that what we send is what MISP stores, and a whole-object validator built on the
 * project's template knowledge.
 */
import { isCategoryAllowed, isKnownType } from './attributeTypes';
import { getTemplate } from './templates';

export type ValueCheck = { ok: true; value: string } | { ok: false; reason: string };

/** MISP refuses values longer than this many bytes. */
export const MAX_VALUE_BYTES = 65535;

const HASH_HEX_LENGTHS: Readonly<Record<string, number>> = Object.freeze({
	md5: 32,
	imphash: 32,
	'x509-fingerprint-md5': 32,
	sha1: 40,
	'x509-fingerprint-sha1': 40,
	sha224: 56,
	'sha3-224': 56,
	'sha512/224': 56,
	sha256: 64,
	'sha3-256': 64,
	'sha512/256': 64,
	'x509-fingerprint-sha256': 64,
	authentihash: 64,
	sha384: 96,
	'sha3-384': 96,
	sha512: 128,
	'sha3-512': 128,
});

const HASH_PATTERNS = new Map(
	Object.entries(HASH_HEX_LENGTHS).map(([type, length]) => [
		type,
		new RegExp(`^[0-9a-f]{${length}}$`, 'iu'),
	]),
);

const NO_NEWLINE_TYPES = new Set([
	'url',
	'uri',
	'user-agent',
	'regkey',
	'filename',
	'pdb',
	'windows-service-name',
	'windows-service-displayname',
]);

const HTTP_METHODS = new Set([
	'OPTIONS',
	'GET',
	'HEAD',
	'POST',
	'PUT',
	'DELETE',
	'TRACE',
	'CONNECT',
	'PROPFIND',
	'PROPPATCH',
	'MKCOL',
	'COPY',
	'MOVE',
	'LOCK',
	'UNLOCK',
	'VERSION-CONTROL',
	'REPORT',
	'CHECKOUT',
	'CHECKIN',
	'UNCHECKOUT',
	'MKWORKSPACE',
	'UPDATE',
	'LABEL',
	'MERGE',
	'BASELINE-CONTROL',
	'MKACTIVITY',
	'ORDERPATCH',
	'ACL',
	'PATCH',
	'SEARCH',
]);

// Every pattern below runs in linear time on any input: no two parts of a pattern can match the
// same character where backtracking between them is possible (values are attacker-chosen and up
// to 64 KB; one quadratic pattern blocked the event loop for seconds).
// Characters MISP treats as "only control characters" when deciding a value is empty.
const CONTROL_ONLY = /^[\p{Cc}\s]*$/u;
const HOSTNAME_CHARACTERS = /^[a-z0-9._-]+$/iu;
const TOP_LABEL = /^[a-z0-9-]{2,}$/iu;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/u;
const SSDEEP = /^\d+:[A-Za-z0-9/+]+:[A-Za-z0-9/+]+(,"[^"]*")?$/u;
const FLOAT = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/u;
const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//iu;
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/u;

function fail(reason: string): ValueCheck {
	return { ok: false, reason };
}

export function isIPv4(value: string): boolean {
	return IPV4.test(value);
}

/** Parses an IPv6 address into eight 16-bit groups, or undefined when it is not one. */
function parseIPv6(value: string): number[] | undefined {
	let text = value;
	const lastColon = text.lastIndexOf(':');
	if (lastColon >= 0 && text.includes('.', lastColon)) {
		// An embedded IPv4 tail (::ffff:192.0.2.1) becomes its two 16-bit groups.
		const v4 = text.slice(lastColon + 1);
		if (!isIPv4(v4)) return undefined;
		const o = v4.split('.').map(Number);
		text = `${text.slice(0, lastColon + 1)}${((o[0] << 8) | o[1]).toString(16)}:${((o[2] << 8) | o[3]).toString(16)}`;
	}
	const halves = text.split('::');
	if (halves.length > 2) return undefined;
	const group = /^[0-9a-f]{1,4}$/iu;
	const parse = (part: string): number[] | undefined => {
		if (part === '') return [];
		const groups = part.split(':');
		if (!groups.every((g) => group.test(g))) return undefined;
		return groups.map((g) => parseInt(g, 16));
	};
	const head = parse(halves[0]);
	const rest = halves.length === 2 ? parse(halves[1]) : [];
	if (head === undefined || rest === undefined) return undefined;
	if (halves.length === 1) return head.length === 8 ? head : undefined;
	const missing = 8 - head.length - rest.length;
	if (missing < 1) return undefined;
	return [...head, ...new Array<number>(missing).fill(0), ...rest];
}

/** RFC 5952 text form: lower case, no leading zeros, longest zero run (2+) as `::`. */
function formatIPv6(groups: number[]): string {
	let bestStart = -1;
	let bestLength = 1;
	for (let i = 0; i < 8; ) {
		if (groups[i] !== 0) {
			i++;
			continue;
		}
		let j = i;
		while (j < 8 && groups[j] === 0) j++;
		if (j - i > bestLength) {
			bestStart = i;
			bestLength = j - i;
		}
		i = j;
	}
	const hex = groups.map((g) => g.toString(16));
	if (bestStart < 0) return hex.join(':');
	const left = hex.slice(0, bestStart).join(':');
	const right = hex.slice(bestStart + bestLength).join(':');
	return `${left}::${right}`;
}

export function isIPv6(value: string): boolean {
	return parseIPv6(value) !== undefined;
}

/** An IPv4 or IPv6 literal, optionally in brackets (as in URLs). */
export function isIpLiteral(value: string): boolean {
	const bare = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
	return isIPv4(bare) || isIPv6(bare);
}

function checkIp(value: string): ValueCheck {
	const slash = value.indexOf('/');
	const address = slash >= 0 ? value.slice(0, slash) : value;
	const prefix = slash >= 0 ? value.slice(slash + 1) : undefined;
	if (prefix !== undefined && !/^\d{1,3}$/u.test(prefix))
		return fail('IP address has an invalid format.');
	if (isIPv4(address)) {
		if (prefix === undefined || prefix === '32') return { ok: true, value: address };
		return Number(prefix) <= 32 ? { ok: true, value } : fail('IP address has an invalid format.');
	}
	const groups = parseIPv6(address);
	if (groups === undefined) return fail('IP address has an invalid format.');
	const text = formatIPv6(groups);
	if (prefix === undefined || prefix === '128') return { ok: true, value: text };
	return Number(prefix) <= 128
		? { ok: true, value: `${text}/${prefix}` }
		: fail('IP address has an invalid format.');
}

/** `text` without its trailing dots (a loop: the pattern /\.+$/ is quadratic on long dot runs). */
export function withoutTrailingDots(text: string): string {
	let end = text.length;
	while (end > 0 && text.charCodeAt(end - 1) === 0x2e) end--;
	return text.slice(0, end);
}

function checkHostname(value: string, trimDots: boolean): ValueCheck {
	let host = value.toLowerCase();
	if (trimDots) host = withoutTrailingDots(host);
	// MISP's /^[A-Z0-9.\-_]+\.[A-Z0-9\-]{2,}$/i, decided without backtracking: the last label
	// (after the last dot) has 2+ of [a-z0-9-], and something comes before that dot.
	const lastDot = host.lastIndexOf('.');
	return lastDot > 0 && HOSTNAME_CHARACTERS.test(host) && TOP_LABEL.test(host.slice(lastDot + 1))
		? { ok: true, value: host }
		: fail('Domain name has an invalid format.');
}

/** Absolute URL with a scheme, as PHP's FILTER_VALIDATE_URL requires (ASCII only, no spaces). */
function checkLink(value: string): ValueCheck {
	const scheme = URL_SCHEME.exec(value)?.[0];
	const authority = scheme !== undefined ? value.charAt(scheme.length) : '';
	if (authority === '' || '/?#'.includes(authority) || !PRINTABLE_ASCII.test(value)) {
		return fail(
			'Value not in the right type/format. Please double check the value or select type "other".',
		);
	}
	return { ok: true, value };
}

function checkNonNegativeInteger(value: string): ValueCheck {
	return /^\d+$/u.test(value)
		? { ok: true, value }
		: fail('The value has to be a non-negative integer.');
}

/**
 * Checks a value for a MISP attribute type and returns it the way MISP would store it.
 * Types without a specific rule accept anything non-empty.
 */
export function checkValue(type: string, value: string): ValueCheck {
	if (typeof value !== 'string') return fail('The value must be a string.');
	if (!isKnownType(type)) return fail(`Unknown attribute type "${type}".`);
	const trimmed = value.trim();
	if (trimmed === '' || CONTROL_ONLY.test(trimmed)) return fail('The value is empty.');
	if (Buffer.byteLength(trimmed, 'utf8') > MAX_VALUE_BYTES) {
		return fail(`The value is longer than ${MAX_VALUE_BYTES} bytes.`);
	}
	const hashPattern = HASH_PATTERNS.get(type);
	if (hashPattern !== undefined) {
		const hexLength = HASH_HEX_LENGTHS[type];
		const hex = type.startsWith('x509-fingerprint-') ? trimmed.replace(/:/gu, '') : trimmed;
		return hashPattern.test(hex)
			? { ok: true, value: hex.toLowerCase() }
			: fail(
					`Checksum has an invalid length or format (expected: ${hexLength} hexadecimal characters).`,
				);
	}
	if (NO_NEWLINE_TYPES.has(type)) {
		return /[\r\n]/u.test(trimmed)
			? fail('The value must not contain a line break.')
			: { ok: true, value: trimmed };
	}
	switch (type) {
		case 'ssdeep':
			return SSDEEP.test(trimmed) ? { ok: true, value: trimmed } : fail('Invalid ssdeep hash.');
		case 'ip-src':
		case 'ip-dst':
			return checkIp(trimmed);
		case 'hostname':
			return checkHostname(trimmed, false);
		case 'domain':
			return checkHostname(trimmed, true);
		case 'port': {
			const port = /^\d{1,5}$/u.test(trimmed) ? Number(trimmed) : NaN;
			return port >= 1 && port <= 65535
				? { ok: true, value: String(port) }
				: fail('Port numbers have to be integers between 1 and 65535.');
		}
		case 'link':
			return checkLink(trimmed);
		case 'size-in-bytes':
		case 'counter':
			return checkNonNegativeInteger(trimmed);
		case 'float':
			return FLOAT.test(trimmed)
				? { ok: true, value: trimmed }
				: fail('The value has to be a number.');
		case 'datetime':
			return Number.isNaN(Date.parse(trimmed.replace(' ', 'T')))
				? fail('The value is not a parsable date and time.')
				: { ok: true, value: trimmed };
		case 'http-method': {
			const method = trimmed.toUpperCase();
			return HTTP_METHODS.has(method) ? { ok: true, value: method } : fail('Unknown HTTP method.');
		}
		case 'boolean':
			return /^(0|1|true|false)$/iu.test(trimmed)
				? { ok: true, value: trimmed.toLowerCase() }
				: fail('The value has to be a boolean.');
		case 'AS': {
			const asn = Number(trimmed.replace(/^AS/iu, ''));
			return Number.isInteger(asn) && asn >= 1 && asn <= 4294967295
				? { ok: true, value: String(asn) }
				: fail('AS number has an invalid format.');
		}
		default:
			return { ok: true, value: trimmed };
	}
}

/** A MISP object as this project writes it (MISP JSON). */
export interface ValidatableObject {
	name?: unknown;
	'meta-category'?: unknown;
	template_uuid?: unknown;
	template_version?: unknown;
	Attribute?: unknown;
}

/**
 * Checks an object against the project's template knowledge: template identity, required and
 * requiredOneOf relations, non-multiple relations used once, unknown relations, attribute
 * type, value format and category. Returns readable problems; an empty list means valid.
 */
export function validateObject(object: ValidatableObject): string[] {
	const problems: string[] = [];
	const name = typeof object.name === 'string' ? object.name : '';
	const template = getTemplate(name);
	if (!template) return [`Unknown object template "${String(object.name)}".`];
	if (object['meta-category'] !== template.metaCategory) {
		problems.push(`meta-category should be "${template.metaCategory}".`);
	}
	if (object.template_uuid !== template.uuid)
		problems.push(`template_uuid should be "${template.uuid}".`);
	if (String(object.template_version) !== String(template.version)) {
		problems.push(`template_version should be "${template.version}".`);
	}
	const attributes = Array.isArray(object.Attribute) ? (object.Attribute as unknown[]) : [];
	if (attributes.length === 0) problems.push('The object has no attributes.');
	const counts = new Map<string, number>();
	attributes.forEach((raw, index) => {
		const attribute = (raw ?? {}) as Record<string, unknown>;
		const relation = attribute.object_relation;
		const where = `Attribute ${index} (${String(relation)})`;
		if (typeof relation !== 'string') {
			problems.push(`${where}: object_relation is missing.`);
			return;
		}
		counts.set(relation, (counts.get(relation) ?? 0) + 1);
		const spec = Object.prototype.hasOwnProperty.call(template.relations, relation)
			? template.relations[relation]
			: undefined;
		if (!spec) {
			problems.push(`${where}: relation is not part of template ${template.name}.`);
			return;
		}
		if (attribute.type !== spec.type) problems.push(`${where}: type should be "${spec.type}".`);
		if (typeof attribute.value !== 'string') {
			problems.push(`${where}: value must be a string.`);
		} else {
			const check = checkValue(spec.type, attribute.value);
			if (!check.ok) problems.push(`${where}: ${check.reason}`);
		}
		const category = attribute.category;
		if (typeof category !== 'string' || !isCategoryAllowed(category, spec.type)) {
			problems.push(`${where}: category "${String(category)}" does not allow type ${spec.type}.`);
		} else if (spec.categories && !spec.categories.includes(category)) {
			problems.push(`${where}: category should be one of ${spec.categories.join(', ')}.`);
		}
		if (attribute.to_ids !== undefined && typeof attribute.to_ids !== 'boolean') {
			problems.push(`${where}: to_ids must be a boolean.`);
		}
	});
	for (const required of template.required) {
		if (!counts.has(required)) problems.push(`Required relation "${required}" is missing.`);
	}
	if (template.requiredOneOf.length > 0 && !template.requiredOneOf.some((r) => counts.has(r))) {
		problems.push(`At least one of ${template.requiredOneOf.join(', ')} is required.`);
	}
	for (const [relation, count] of counts) {
		const spec = template.relations[relation];
		if (spec && !spec.multiple && count > 1) {
			problems.push(`Relation "${relation}" is not multiple but appears ${count} times.`);
		}
	}
	return problems;
}
