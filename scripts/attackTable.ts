/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- development-only code, never shipped in dist/ */
/**
 * npx ts-node --transpile-only scripts/attackTable.ts [--check]
 * Writes nodes/shared/misp/converter/attackTechniques.json, the ATT&CK technique id → name table
 * the converter tags with, from MISP's `mitre-attack-pattern` galaxy cluster (the derived index
 * in <MISP_OBJECTS_DIR>/_meta/galaxy/, default ../shared/misp-objects). The names are facts;
 * only id and name are kept, plus the galaxy and cluster versions they came from. With --check
 * it only reports whether the committed table matches the galaxy (exit 1 when it does not).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/u;
export const TABLE_FILE = join(
	__dirname,
	'..',
	'nodes',
	'shared',
	'misp',
	'converter',
	'attackTechniques.json',
);

export function galaxyDir(): string {
	return resolve(
		process.env.MISP_OBJECTS_DIR ?? join(__dirname, '..', '..', 'shared', 'misp-objects'),
		'_meta',
		'galaxy',
	);
}

/* eslint-disable @typescript-eslint/no-explicit-any -- the galaxy files are untyped JSON */
/** The table as text, from the galaxy files in `dir`; throws when a name cannot form a tag. */
export function buildTable(dir: string): string {
	const index = JSON.parse(readFileSync(join(dir, 'mitre-attack-pattern-index.json'), 'utf8'));
	const galaxy = JSON.parse(readFileSync(join(dir, 'mitre-attack-pattern.galaxy.json'), 'utf8'));
	const names: Array<[string, string]> = [];
	for (const [id, entry] of Object.entries<any>(index.techniques)) {
		if (!TECHNIQUE_ID.test(id)) continue;
		const suffix = ` - ${id}`;
		const value = String(entry.value);
		const name = value.endsWith(suffix) ? value.slice(0, -suffix.length) : '';
		if (name === '' || /["\p{Cc}\p{Cf}]/u.test(name) || `${value}`.length > 200) {
			throw new Error(`galaxy value ${JSON.stringify(value)} for ${id} cannot form a tag`);
		}
		names.push([id, name]);
	}
	names.sort(([a], [b]) => (a < b ? -1 : 1));
	const source = index._source ?? {};
	const header = {
		galaxy: galaxy.type,
		galaxyUuid: galaxy.uuid,
		galaxyVersion: galaxy.version,
		clusterVersion: source.cluster_file_version,
		commit: source.commit,
		from: `${String(source.repo)} ${String(source.path)}`,
	};
	const lines = names.map(([id, name]) => `\t\t${JSON.stringify(id)}: ${JSON.stringify(name)}`);
	return `{\n\t"source": ${JSON.stringify(header)},\n\t"names": {\n${lines.join(',\n')}\n\t}\n}\n`;
}

function main(): void {
	const dir = galaxyDir();
	if (!existsSync(join(dir, 'mitre-attack-pattern-index.json'))) {
		console.error(`No MISP galaxy files in ${dir} (set MISP_OBJECTS_DIR).`);
		process.exit(2);
	}
	const table = buildTable(dir);
	if (process.argv.includes('--check')) {
		const same = existsSync(TABLE_FILE) && readFileSync(TABLE_FILE, 'utf8') === table;
		console.log(same ? 'attackTechniques.json matches the galaxy.' : 'attackTechniques.json is out of date.');
		process.exit(same ? 0 : 1);
	}
	writeFileSync(TABLE_FILE, table);
	const count = (table.match(/\n\t\t"T/gu) ?? []).length;
	console.log(`Wrote ${count} techniques to ${TABLE_FILE}.`);
}

if (require.main === module) main();
