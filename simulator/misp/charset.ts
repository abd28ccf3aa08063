import { MispException } from './responses';

const FOUR_BYTE = /[\u{10000}-\u{10ffff}]/gu;

/**
 * MISP's `handle4ByteUnicode` (first step of `modifyBeforeValidation`): its utf8mb3 columns cannot
 * hold 4-byte characters, so an attribute value loses each one to `?` (misp.md §10).
 */
export function replace4ByteCharacters(value: string): string {
	return value.replace(FOUR_BYTE, '?');
}

/**
 * Every other text column (comments, event info, tag names) is utf8mb3 under strict SQL mode: a
 * 4-byte character fails the INSERT and MISP answers 500, keeping what it wrote before (checked
 * on MISP 2.5.1).
 */
export function assertStorable(...texts: Array<string | undefined>): void {
	if (texts.some((text) => text !== undefined && new RegExp(FOUR_BYTE.source, 'u').test(text))) {
		throw new MispException(500, 'An Internal Error Has Occurred.');
	}
}
