/** PHP's `json_decode($body, true, 512, JSON_THROW_ON_ERROR)`, as MISP decodes every REST body. */

const PHP_MAX_DEPTH = 512;

function tooDeep(value: unknown, depth: number): boolean {
	if (typeof value !== 'object' || value === null) return false;
	// PHP counts the scalars inside as a level: 511 nested arrays decode, 512 do not.
	if (depth >= PHP_MAX_DEPTH) return true;
	const children = Array.isArray(value) ? value : Object.values(value);
	return children.some((child) => tooDeep(child, depth + 1));
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A string JSON.parse accepts but PHP refuses: an unpaired UTF-16 surrogate escape. */
function hasLoneSurrogate(value: unknown): boolean {
	if (typeof value === 'string') return LONE_SURROGATE.test(value);
	if (typeof value !== 'object' || value === null) return false;
	if (Array.isArray(value)) return value.some(hasLoneSurrogate);
	return Object.entries(value).some(
		([key, child]) => hasLoneSurrogate(key) || hasLoneSurrogate(child),
	);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The decoded body, or undefined where PHP's decoder fails: bytes that are not UTF-8
 * (JSON_ERROR_UTF8), a lone `\ud800`-style escape (JSON_ERROR_UTF16; raw UTF-8 cannot hold one, so
 * any lone surrogate after JSON.parse came from an escape), nesting deeper than 512, bad syntax.
 */
export function phpJsonDecode(bytes: Buffer): { value: unknown } | undefined {
	let value: unknown;
	try {
		value = JSON.parse(UTF8.decode(bytes));
	} catch {
		return undefined;
	}
	if (hasLoneSurrogate(value) || tooDeep(value, 1)) return undefined;
	return { value };
}
