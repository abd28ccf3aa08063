/** Cleaning of untrusted text that goes into tag names. */
import { wellFormed } from './input';
import { MAX_TAG_LENGTH } from './model';

// Control characters, bidi/zero-width format characters and line/paragraph separators.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/**
 * Removes characters that could corrupt or disguise a tag and collapses white space; unpaired
 * surrogates become U+FFFD (MISP refuses JSON holding them).
 */
export function cleanTagText(raw: string): string {
	return wellFormed(raw).replace(INVISIBLE, ' ').replace(/\s+/gu, ' ').trim();
}

export function fitsTag(tag: string): boolean {
	return tag.length > 0 && tag.length <= MAX_TAG_LENGTH;
}
