/** Text from outside (the service, the user) made safe to put into a one-line message. */

function isUnprintable(code: number): boolean {
	return (
		code <= 0x1f ||
		(code >= 0x7f && code <= 0x9f) ||
		(code >= 0x202a && code <= 0x202e) || // bidirectional embeddings and overrides
		(code >= 0x2066 && code <= 0x2069) // bidirectional isolates
	);
}

/** Single-line, printable, at most `max` characters. */
export function printable(text: string, max: number): string {
	let clean = '';
	for (const char of text) clean += isUnprintable(char.codePointAt(0) ?? 0) ? ' ' : char;
	clean = clean.trim();
	return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** A promise's outcome as a value, so callers can decide what to throw outside a catch block. */
export async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
	try {
		return { ok: true, value: await promise };
	} catch (error) {
		return { ok: false, error };
	}
}

/** The synchronous counterpart of `settle`. */
export function settleNow<T>(run: () => T): Settled<T> {
	try {
		return { ok: true, value: run() };
	} catch (error) {
		return { ok: false, error };
	}
}
