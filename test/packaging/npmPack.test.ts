/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- development-only code, never shipped in dist/ */
/**
 * What `npm pack` puts in the tarball on a fresh clone (no dist/ yet): `prepack` must build dist/,
 * and the tarball must hold the built package only — code, codex files and icons — never the
 * sources, tests, simulators or development tools.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { parsePackJson } from '../../scripts/e2e/packaging';

const ROOT = resolve(__dirname, '..', '..');
const CLONE_FILES = ['package.json', 'tsconfig.json', 'gulpfile.js', '.npmrc', 'README.md', 'LICENSE', 'nodes', 'credentials', 'icons'];

/** `npm pack --dry-run` in a copy of the sources without dist/, scripts on as `npm pack` runs them for a user. */
function packFreshClone(): string[] {
	const clone = mkdtempSync(join(tmpdir(), 'nsx-ata-pack-'));
	try {
		for (const entry of CLONE_FILES) cpSync(join(ROOT, entry), join(clone, entry), { recursive: true });
		symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');
		const stdout = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts=false'], {
			cwd: clone,
			encoding: 'utf8',
			env: { ...process.env, npm_config_update_notifier: 'false' },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const [result] = parsePackJson(stdout);
		return result.files.map((file) => file.path).sort();
	} finally {
		rmSync(clone, { recursive: true, force: true });
	}
}

describe('npm pack on a fresh clone', () => {
	let files: string[];
	const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
		n8n: { nodes: string[]; credentials: string[] };
	};

	beforeAll(() => {
		files = packFreshClone();
	}, 120_000);

	it('builds dist/ first and packs every node and credential n8n is told to load', () => {
		for (const entry of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
			expect(files).toContain(entry);
		}
		for (const entry of manifest.n8n.nodes) expect(files).toContain(entry.replace(/\.js$/, '.json'));
	});

	it('ships every icon the nodes and credentials name, light and dark', () => {
		const icons = files.filter((file) => file.endsWith('.svg'));
		expect(icons).toEqual(
			expect.arrayContaining([
				'dist/icons/nsxAta.svg',
				'dist/icons/nsxAta.dark.svg',
				'dist/nodes/NsxAta/nsxAta.svg',
				'dist/nodes/NsxAta/nsxAta.dark.svg',
				'dist/nodes/NsxAtaTrigger/nsxAtaTrigger.svg',
				'dist/nodes/NsxAtaTrigger/nsxAtaTrigger.dark.svg',
				'dist/nodes/MispObjectBuilder/mispObjectBuilder.svg',
				'dist/nodes/MispObjectBuilder/mispObjectBuilder.dark.svg',
			]),
		);
	});

	it('holds only dist/ besides the manifest, README and licence: no sources, tests or simulators', () => {
		const outsideDist = files.filter((file) => !file.startsWith('dist/'));
		expect(outsideDist).toEqual(['LICENSE', 'README.md', 'package.json']);
		const forbidden = files.filter((file) =>
			/(^|\/)(test|tests|simulator|dev|scripts|bench|examples)\/|\.test\.|\.ts$(?<!\.d\.ts$)/.test(file),
		);
		expect(forbidden).toEqual([]);
	});
});
