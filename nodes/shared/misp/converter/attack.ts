/**
 * ATT&CK techniques as MISP galaxy tags `misp-galaxy:mitre-attack-pattern="<Name> - <ID>"`,
 * built from the names the report carries, for every technique of every activity.
 */
import { asList, asRecord, asText, field, preview } from './input';
import type { ConversionContext } from './model';
import type { ReportView } from './report';
import { cleanTagText, fitsTag } from './tagText';

const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/u;

export function attackTag(name: string, id: string): string {
	return `misp-galaxy:mitre-attack-pattern="${name} - ${id}"`;
}

export function convertAttack(ctx: ConversionContext, view: ReportView): string[] {
	const mapping = asRecord(field(view.data, 'activity_to_mitre_techniques'));
	if (!mapping) return [];
	const found = new Map<string, { id: string; tag: string }>();
	for (const activity of Object.keys(mapping)) {
		for (const technique of asList(mapping[activity])) {
			const rawId = asText(field(technique, 'id'));
			const rawName = asText(field(technique, 'name'));
			const id = rawId?.trim().toUpperCase();
			if (id === undefined || !TECHNIQUE_ID.test(id)) {
				ctx.warnings.add(`ATT&CK: skipped technique with malformed id ${preview(rawId ?? null)}.`);
				continue;
			}
			const name = rawName !== undefined ? cleanTagText(rawName) : '';
			if (name === '' || name.includes('"')) {
				ctx.warnings.add(
					`ATT&CK: skipped ${id}, its name ${preview(rawName ?? null)} cannot form a tag.`,
				);
				continue;
			}
			if (rawName !== undefined && name !== rawName.trim()) {
				ctx.warnings.add(`ATT&CK: removed control or invisible characters from the name of ${id}.`);
			}
			const tag = attackTag(name, id);
			if (!fitsTag(tag)) {
				ctx.warnings.add(`ATT&CK: skipped ${id}, its tag would exceed 255 characters.`);
				continue;
			}
			if (!found.has(tag)) found.set(tag, { id, tag });
		}
	}
	const sorted = [...found.values()].sort((a, b) =>
		a.id === b.id ? (a.tag < b.tag ? -1 : 1) : a.id < b.id ? -1 : 1,
	);
	return sorted.filter(() => ctx.take('attackTags')).map((entry) => entry.tag);
}
