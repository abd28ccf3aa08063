/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development-only code, never shipped in dist/ */
import { domainToASCII } from 'node:url';

import { compressIpv6, isIpv4, isIpv6 } from './ipAddress';
import { replace4ByteCharacters } from './charset';
import { BLOCKED_BY_IMPORT_REGEXP, applyImportRegexps } from './importRegexps';
import type { DescribeTypes } from './knowledge';

/** An attribute after MISP's beforeValidate/validate: what gets stored (misp.md §3.2). */
export interface ValidAttribute {
	type: string;
	category: string;
	value1: string;
	value2: string;
	to_ids: boolean;
	distribution: string;
	sharing_group_id: string;
	comment: string;
	uuid?: string;
	disable_correlation: boolean;
	first_seen: string | null;
	last_seen: string | null;
	object_relation: string | null;
}

export type FieldErrors = Record<string, string[]>;

export type AttributeValidation =
	| { ok: true; attribute: ValidAttribute }
	| { ok: false; errors: FieldErrors };

const GENERIC =
	'Value not in the right type/format. Please double check the value or select type "other".';

const DISTRIBUTION_OPTIONS =
	'Options: Your organisation only, This community only, Connected communities, All communities, Sharing group, Inherit event';

const HASH_LENGTHS: Record<string, number> = {
	md5: 32,
	sha1: 40,
	sha224: 56,
	sha256: 64,
	sha384: 96,
	sha512: 128,
	'sha512/224': 56,
	'sha512/256': 64,
	'sha3-224': 56,
	'sha3-256': 64,
	'sha3-384': 96,
	'sha3-512': 128,
	imphash: 32,
	authentihash: 64,
	cdhash: 40,
	pehash: 40,
	'ja3-fingerprint-md5': 32,
	'hassh-md5': 32,
	'hasshserver-md5': 32,
	'x509-fingerprint-md5': 32,
	'x509-fingerprint-sha1': 40,
	'x509-fingerprint-sha256': 64,
};

/** Types whose values MISP re-fangs (`hxxp`, `[.]`, …) before validating. */
const REFANGED = new Set([
	'ip-src',
	'ip-dst',
	'hostname',
	'domain',
	'url',
	'link',
	'uri',
	'email',
	'email-src',
	'email-dst',
	'domain|ip',
	'hostname|port',
	'ip-src|port',
	'ip-dst|port',
]);

const HTTP_METHOD =
	/(OPTIONS|GET|HEAD|POST|PUT|DELETE|TRACE|CONNECT|PROPFIND|PROPPATCH|MKCOL|COPY|MOVE|LOCK|UNLOCK|VERSION-CONTROL|REPORT|CHECKOUT|CHECKIN|UNCHECKOUT|MKWORKSPACE|UPDATE|LABEL|MERGE|BASELINE-CONTROL|MKACTIVITY|ORDERPATCH|ACL|PATCH|SEARCH)/;

const DOMAIN = /^[A-Z0-9.\-_]+\.[A-Z0-9-]{2,}$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function refang(value: string): string {
	return value
		.replace(/^hxxp/i, 'http')
		.replace(/\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)/gi, '.')
		.replace(/\[:\]/g, ':')
		.replace(/\[@\]|\[at\]/gi, '@');
}

/** Empty, or nothing but control characters: MISP refuses both as empty. */
function isOnlyControlCharacters(value: string): boolean {
	return [...value].every((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
}

function checksumMessage(length: number): string {
	return `Checksum has an invalid length or format (expected: ${length} hexadecimal characters). Please double check the value or select type "other".`;
}

/** The per-type part of `AttributeValidationTool::modifyBeforeValidation`. */
function normaliseSingle(type: string, value: string): string {
	if (type in HASH_LENGTHS || type === 'tlsh' || type === 'telfhash') {
		return (type.startsWith('x509-fingerprint') ? value.replace(/:/g, '') : value).toLowerCase();
	}
	switch (type) {
		case 'domain': {
			const trimmed = value.replace(/\.+$/, '').toLowerCase();
			return domainToASCII(trimmed) || trimmed;
		}
		case 'hostname':
			return value.replace(/\.+$/, '').toLowerCase();
		case 'ip-src':
		case 'ip-dst': {
			const [address, prefix] = value.split('/', 2);
			// MISP tests `strpos($ip, ':')`, which is falsy for a leading colon: `::ffff:…` stays as sent.
			if (isIpv6(address) && !address.startsWith(':')) {
				const compressed = compressIpv6(address);
				return prefix === undefined || prefix === '128' ? compressed : `${compressed}/${prefix}`;
			}
			return prefix === '32' && address.includes('.') ? address : value;
		}
		case 'http-method':
			return value.toUpperCase();
		case 'datetime': {
			const ms = Date.parse(value);
			return Number.isNaN(ms) ? value : isoMicros(ms);
		}
		case 'AS': {
			const number = value.replace(/^AS/i, '');
			const asdot = /^(\d+)\.(\d+)$/.exec(number);
			return asdot ? String(Number(asdot[1]) * 65536 + Number(asdot[2])) : number;
		}
		default:
			return value;
	}
}

/** The per-type part of `AttributeValidationTool::validate`: true, or MISP's message. */
function validateSingle(type: string, value: string): true | string {
	const hashLength = HASH_LENGTHS[type];
	if (hashLength !== undefined) {
		return new RegExp(`^[0-9a-f]{${hashLength}}$`).test(value) ? true : checksumMessage(hashLength);
	}
	switch (type) {
		case 'tlsh':
			return /^(t1)?[0-9a-f]{70}$/.test(value) ? true : checksumMessage(70);
		case 'telfhash':
			return /^[0-9a-f]{70,72}$/.test(value) ? true : checksumMessage(70);
		case 'ssdeep':
			return /^\d+:[0-9a-zA-Z/+]+:[0-9a-zA-Z/+]+(,"[^"]*")?$/.test(value)
				? true
				: 'Invalid SSDeep hash (expected: blocksize:hash:hash).';
		case 'ip-src':
		case 'ip-dst':
			return isIpOrCidr(value) ? true : 'IP address has an invalid format.';
		case 'domain':
			return DOMAIN.test(value)
				? true
				: 'Domain has an invalid format. Please double check the value or select type "other".';
		case 'hostname':
			return DOMAIN.test(value)
				? true
				: 'Hostname has an invalid format. Please double check the value or select type "other".';
		case 'port':
			return isPort(value) ? true : 'Port numbers have to be integers between 1 and 65535.';
		case 'link':
			return isUrl(value) ? true : GENERIC;
		case 'email':
		case 'email-src':
		case 'email-dst':
		case 'target-email':
		case 'whois-registrant-email':
			return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)
				? true
				: 'Email address has an invalid format. Please double check the value or select type "other".';
		case 'http-method':
			return HTTP_METHOD.test(value) ? true : 'Unknown HTTP method.';
		case 'datetime':
			return Number.isNaN(Date.parse(value)) ? 'Datetime has to be in the ISO 8601 format.' : true;
		case 'size-in-bytes':
		case 'counter':
			return /^\d+$/.test(value) ? true : 'The value has to be a whole number greater or equal 0.';
		case 'float':
			return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value) ? true : GENERIC;
		case 'AS': {
			const n = Number(value);
			return /^\d+$/.test(value) && n >= 1 && n <= 4294967295 ? true : GENERIC;
		}
		case 'mac-address':
			return /^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$/i.test(value) ? true : GENERIC;
		case 'url':
		case 'uri':
		case 'user-agent':
		case 'regkey':
		case 'filename':
		case 'pdb':
			return value.includes('\n') ? GENERIC : true;
		default:
			return true;
	}
}

export const COMPOSITE_FORMAT =
	'Composite type found but the value not in the composite (value1|value2) format.';

/**
 * `modifyBeforeValidation` then `runRegexp` (no trim, no re-fang), as MISP hashes a requested
 * attribute for `breakOnDuplicate`; a blocked value is compared as `false` would be, i.e. never equal.
 */
export function modifiedValue(type: string, value: string, importRegexps: boolean): string {
	const parts = compositeParts(type);
	const pieces = parts && value.split('|').length === 2 ? value.split('|') : [value];
	const types = parts && pieces.length === 2 ? parts : [type];
	const modified = pieces
		.map((piece, i) => normaliseSingle(types[i], replace4ByteCharacters(piece)))
		.join('|');
	if (!importRegexps) return modified;
	const rewritten = applyImportRegexps(type, modified);
	return rewritten === false ? '\u0000blocked' : rewritten;
}

export interface ValueOptions {
	/** Apply MISP's stock import regexps (on by default, as on a fresh MISP). */
	importRegexps: boolean;
	/** Distribution of an attribute sent without one (`MISP.default_attribute_distribution`). */
	defaultDistribution?: string;
}

/**
 * `beforeValidateMassage` then `validate` for the value: trim, re-fang, per-type normalisation,
 * the import regexps (which may block it), then the type's format check.
 */
function massageValue(
	type: string,
	raw: string,
	importRegexps: boolean,
): { value1: string; value2: string } | { error: string } {
	let value = raw.trim();
	if (REFANGED.has(type)) value = refang(value);
	value = replace4ByteCharacters(value);
	if (isOnlyControlCharacters(value)) return { error: 'Value cannot be empty.' };
	if (Buffer.byteLength(value) > 65535) {
		return { error: 'Value exceeds the maximum length of 65535 bytes.' };
	}
	const parts = compositeParts(type);
	const pieces = parts ? value.split('|') : [value];
	if (parts && pieces.length !== 2) {
		return { error: COMPOSITE_FORMAT };
	}
	const types = parts ?? [type];
	let normalised = pieces
		.map((piece, i) => normaliseSingle(types[i], parts ? piece.trim() : piece))
		.join('|');
	if (importRegexps) {
		const rewritten = applyImportRegexps(type, normalised);
		if (rewritten === false) return { error: BLOCKED_BY_IMPORT_REGEXP };
		normalised = rewritten;
	}
	const [value1, value2 = ''] = parts ? splitOnce(normalised) : [normalised];
	const verdicts = types.map((t, i) => validateSingle(t, i === 0 ? value1 : value2));
	const verdict = verdicts.find((v) => v !== true);
	if (typeof verdict !== 'string') return { value1, value2 };
	// These two composites name their host part in a shorter message of their own.
	const shortHost = { 'hostname|port': 'Hostname', 'domain|ip': 'Domain' }[type];
	if (shortHost && verdicts[0] !== true) return { error: `${shortHost} has an invalid format.` };
	return { error: verdict };
}

function splitOnce(value: string): [string, string] {
	const bar = value.indexOf('|');
	return bar < 0 ? [value, ''] : [value.slice(0, bar), value.slice(bar + 1)];
}

/**
 * What MISP stores as the value of an attribute of `type` sent with `value` (normalised, rewritten
 * by the stock import regexps, 4-byte characters as `?`), or null when MISP refuses it (blocked
 * by an import regexp, or invalid for the type). For tests that compare stored values.
 */
export function mispStoredValue(
	type: string,
	value: string,
	options: Pick<ValueOptions, 'importRegexps'> = { importRegexps: true },
): string | null {
	const massaged = massageValue(type, value, options.importRegexps);
	if ('error' in massaged) return null;
	const { value1, value2 } = massaged;
	return value2 === '' ? value1 : `${value1}|${value2}`;
}

function isPort(value: string): boolean {
	return /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 65535;
}

function isIpOrCidr(value: string): boolean {
	const [address, prefix, extra] = value.split('/');
	if (extra !== undefined) return false;
	const v4 = isIpv4(address);
	if (!v4 && !isIpv6(address)) return false;
	if (prefix === undefined) return true;
	return /^\d+$/.test(prefix) && Number(prefix) <= (v4 ? 32 : 128);
}

/** Close to PHP's FILTER_VALIDATE_URL: ASCII, a scheme, and a host after `//` for hierarchical URLs. */
function isUrl(value: string): boolean {
	if (/[^\x21-\x7e]/.test(value)) return false;
	const match = /^([a-z][a-z0-9+.-]*):(.*)$/i.exec(value);
	if (!match) return false;
	const rest = match[2];
	if (['mailto', 'news', 'file'].includes(match[1].toLowerCase())) return rest.length > 0;
	return /^\/\/[^/?#]+/.test(rest);
}

/** Component types of MISP's composite types. */
function compositeParts(type: string): [string, string] | undefined {
	if (!type.includes('|')) return undefined;
	const [first, second] = type.split('|', 2);
	if (type === 'domain|ip') return ['domain', 'ip-dst'];
	if (type === 'regkey|value') return ['regkey', 'text'];
	return [first, second];
}

export function isoMicros(ms: number): string {
	return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}

/** An object's `first_seen`/`last_seen` as MISP stores it: a parsable date as ISO micros, else null. */
export function seenOrNull(value: unknown): string | null {
	const ms = Date.parse(textOf(value) ?? '');
	return Number.isNaN(ms) ? null : isoMicros(ms);
}

function toBoolean(value: unknown, fallback: boolean): boolean {
	if (value === undefined || value === null || value === '') return fallback;
	if (typeof value === 'string') return !['0', 'false'].includes(value.toLowerCase());
	return Boolean(value);
}

function textOf(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return undefined;
}

function seenTime(value: unknown, field: string, errors: FieldErrors): string | null {
	if (value === undefined || value === null || value === '') return null;
	const text = textOf(value);
	const ms = text === undefined ? NaN : /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text);
	if (Number.isNaN(ms)) {
		errors[field] = ['Invalid ISO 8601 format'];
		return null;
	}
	return isoMicros(ms);
}

/**
 * Validates and normalises one attribute as MISP's model does. Instance-wide checks that need
 * state (uuid uniqueness, the "similar attribute" rule) belong to the store.
 */
export function validateAttribute(
	input: Record<string, unknown>,
	types: DescribeTypes,
	inObject: boolean,
	options: ValueOptions = { importRegexps: true },
): AttributeValidation {
	const type = textOf(input.type) ?? '';
	if (type === '') return { ok: false, errors: { type: ['No type set.'] } };
	const sane = types.sane_defaults[type];
	if (!types.types.includes(type) || !sane)
		return { ok: false, errors: { type: ['Invalid type.'] } };
	const errors: FieldErrors = {};

	const categoryInput = textOf(input.category);
	const category = categoryInput ? categoryInput : sane.default_category;
	if (!types.categories.includes(category)) {
		// A fixed text in MispAttribute's validation rules.
		errors.category = [
			'Options : Payload delivery, Antivirus detection, Payload installation, Files dropped ...',
		];
	}
	if (!(types.category_type_mappings[category] ?? []).includes(type)) {
		errors.type = ['Options depend on the selected category.'];
	}

	let value1 = '';
	let value2 = '';
	if (Array.isArray(input.value)) {
		errors.value = ['Value is an array.'];
	} else {
		const massaged = massageValue(type, textOf(input.value) ?? '', options.importRegexps);
		if ('error' in massaged) errors.value = [massaged.error];
		else ({ value1, value2 } = massaged);
	}

	const distribution = textOf(input.distribution) ?? options.defaultDistribution ?? '5';
	if (!/^[0-5]$/.test(distribution)) errors.distribution = [DISTRIBUTION_OPTIONS];

	let uuid: string | undefined;
	if (input.uuid !== undefined && input.uuid !== null && input.uuid !== '') {
		const text = textOf(input.uuid) ?? '';
		if (UUID.test(text)) uuid = text.toLowerCase();
		else errors.uuid = ['Please provide a valid RFC 4122 UUID'];
	}

	const firstSeen = seenTime(input.first_seen, 'first_seen', errors);
	const lastSeen = seenTime(input.last_seen, 'last_seen', errors);
	if (firstSeen && lastSeen && lastSeen < firstSeen) {
		errors.last_seen = ['Last seen value should be greater than first seen value'];
	}

	const relation = textOf(input.object_relation);
	if (inObject && !relation)
		errors.object_relation = ['Object attributes need an object relation.'];

	if (Object.keys(errors).length > 0) return { ok: false, errors };
	return {
		ok: true,
		attribute: {
			type,
			category,
			value1,
			value2,
			to_ids: toBoolean(input.to_ids, sane.to_ids === 1),
			distribution,
			sharing_group_id: distribution === '4' ? (textOf(input.sharing_group_id) ?? '0') : '0',
			comment: textOf(input.comment) ?? '',
			uuid,
			disable_correlation: toBoolean(input.disable_correlation, false),
			first_seen: firstSeen,
			last_seen: lastSeen,
			object_relation: inObject ? (relation ?? null) : null,
		},
	};
}
