/**
 * Safe readers for the untrusted result document: every accessor tolerates wrong types, nulls
 * and inherited keys, so a hostile report can only produce "absent", never an exception.
 */

export type JsonRecord = Record<string, unknown>;

export function asRecord(value: unknown): JsonRecord | undefined {
	return typeof value === 'object' && value !== null && !Array.isArray(value)
		? (value as JsonRecord)
		: undefined;
}

export function field(value: unknown, key: string): unknown {
	const record = asRecord(value);
	return record && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

export function asList(value: unknown): unknown[] {
	return Array.isArray(value) ? value : [];
}

/** Strings as they are; finite numbers as decimal text; anything else is absent. */
export function asText(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

/**
 * A string holding more than white space, exactly as it is (no trimming): report text that is
 * copied verbatim or not at all. Numbers, objects and null are absent (42 is not a signature).
 */
export function verbatimText(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

// With the u flag a surrogate pair is one code point, so this matches unpaired halves only.
const LONE_SURROGATE = /\p{Cs}/u;

/** An unpaired UTF-16 surrogate makes PHP's json_decode, and so MISP, refuse the whole request. */
export function hasLoneSurrogate(text: string): boolean {
	return LONE_SURROGATE.test(text);
}

/** The text with every unpaired surrogate replaced by U+FFFD. */
export function wellFormed(text: string): string {
	return hasLoneSurrogate(text) ? text.replace(/\p{Cs}/gu, '\ufffd') : text;
}

/** A line break or NUL: never part of a Windows file name or path. */
export function isBrokenPath(text: string | undefined): boolean {
	return text !== undefined && (/[\r\n]/u.test(text) || text.includes('\u0000'));
}

/** A non-empty string (after trimming) or a finite number as text. */
export function nonEmptyText(value: unknown): string | undefined {
	const text = asText(value);
	return text !== undefined && text.trim() !== '' ? text : undefined;
}

export function asNumber(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/u.test(value)) return Number(value);
	return undefined;
}

/** Accepts either the bare `data` of a result or the whole `{"success":1,"data":...}` envelope. */
export function unwrapEnvelope(value: unknown): unknown {
	const data = field(value, 'data');
	if (
		asRecord(data) &&
		field(value, 'success') !== undefined &&
		field(value, 'task_uuid') === undefined
	) {
		return data;
	}
	return value;
}

/** A short, single-line, quoted preview of an untrusted value for warnings. */
export function preview(value: unknown): string {
	const text =
		typeof value === 'string' ? value : (asText(value) ?? (value === null ? 'null' : typeof value));
	const short = text.length > 60 ? `${text.slice(0, 60)}…` : text;
	return JSON.stringify(wellFormed(short));
}

/** Last path component of a Windows or POSIX path. */
export function baseName(path: string): string {
	const parts = path.split(/[\\/]/u);
	return parts[parts.length - 1] ?? path;
}
