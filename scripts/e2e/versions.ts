/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/**
 * The one place the e2e pins what it installs. To move n8n: change N8N_VERSION (check
 * `npm view n8n@<v> engines` for NODE_MAJOR and that the install resolves against the registry),
 * run `npm run e2e` once (a new cache folder is made for the new version), then delete the old
 * folder under `e2eCacheRoot()`. Keep the repository's n8n-workflow/n8n-core/n8n-nodes-base
 * devDependencies on the same release line.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export const N8N_VERSION = '2.40.7';

/** n8n ≥ 2.38 needs Node ≥ 24; the `node` package on npm ships the official binary. */
export const NODE_MAJOR = 24;

/** Root of every e2e cache; E2E_CACHE_DIR overrides it (e.g. to time a cold run). */
export function e2eCacheRoot(): string {
	if (process.env.E2E_CACHE_DIR) return process.env.E2E_CACHE_DIR;
	const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
	return join(base, 'n8n-nodes-nsx-ata', 'e2e');
}

/** Node 24 and n8n live here, keyed by the n8n version. */
export function n8nCacheDir(): string {
	return join(e2eCacheRoot(), `n8n-${N8N_VERSION}`);
}
