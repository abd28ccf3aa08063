/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/**
 * The package as users get it: `npm run build`, `npm pack`, and the two ways n8n loads it —
 * a custom extension folder, or a community package laid out exactly as n8n's installer
 * (`CommunityPackagesService.downloadPackage`, n8n 2.40.7) lays it out.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

import type { N8nInstance } from './n8nCli';
import { mustRun } from './processes';

export const REPO_ROOT = resolve(__dirname, '..', '..');

const loadBuilt = createRequire(__filename);

export interface PackageManifest {
	name: string;
	version: string;
	author?: { name?: string; email?: string };
	dependencies?: Record<string, string>;
	n8n: { nodes: string[]; credentials: string[] };
}

export interface ShippedNode {
	/** `description.name`: n8n registers it as `<package or CUSTOM>.<name>`. */
	name: string;
	displayName: string;
	/** The latest version. */
	version: number;
}

export interface PackedPackage {
	tarball: string;
	/** The tarball unpacked: its `package/` folder. */
	unpacked: string;
	manifest: PackageManifest;
	/** The node types the package ships, read from the built code. */
	nodeTypes: ShippedNode[];
}

/** Builds the repository and packs it into `workDir`. */
export async function buildAndPack(workDir: string, skipBuild = false): Promise<PackedPackage> {
	if (!skipBuild) await mustRun('npm', ['run', 'build'], { cwd: REPO_ROOT });
	mkdirSync(workDir, { recursive: true });
	const packed = await mustRun('npm', ['pack', '--pack-destination', workDir, '--json'], {
		cwd: REPO_ROOT,
	});
	const [{ filename }] = JSON.parse(packed.stdout) as Array<{ filename: string }>;
	const tarball = join(workDir, filename);
	const unpackDir = join(workDir, 'unpacked');
	mkdirSync(unpackDir, { recursive: true });
	await mustRun('tar', ['-xzf', tarball, '-C', unpackDir]);
	const unpacked = join(unpackDir, 'package');
	const manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8')) as PackageManifest;
	return { tarball, unpacked, manifest, nodeTypes: readNodeTypes(manifest) };
}

/** Node descriptions from the compiled classes in the repository's dist/ (what was packed). */
function readNodeTypes(manifest: PackageManifest): ShippedNode[] {
	return manifest.n8n.nodes.map((file) => {
		const moduleExports = loadBuilt(join(REPO_ROOT, file)) as Record<string, new () => unknown>;
		const NodeClass = Object.values(moduleExports)[0];
		const { description } = new NodeClass() as {
			description: { name: string; displayName: string; version: number | number[] };
		};
		const versions = [description.version].flat();
		return {
			name: description.name,
			displayName: description.displayName,
			version: Math.max(...versions),
		};
	});
}

/** Custom-extension mode: n8n scans this folder; node types become `CUSTOM.<name>`. */
export function customExtensionDir(pkg: PackedPackage): string {
	return join(pkg.unpacked, 'dist');
}

/**
 * Community-package mode: the tarball extracted into `<n8n folder>/nodes/node_modules/<name>`
 * with dev/peer/optional dependencies stripped from its package.json, plus the ledger
 * `<n8n folder>/nodes/package.json`. n8n loads every `n8n-nodes-*` folder there at start-up
 * (`scanDirectoryForPackages`); the database rows only feed Settings → Community nodes.
 */
export async function installAsCommunityPackage(pkg: PackedPackage, instance: N8nInstance) {
	const nodesDir = join(instance.n8nFolder, 'nodes');
	const packageDir = join(nodesDir, 'node_modules', pkg.manifest.name);
	mkdirSync(packageDir, { recursive: true });
	await mustRun('tar', ['-xzf', pkg.tarball, '-C', packageDir, '--strip-components=1']);
	const manifestPath = join(packageDir, 'package.json');
	const runtime = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
	for (const field of ['devDependencies', 'peerDependencies', 'optionalDependencies']) {
		delete runtime[field];
	}
	writeFileSync(manifestPath, JSON.stringify(runtime, null, 2));
	if (Object.keys(pkg.manifest.dependencies ?? {}).length > 0) {
		throw new Error('The package has runtime dependencies; community packages must have none');
	}
	const ledger = {
		name: 'installed-nodes',
		private: true,
		dependencies: { [pkg.manifest.name]: pkg.manifest.version },
	};
	writeFileSync(join(nodesDir, 'package.json'), JSON.stringify(ledger, null, 2));
	return packageDir;
}

/**
 * The rows n8n's installer writes (`persistPackageWithNodes`), so Settings → Community nodes
 * lists the package. Written with n8n's own sqlite3 build under Node 24, after the database
 * has been migrated by a first CLI command.
 */
export async function recordCommunityPackage(pkg: PackedPackage, instance: N8nInstance) {
	const rows = {
		database: join(instance.n8nFolder, 'database.sqlite'),
		packageName: pkg.manifest.name,
		version: pkg.manifest.version,
		authorName: pkg.manifest.author?.name ?? null,
		authorEmail: pkg.manifest.author?.email ?? null,
		nodes: pkg.nodeTypes.map((node) => ({
			name: node.displayName,
			type: `${pkg.manifest.name}.${node.name}`,
			latestVersion: node.version,
		})),
	};
	const script = `
const sqlite3 = require(${JSON.stringify(join(instance.install.appDir, 'node_modules', 'sqlite3'))});
const rows = JSON.parse(process.argv[1]);
const db = new sqlite3.Database(rows.database);
const run = (sql, params) => new Promise((ok, fail) => db.run(sql, params, (e) => (e ? fail(e) : ok())));
(async () => {
	await run('DELETE FROM installed_nodes WHERE package = ?', [rows.packageName]);
	await run('DELETE FROM installed_packages WHERE packageName = ?', [rows.packageName]);
	// n8n's SQLite schema stores its timestamp default as text, so the installer sets them itself.
	const now = "STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')";
	await run('INSERT INTO installed_packages (packageName, installedVersion, authorName, authorEmail, createdAt, updatedAt) VALUES (?, ?, ?, ?, ' + now + ', ' + now + ')',
		[rows.packageName, rows.version, rows.authorName, rows.authorEmail]);
	for (const node of rows.nodes) {
		await run('INSERT INTO installed_nodes (name, type, latestVersion, package) VALUES (?, ?, ?, ?)',
			[node.name, node.type, node.latestVersion, rows.packageName]);
	}
	db.close();
})().catch((error) => { console.error(error.message); process.exit(1); });
`;
	await mustRun(instance.install.node, ['-e', script, JSON.stringify(rows)], { env: instance.env });
}
