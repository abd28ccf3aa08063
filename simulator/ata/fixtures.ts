/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The synthetic ATA responses shipped next to the simulator (copies of /work/shared/ata-fixtures). */
const FIXTURES_DIR = join(__dirname, 'fixtures');

export function readFixture(name: string): Record<string, unknown> {
	return JSON.parse(readFileSync(join(FIXTURES_DIR, `${name}.json`), 'utf8')) as Record<
		string,
		unknown
	>;
}

/** The `data` member of a fixture envelope. */
export function readFixtureData(name: string): Record<string, unknown> {
	return readFixture(name).data as Record<string, unknown>;
}
