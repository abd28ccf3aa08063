/**
 * Wraps objects (and optionally standalone attributes and tags) into an events/add body, which
 * MISP saves in one call: the event, its objects, their references and its tags.
 */
import type { IDataObject } from 'n8n-workflow';

export interface EventSettings {
	info: string;
	distribution: string;
	threatLevelId: string;
	analysis: string;
	/** YYYY-MM-DD; MISP uses today when absent. */
	date?: string;
	tags: string[];
}

/** What the input items carry: objects, and the standalone attributes and tags of a Query output. */
export interface EventParts {
	objects: IDataObject[];
	attributes: IDataObject[];
	tags: IDataObject[];
}

const ALLOWED: Record<'distribution' | 'threatLevelId' | 'analysis', readonly string[]> = {
	distribution: ['0', '1', '2', '3'],
	threatLevelId: ['1', '2', '3', '4'],
	analysis: ['0', '1', '2'],
};

/** Problems with the event settings, as readable sentences. */
export function eventSettingProblems(settings: EventSettings): string[] {
	const problems: string[] = [];
	if (settings.info.trim() === '') problems.push('The event info (title) is empty; MISP requires it.');
	for (const [field, values] of Object.entries(ALLOWED) as Array<[keyof typeof ALLOWED, readonly string[]]>) {
		if (!values.includes(settings[field])) {
			problems.push(`${field} "${settings[field]}" is not one of ${values.join(', ')}.`);
		}
	}
	if (settings.date !== undefined) {
		const match = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(settings.date);
		const valid =
			match !== null &&
			new Date(Date.UTC(+match[1], +match[2] - 1, +match[3])).toISOString().startsWith(settings.date);
		if (!valid) problems.push(`The date "${settings.date}" is not a calendar date (YYYY-MM-DD).`);
	}
	return problems;
}

/** Keeps the first entry per key; entries without a key are all kept. */
function unique(entries: IDataObject[], key: (entry: IDataObject) => unknown): IDataObject[] {
	const seen = new Set<unknown>();
	return entries.filter((entry) => {
		const id = key(entry);
		if (typeof id !== 'string' || id === '') return true;
		if (seen.has(id)) return false;
		seen.add(id);
		return true;
	});
}

export function wrapAsEvent(parts: EventParts, settings: EventSettings): { Event: IDataObject } {
	const event: IDataObject = {
		info: settings.info.trim(),
		distribution: settings.distribution,
		threat_level_id: settings.threatLevelId,
		analysis: settings.analysis,
	};
	if (settings.date !== undefined) event.date = settings.date;
	// Objects that come twice (e.g. the same analysis queried twice) share a UUID; MISP would
	// refuse the second.
	event.Object = unique(parts.objects, (object) => object.uuid);
	const attributes = unique(parts.attributes, (attribute) => attribute.uuid);
	if (attributes.length > 0) event.Attribute = attributes;
	const tags = unique(
		[...settings.tags.map((name) => ({ name })), ...parts.tags],
		(tag) => (typeof tag.name === 'string' ? tag.name.trim() : undefined),
	).filter((tag) => typeof tag.name === 'string' && tag.name.trim() !== '');
	if (tags.length > 0) event.Tag = tags;
	return { Event: event };
}
