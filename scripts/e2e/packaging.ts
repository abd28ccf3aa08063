/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/**
 * The package as users get it, by the README's from-source route: `npm pack` (its `prepack`
 * builds dist/), then `npm install <tarball> --legacy-peer-deps` in `<n8n folder>/nodes`; and the
 * other way n8n loads it, a custom extension folder.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

import { npmEnv } from './install';
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

/**
 * The `npm pack --json` answer. When `prepack` runs, the build's own lines come first; npm's JSON
 * starts at a line that is exactly `[`.
 */
export function parsePackJson(stdout: string): Array<{ filename: string; files: Array<{ path: string }> }> {
	return JSON.parse(stdout.slice(stdout.search(/^\[\s*$/m))) as ReturnType<typeof parsePackJson>;
}

/**
 * Packs the repository into `workDir` as the README says: `npm pack --ignore-scripts=false`, whose
 * `prepack` builds dist/ (the repository's .npmrc turns scripts off for `npm ci`). With
 * `skipBuild`, dist/ is packed as it is.
 */
export async function buildAndPack(workDir: string, skipBuild = false): Promise<PackedPackage> {
	mkdirSync(workDir, { recursive: true });
	const scripts = skipBuild ? [] : ['--ignore-scripts=false'];
	const packed = await mustRun('npm', ['pack', ...scripts, '--pack-destination', workDir, '--json'], {
		cwd: REPO_ROOT,
	});
	const [{ filename }] = parsePackJson(packed.stdout);
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
 * Community-package mode, exactly the README's route: `npm install <tarball> --legacy-peer-deps`
 * in `<n8n folder>/nodes`, with the Node and npm n8n runs on. `--legacy-peer-deps` keeps npm from
 * installing the peer `n8n-workflow` next to the package (a second, possibly newer copy the nodes
 * would load instead of n8n's). n8n loads every `n8n-nodes-*` folder under `nodes/node_modules` at
 * start-up (`scanDirectoryForPackages`); the database rows only feed Settings → Community nodes.
 */
export async function installAsCommunityPackage(pkg: PackedPackage, instance: N8nInstance) {
	const nodesDir = join(instance.n8nFolder, 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	if (Object.keys(pkg.manifest.dependencies ?? {}).length > 0) {
		throw new Error('The package has runtime dependencies; community packages must have none');
	}
	await mustRun('npm', ['install', pkg.tarball, '--legacy-peer-deps'], {
		cwd: nodesDir,
		env: npmEnv({ PATH: instance.install.path }),
	});
	const copies = n8nWorkflowCopies(join(nodesDir, 'node_modules'));
	if (copies.length > 0) {
		throw new Error(`npm installed n8n-workflow next to the package: ${copies.join(', ')}`);
	}
	return join(nodesDir, 'node_modules', pkg.manifest.name);
}

/** Every `n8n-workflow` folder under a node_modules tree. */
function n8nWorkflowCopies(nodeModules: string): string[] {
	if (!existsSync(nodeModules)) return [];
	return readdirSync(nodeModules, { recursive: true, encoding: 'utf8' })
		.filter((entry) => entry === 'n8n-workflow' || entry.endsWith('/n8n-workflow'))
		.map((entry) => join(nodeModules, entry));
}

/**
 * A `--require` hook for n8n's processes: records, for every `require('n8n-workflow…')` made by a
 * file of this package, the file that was loaded. The e2e asserts they are all n8n's own copy.
 */
export function writeModuleTrace(workDir: string, packageName: string): { hook: string; log: string } {
	const hook = join(workDir, 'trace-n8n-workflow.js');
	const log = join(workDir, 'n8n-workflow-loads.txt');
	writeFileSync(
		hook,
		`const Module = require('module');
const { appendFileSync } = require('fs');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
	const file = resolve.call(this, request, parent, ...rest);
	if ((request === 'n8n-workflow' || request.startsWith('n8n-workflow/')) && parent && parent.filename && parent.filename.includes(${JSON.stringify(`/node_modules/${packageName}/`)})) {
		appendFileSync(${JSON.stringify(log)}, file + '\\n');
	}
	return file;
};
`,
	);
	return { hook, log };
}

/** The distinct n8n-workflow files this package's code loaded, as the hook recorded them. */
export function tracedN8nWorkflowLoads(log: string): string[] {
	if (!existsSync(log)) return [];
	return [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))];
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
