/* eslint-disable @n8n/community-nodes/no-restricted-imports, no-console -- development-only code, never shipped in dist/ */
/**
 * The shipped ATT&CK table (nodes/shared/misp/converter/attackTechniques.json) is what
 * scripts/attackTable.ts makes from MISP's mitre-attack-pattern galaxy in
 * <MISP_OBJECTS_DIR>/_meta/galaxy/. Skipped, with a warning, when those files are absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ATTACK_GALAXY, attackName, attackTag } from '../../../nodes/shared/misp/converter';
import { buildTable, galaxyDir, TABLE_FILE } from '../../../scripts/attackTable';

const dir = galaxyDir();
const present = existsSync(join(dir, 'mitre-attack-pattern-index.json'));
if (!present) {
	console.warn(
		`[attackTable] SKIPPED: MISP's galaxy files not found in ${dir} ` +
			'(set MISP_OBJECTS_DIR to the directory holding _meta/galaxy/mitre-attack-pattern-index.json).',
	);
}

(present ? describe : describe.skip)('ATT&CK table against the MISP galaxy', () => {
	/* eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped galaxy JSON */
	const index: any = present
		? JSON.parse(readFileSync(join(dir, 'mitre-attack-pattern-index.json'), 'utf8'))
		: {};

	it('is exactly what scripts/attackTable.ts generates from the galaxy', () => {
		expect(readFileSync(TABLE_FILE, 'utf8')).toBe(buildTable(dir));
	});

	it('gives, for every technique id of the galaxy, the tag that attaches to its cluster', () => {
		const ids = Object.keys(index.techniques).filter((id) => /^T\d{4}(\.\d{3})?$/u.test(id));
		expect(ids.length).toBeGreaterThan(1000);
		for (const id of ids) {
			expect([id, attackTag(attackName(id) ?? '?', id)]).toEqual([id, index.techniques[id].tag]);
		}
	});

	it('names the galaxy and cluster versions it came from', () => {
		expect(ATTACK_GALAXY.clusterVersion).toBe(index._source.cluster_file_version);
		expect(ATTACK_GALAXY.commit).toBe(index._source.commit);
	});
});
