import type { ValueOptions } from './attributeValidation';
import type { MispSettings } from './instance';
import type { MispKnowledge } from './knowledge';
import { ACL_REFUSED, MispException } from './responses';
import type { EventRecord, Json, MispStore, Permissions, TagLink, TagRecord, User } from './store';

export type { Json } from './store';

/** One authenticated REST request, as the route handlers see it. */
export interface RequestContext {
	method: string;
	/** The path as requested, without the query string. */
	path: string;
	/** The instance's base URL (MISP.baseurl), for absolute `Location` headers. */
	baseUrl: string;
	/** Path segments after `controller/action`, with CakePHP named parameters removed. */
	args: string[];
	/** CakePHP named parameters (`/breakOnDuplicate:1`). */
	named: Record<string, string>;
	/** Parsed JSON body; undefined when there was none. */
	body: unknown;
	user: User;
	store: MispStore;
	/** What the instance knows; `knowledge.templates` are the templates it has loaded. */
	knowledge: MispKnowledge;
	settings: MispSettings;
	/**
	 * The store's write sequence when this request's transaction began: rows written later by
	 * concurrent requests are invisible to its check-then-insert steps (misp.md §10, races).
	 */
	snapshot: number;
}

/** How attribute values are massaged under this instance's settings. */
export function valueOptions(ctx: RequestContext): ValueOptions {
	return {
		importRegexps: ctx.settings.importRegexps,
		defaultDistribution: ctx.settings.defaultAttributeDistribution,
	};
}

/**
 * Whether `links` already holds `tag`, as a check-then-insert sees it: `event_tags` and
 * `attribute_tags` have no unique key, so a link written by a concurrent request is not seen.
 */
export function hasTag(ctx: RequestContext, links: TagLink[], tag: TagRecord): boolean {
	return links.some((link) => link.tag.id === tag.id && link.seq <= ctx.snapshot);
}

export function isRecord(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function textOf(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number') return String(value);
	return undefined;
}

export function isTruthy(value: unknown): boolean {
	if (typeof value === 'string') return !['', '0', 'false'].includes(value.toLowerCase());
	return Boolean(value);
}

/** MISP accepts `{"request": …}` around any body. */
export function unwrapRequest(body: unknown): unknown {
	return isRecord(body) && 'request' in body ? body.request : body;
}

export function requirePermission(ctx: RequestContext, permission: keyof Permissions): void {
	if (!ctx.user.role[permission] && !ctx.user.role.perm_site_admin) {
		throw new MispException(403, ACL_REFUSED);
	}
}

export function canSeeEvent(user: User, event: EventRecord): boolean {
	if (user.role.perm_site_admin) return true;
	if (event.org.id === user.org.id || event.orgc.id === user.org.id) return true;
	return ['1', '2', '3'].includes(event.distribution);
}

/** Only the creator org may change an event (misp.md §1.3). */
export function canModifyEvent(user: User, event: EventRecord): boolean {
	if (user.role.perm_site_admin) return true;
	return event.orgc.id === user.org.id && (user.role.perm_modify || user.role.perm_modify_org);
}

/** Exclusive taxonomy rule: `workflow:state="x"` refuses a second `workflow:state=…` tag. */
export function conflictsWithExclusive(
	knowledge: MispKnowledge,
	existing: TagLink[],
	newName: string,
): boolean {
	const lower = newName.toLowerCase();
	return knowledge.exclusivePredicates.some((predicate) => {
		const prefix = predicate.toLowerCase();
		const inGroup = (name: string): boolean =>
			name.startsWith(`${prefix}=`) || name.startsWith(`${prefix}:`);
		return (
			inGroup(lower) &&
			existing.some(
				(link) => link.tag.name.toLowerCase() !== lower && inGroup(link.tag.name.toLowerCase()),
			)
		);
	});
}

/**
 * Inline `Tag: [{name}]` arrays on attributes/events: need perm_tagger; unknown tags are created
 * only with perm_tag_editor, otherwise skipped silently; no exclusivity check (misp.md §2.3).
 */
export function applyInlineTags(ctx: RequestContext, links: TagLink[], raw: unknown): void {
	if (!Array.isArray(raw) || !(ctx.user.role.perm_tagger || ctx.user.role.perm_site_admin)) return;
	for (const entry of raw) {
		const name = isRecord(entry) ? textOf(entry.name) : textOf(entry);
		if (!name || name.trim() === '') continue;
		let tag = ctx.store.findTag(name.trim());
		if (!tag && /^\d+$/.test(name)) continue;
		if (!tag) {
			if (!(ctx.user.role.perm_tag_editor || ctx.user.role.perm_site_admin)) continue;
			tag = ctx.store.createTag(name.trim());
		}
		const found = tag;
		if (links.some((link) => link.tag.id === found.id)) continue;
		links.push(ctx.store.tagLink(found, isRecord(entry) && isTruthy(entry.local)));
	}
}
