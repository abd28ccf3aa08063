/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/**
 * Obtains Node 24 and n8n into the e2e cache (outside the repository), or reuses them.
 * The steps are the ones that work against the registry reachable here (see
 * shared/reference/n8n.md §5): `npm install node@24`; `npm install n8n --ignore-scripts` (a full
 * install would build Kafka from source and download zlib/openssl); then rebuild sqlite3 against
 * local Node headers (N-API, so Node 20 headers serve Node 24).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

import { mustRun } from './processes';
import { N8N_VERSION, n8nCacheDir, NODE_MAJOR } from './versions';

export interface N8nInstall {
	/** The Node 24 binary n8n runs on. */
	node: string;
	/** n8n's bin script (run it with `node`). */
	n8nBin: string;
	/** n8n's package folder, to require n8n's own dependencies (bcryptjs) from it. */
	n8nPackageDir: string;
	/** The folder n8n is installed into (its node_modules hold sqlite3 etc.). */
	appDir: string;
	/** The PATH to give child processes so `node` is Node 24. */
	path: string;
}

const MARKER = '.complete';

function layout(dir = n8nCacheDir()) {
	const node = join(dir, 'node', 'node_modules', 'node', 'bin', 'node');
	const appDir = join(dir, 'app');
	const n8nPackageDir = join(appDir, 'node_modules', 'n8n');
	return {
		dir,
		appDir,
		node,
		n8nPackageDir,
		n8nBin: join(n8nPackageDir, 'bin', 'n8n'),
		path: [dirname(node), process.env.PATH ?? ''].join(delimiter),
	};
}

/** npm must not inherit `npm run`'s config (the repository's ignore-scripts, prefix, …). */
export function npmEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (!/^npm_(config|package|lifecycle)_/i.test(key)) env[key] = value;
	}
	// E2E_NPM_CACHE: a separate npm cache, e.g. an empty one to time a truly cold install.
	const cache = process.env.E2E_NPM_CACHE ? { npm_config_cache: process.env.E2E_NPM_CACHE } : {};
	return {
		...env,
		...cache,
		npm_config_update_notifier: 'false',
		npm_config_fund: 'false',
		...extra,
	};
}

/** Headers node-gyp can build sqlite3 against without downloading them. */
export function findNodeHeaders(): string {
	const candidates = [process.env.E2E_NODE_HEADERS_DIR, '/usr', '/usr/local'];
	const gypCache = join(homedir(), '.cache', 'node-gyp');
	if (existsSync(gypCache)) {
		for (const version of readdirSync(gypCache)) candidates.push(join(gypCache, version));
	}
	const found = candidates.find(
		(dir) => dir && existsSync(join(dir, 'include', 'node', 'node_api.h')),
	);
	if (!found) {
		throw new Error(
			'No Node headers found (include/node/node_api.h under /usr, /usr/local or ~/.cache/node-gyp). ' +
				'Install Debian\'s "libnode-dev"/"nodejs" headers or set E2E_NODE_HEADERS_DIR.',
		);
	}
	return found;
}

function installedN8n(): N8nInstall | undefined {
	const paths = layout();
	const marker = join(paths.dir, MARKER);
	if (!existsSync(marker) || readFileSync(marker, 'utf8').trim() !== N8N_VERSION) return undefined;
	return paths;
}

/** Returns the cached install, making it first when absent (a few minutes, about 3 GB). */
export async function ensureN8n(log: (line: string) => void): Promise<N8nInstall> {
	const ready = installedN8n();
	if (ready) return ready;
	const paths = layout();
	log(`Installing Node ${NODE_MAJOR} and n8n ${N8N_VERSION} into ${paths.dir} (first run only)`);
	rmSync(paths.dir, { recursive: true, force: true });
	for (const part of ['node', 'app']) {
		mkdirSync(join(paths.dir, part), { recursive: true });
		const manifest = { name: `nsx-ata-e2e-${part}`, version: '0.0.0', private: true };
		writeFileSync(join(paths.dir, part, 'package.json'), JSON.stringify(manifest));
	}
	const seconds = (step: { durationMs: number }) => `${(step.durationMs / 1000).toFixed(0)} s`;
	// The node package's preinstall script unpacks the platform binary, so scripts must run.
	const node = await mustRun('npm', ['install', `node@${NODE_MAJOR}`, '--ignore-scripts=false'], {
		cwd: join(paths.dir, 'node'),
		env: npmEnv(),
	});
	log(`  node@${NODE_MAJOR}: ${seconds(node)}`);
	const env = npmEnv({ PATH: paths.path });
	const n8n = await mustRun('npm', ['install', `n8n@${N8N_VERSION}`, '--ignore-scripts'], {
		cwd: join(paths.dir, 'app'),
		env,
		timeoutMs: 40 * 60_000,
	});
	log(`  n8n@${N8N_VERSION}: ${seconds(n8n)}`);
	const sqlite3 = await mustRun('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false'], {
		cwd: join(paths.dir, 'app'),
		env: { ...env, npm_config_nodedir: findNodeHeaders() },
		timeoutMs: 20 * 60_000,
	});
	log(`  sqlite3 rebuild: ${seconds(sqlite3)}`);
	const version = await mustRun(paths.node, [paths.n8nBin, '--version'], { env });
	if (!version.stdout.includes(N8N_VERSION)) {
		throw new Error(`Installed n8n reports version ${version.stdout.trim()}, not ${N8N_VERSION}`);
	}
	writeFileSync(join(paths.dir, MARKER), N8N_VERSION);
	return paths;
}
