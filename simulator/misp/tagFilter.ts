import { isRecord, textOf } from './context';
import type { TagRecord } from './store';

/** restSearch's `tags` parameter in its three forms, reduced to OR / AND / NOT name patterns. */
export interface TagFilter {
	or: string[];
	and: string[];
	not: string[];
}

/** Tag ids each part of the filter resolved to; `empty` when the search must return nothing. */
export type ResolvedTagFilter =
	| 'empty'
	| { or?: Set<string>; and: Array<Set<string>>; not: Set<string> };

function list(raw: unknown): string[] {
	if (Array.isArray(raw)) return raw.map((r) => textOf(r) ?? '').filter((r) => r !== '');
	const text = textOf(raw);
	return text ? [text] : [];
}

function splitNegated(items: string[], positive: string[], negative: string[]): void {
	for (const item of items) {
		if (item.startsWith('!')) negative.push(item.slice(1));
		else positive.push(item);
	}
}

/**
 * `"a&&!b"` (split into OR and NOT lists: `&&` is not AND, misp.md §9), a list (OR, `!` negates),
 * or `{OR, AND, NOT}` (misp.md §2.5). `"a||b"` arrives here already split into a list.
 */
export function parseTagFilter(raw: unknown): TagFilter | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	const filter: TagFilter = { or: [], and: [], not: [] };
	if (isRecord(raw)) {
		for (const [key, value] of Object.entries(raw)) {
			const bucket = key.toUpperCase();
			if (bucket === 'OR') filter.or.push(...list(value));
			else if (bucket === 'AND') filter.and.push(...list(value));
			else if (bucket === 'NOT') filter.not.push(...list(value));
		}
	} else if (typeof raw === 'string') {
		splitNegated(
			raw.split('&&').filter((s) => s !== ''),
			filter.or,
			filter.not,
		);
	} else {
		splitNegated(list(raw), filter.or, filter.not);
	}
	if (filter.or.length + filter.and.length + filter.not.length === 0) return undefined;
	return filter;
}

/**
 * SQL `LIKE` under MySQL's case-insensitive collation: `%` any run, `_` any one character, `\`
 * makes the next character literal.
 */
export function likeMatcher(pattern: string): (text: string) => boolean {
	const literal = (c: string) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	let source = '';
	for (let i = 0; i < pattern.length; i++) {
		const c = pattern[i];
		if (c === '\\' && i + 1 < pattern.length) source += literal(pattern[++i]);
		else source += c === '%' ? '.*' : c === '_' ? '.' : literal(c);
	}
	const regex = new RegExp(`^${source}$`, 'is');
	return (text) => regex.test(text);
}

function idsMatching(tags: TagRecord[], pattern: string): Set<string> {
	const matches = likeMatcher(pattern);
	return new Set(tags.filter((t) => matches(t.name)).map((t) => t.id));
}

export function resolveTagFilter(filter: TagFilter, tags: TagRecord[]): ResolvedTagFilter {
	let or: Set<string> | undefined;
	if (filter.or.length > 0) {
		or = new Set(filter.or.flatMap((p) => [...idsMatching(tags, p)]));
		if (or.size === 0) return 'empty';
	}
	const and = filter.and.map((p) => idsMatching(tags, p));
	if (and.some((ids) => ids.size === 0)) return 'empty';
	const not = new Set(filter.not.flatMap((p) => [...idsMatching(tags, p)]));
	return { or, and, not };
}

/** Whether an element carrying these tag ids (its own plus its event's) passes the filter. */
export function passesTagFilter(
	resolved: Exclude<ResolvedTagFilter, 'empty'>,
	tagIds: Set<string>,
): boolean {
	if (resolved.or && ![...resolved.or].some((id) => tagIds.has(id))) return false;
	if (!resolved.and.every((ids) => [...ids].some((id) => tagIds.has(id)))) return false;
	return ![...resolved.not].some((id) => tagIds.has(id));
}
