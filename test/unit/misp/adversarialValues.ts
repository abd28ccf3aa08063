/**
 * 64 KB strings built against backtracking patterns: a long run that two neighbouring parts of
 * a pattern could both consume, then a character that makes the whole match fail at the end.
 * Shared by the value-check test and `npm run bench:convert`.
 */
/** Just under MISP's 65,535-byte limit, so that every check runs its pattern in full. */
export const ADVERSARIAL_VALUE_BYTES = 65_000;

/** `unit` repeated up to the byte budget (head and tail included), then `tail`. */
export function run(unit: string, tail: string, head = ''): string {
	const room = ADVERSARIAL_VALUE_BYTES - Buffer.byteLength(head + tail);
	return head + unit.repeat(Math.floor(room / Buffer.byteLength(unit))) + tail;
}

export function adversarialValues(): string[] {
	return [
		run('1', 'x'), // float: \d+\.?\d* split n ways
		run('1', '.x'),
		run('1', 'e', '.'),
		run('a', ' x', 'http://'), // link: [^\s/?#]+[^\s]* split n ways (checks trim the ends)
		run('a', '\nx', 'http://'),
		run('é', ' x', 'http://'),
		run('a', ':/', 'h'),
		run('a.', '!'), // hostname: dot-separated labels, bad end
		run('a', '_', 'a.'),
		run('1.', '1'),
		run('.', 'a', 'a'), // trailing-dot removal
		run('1:', 'x'), // ssdeep, IPv6
		run('a', ':', '1:'),
		run(':', 'x'),
		run('f', 'g'), // hashes
		run(' ', 'x'), // trimming and "control characters only"
		run('\u0001', 'a'),
		run('AS1', 'x'),
		run('2024-01-01 ', 'x'), // datetime
		run('"', ','),
	];
}
