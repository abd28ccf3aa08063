/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/**
 * PostgreSQL and Redis for queue mode, each on 127.0.0.1 with its data in a temporary folder.
 * Debian's `postgresql` and `redis-server` packages are installed with apt-get when absent.
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
 */
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

import { type Daemon, mustRun, runCommand, startDaemon, waitFor } from './processes';
import { freePort } from './server';

/** Debian packages, installed without questions. */
export async function aptInstall(packages: string[]): Promise<void> {
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	await mustRun('apt-get', ['update', '-q'], { env, timeoutMs: 10 * 60_000 });
	await mustRun('apt-get', ['install', '-y', '-q', ...packages], { env, timeoutMs: 20 * 60_000 });
}

function postgresBinDir(): string | undefined {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return undefined;
	const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
	const found = versions.find((version) => existsSync(join(root, version, 'bin', 'initdb')));
	return found ? join(root, found, 'bin') : undefined;
}

export async function ensureServicePackages(log: (line: string) => void): Promise<void> {
	const missing: string[] = [];
	if (!postgresBinDir()) missing.push('postgresql');
	if (!existsSync('/usr/bin/redis-server')) missing.push('redis-server');
	if (missing.length === 0) return;
	log(`Installing ${missing.join(', ')} (apt-get)`);
	await aptInstall(missing);
}

export interface Service {
	port: number;
	stop(): Promise<void>;
}

/**
 * A throw-away PostgreSQL cluster with trust auth on loopback and the given databases, in its
 * own temporary folder (the `postgres` user must be able to reach it).
 */
export async function startPostgres(databases: string[]): Promise<Service & { dir: string }> {
	const dir = mkdtempSync(join(tmpdir(), 'nsx-ata-postgres-'));
	const bin = postgresBinDir();
	if (!bin) throw new Error('PostgreSQL is not installed');
	const asRoot = userInfo().uid === 0;
	// Spawned directly as `postgres` (not via runuser) so that stopping it reaches PostgreSQL.
	const user = asRoot ? await postgresIds() : undefined;
	const data = join(dir, 'data');
	const sockets = join(dir, 'sockets');
	mkdirSync(data, { recursive: true });
	mkdirSync(sockets, { recursive: true });
	if (user) for (const folder of [dir, data, sockets]) chownSync(folder, user.uid, user.gid);
	const env = { ...process.env, HOME: dir };
	await mustRun(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8'], {
		user,
		env,
	});
	const port = await freePort();
	const daemon: Daemon = startDaemon(
		join(bin, 'postgres'),
		['-D', data, '-h', '127.0.0.1', '-p', String(port), '-k', sockets],
		join(dir, 'postgres.log'),
		{ user, env },
	);
	const psql = (sql: string) =>
		runCommand('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-tAc', sql]);
	await waitFor('PostgreSQL', async () => (await psql('select 1')).code === 0, 60_000, 300);
	for (const database of databases) {
		const created = await psql(`CREATE DATABASE ${database}`);
		if (created.code !== 0) throw new Error(`CREATE DATABASE ${database} failed: ${created.stderr}`);
	}
	return {
		port,
		dir,
		stop: async () => {
			await daemon.stop(20_000);
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
	const uid = Number((await mustRun('id', ['-u', 'postgres'])).stdout.trim());
	const gid = Number((await mustRun('id', ['-g', 'postgres'])).stdout.trim());
	return { uid, gid };
}

/** Redis without persistence on loopback. */
export async function startRedis(dir: string): Promise<Service> {
	mkdirSync(dir, { recursive: true });
	const port = await freePort();
	const daemon = startDaemon(
		'redis-server',
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
		join(dir, 'redis.log'),
	);
	await waitFor(
		'Redis',
		async () => (await runCommand('redis-cli', ['-p', String(port), 'ping'])).stdout.includes('PONG'),
		30_000,
		200,
	);
	return { port, stop: () => daemon.stop() };
}
