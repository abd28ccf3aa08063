/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- development-only code, never shipped in dist/ */
/** Child processes for the e2e: one-shot commands with captured output, and long-running servers. */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, createWriteStream, openSync, readFileSync } from 'node:fs';

export interface CommandOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	/** Kill the command after this long (default 20 minutes). */
	timeoutMs?: number;
	/** Text written to stdin. */
	input?: string;
	/**
	 * Send stdout to this file instead of a pipe. Node writes to a pipe asynchronously, so a
	 * child that prints a large result and then calls process.exit() loses the tail of it.
	 */
	stdoutFile?: string;
	/** Run as this user (when we are root), e.g. PostgreSQL, which refuses to run as root. */
	user?: { uid: number; gid: number };
}

export interface CommandResult {
	code: number | null;
	stdout: string;
	stderr: string;
	durationMs: number;
}

/** Runs a command to its end and captures its output; never throws on a non-zero exit. */
export function runCommand(
	command: string,
	args: string[],
	options: CommandOptions = {},
): Promise<CommandResult> {
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const stdoutFd = options.stdoutFile ? openSync(options.stdoutFile, 'w') : undefined;
		const child = spawn(command, args, {
			cwd: options.cwd,
			env: options.env ?? process.env,
			stdio: ['pipe', stdoutFd ?? 'pipe', 'pipe'],
			...options.user,
		});
		const stdout: Buffer[] = [];
		const stderr: Buffer[] = [];
		child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
		child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
		const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20 * 60_000);
		child.on('error', (error) => {
			clearTimeout(timer);
			if (stdoutFd !== undefined) closeSync(stdoutFd);
			reject(error);
		});
		child.on('close', (code) => {
			clearTimeout(timer);
			if (stdoutFd !== undefined) closeSync(stdoutFd);
			resolve({
				code,
				stdout: options.stdoutFile
					? readFileSync(options.stdoutFile, 'utf8')
					: Buffer.concat(stdout).toString('utf8'),
				stderr: Buffer.concat(stderr).toString('utf8'),
				durationMs: Date.now() - started,
			});
		});
		// A child that exits without reading its input must not crash us with EPIPE.
		child.stdin?.on('error', () => undefined);
		child.stdin?.end(options.input ?? '');
	});
}

/** Like runCommand, but a non-zero exit is an error carrying the output's tail. */
export async function mustRun(
	command: string,
	args: string[],
	options: CommandOptions = {},
): Promise<CommandResult> {
	const result = await runCommand(command, args, options);
	if (result.code !== 0) {
		const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-30).join('\n');
		throw new Error(`${command} ${args[0] ?? ''} exited with ${result.code}:\n${tail}`);
	}
	return result;
}

/** A long-running process whose output goes to a log file. */
export interface Daemon {
	child: ChildProcess;
	logFile: string;
	/** SIGTERM, then SIGKILL after graceMs; resolves when the process is gone. */
	stop(graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Servers must not outlive the e2e, also when it is interrupted. */
process.once('exit', () => {
	for (const child of running) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.once(signal, () => process.exit(130));
}

export function startDaemon(
	command: string,
	args: string[],
	logFile: string,
	options: Pick<CommandOptions, 'cwd' | 'env' | 'user'> = {},
): Daemon {
	const log = createWriteStream(logFile, { flags: 'a' });
	const child = spawn(command, args, {
		cwd: options.cwd,
		env: options.env ?? process.env,
		stdio: ['ignore', 'pipe', 'pipe'],
		...options.user,
	});
	child.stdout?.pipe(log);
	child.stderr?.pipe(log);
	running.add(child);
	const exited = new Promise<void>((resolve) =>
		child.once('exit', () => {
			running.delete(child);
			resolve();
		}),
	);
	return {
		child,
		logFile,
		async stop(graceMs = 10_000) {
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGTERM');
				const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
				await exited;
				clearTimeout(timer);
			}
			log.end();
		},
	};
}

/** Polls `probe` until it returns true or the deadline passes. */
export async function waitFor(
	what: string,
	probe: () => Promise<boolean>,
	timeoutMs: number,
	intervalMs = 250,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (await probe().catch(() => false)) return;
		if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}
