/**
 * ATT&CK techniques as MISP galaxy tags `misp-galaxy:mitre-attack-pattern="<Name> - <ID>"`, one
 * per technique id of every activity, named as MISP's galaxy names the id so the tag attaches to
 * the cluster: a report's own names may be outdated, differ per activity or carry markup. The
 * table (attackTechniques.json) is generated from the galaxy by scripts/attackTable.ts.
 */
import table from './attackTechniques.json';
import { asList, asRecord, asText, field, preview } from './input';
import type { ConversionContext } from './model';
import type { ReportView } from './report';

const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/u;

const NAMES: ReadonlyMap<string, string> = new Map(Object.entries(table.names));

/** Where the names come from: MISP's mitre-attack-pattern galaxy, with its versions. */
export const ATTACK_GALAXY = Object.freeze({ ...table.source });

/** The galaxy's name of a technique id, or undefined when the galaxy does not know it. */
export function attackName(id: string): string | undefined {
	return NAMES.get(id);
}

export function attackTag(name: string, id: string): string {
	return `misp-galaxy:mitre-attack-pattern="${name} - ${id}"`;
}

export function convertAttack(ctx: ConversionContext, view: ReportView): string[] {
	const mapping = asRecord(field(view.data, 'activity_to_mitre_techniques'));
	if (!mapping) return [];
	const ids = new Set<string>();
	const unknown = new Set<string>();
	for (const activity of Object.keys(mapping)) {
		for (const technique of asList(mapping[activity])) {
			const rawId = asText(field(technique, 'id'));
			const id = rawId?.trim().toUpperCase();
			if (id === undefined || !TECHNIQUE_ID.test(id)) {
				ctx.warnings.add(`ATT&CK: skipped technique with malformed id ${preview(rawId ?? null)}.`);
			} else if (NAMES.has(id)) {
				ids.add(id);
			} else if (!unknown.has(id)) {
				unknown.add(id);
				ctx.warnings.add(
					`ATT&CK: ${id} is not in MISP's mitre-attack-pattern galaxy (cluster version ${ATTACK_GALAXY.clusterVersion}); no tag.`,
				);
			}
		}
	}
	return [...ids]
		.sort()
		.filter(() => ctx.take('attackTags'))
		.map((id) => attackTag(NAMES.get(id) as string, id));
}
