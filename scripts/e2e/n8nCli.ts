/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/** One n8n instance (a user folder and its environment) driven through n8n's own CLI. */
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { EngineCredential } from '../../dev/engine';
import type { N8nInstall } from './install';
import { type CommandResult, runCommand } from './processes';
import { redact, secret } from './secrets';
import { freePort } from './server';

/** One per e2e process, so credentials imported by one CLI command decrypt in the next. */
const INSTANCE_ENCRYPTION = secret(randomBytes(24).toString('hex'));

export interface InstanceOptions {
	/** `N8N_USER_FOLDER`; n8n keeps `.n8n/` (database, nodes, config) under it. */
	userFolder: string;
	/** Folders for `N8N_CUSTOM_EXTENSIONS`. */
	customExtensions?: string[];
	/** Extra environment (queue mode, Postgres, owner, port …). */
	env?: NodeJS.ProcessEnv;
}

/** The environment every e2e n8n process gets: loopback only, nothing phoning home. */
export function n8nEnvironment(install: N8nInstall, options: InstanceOptions): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	// n8n reads many variables; start from a minimal, predictable set rather than the caller's.
	for (const key of ['HOME', 'LANG', 'TZ', 'TMPDIR']) {
		if (process.env[key] !== undefined) env[key] = process.env[key];
	}
	return {
		...env,
		PATH: install.path,
		N8N_USER_FOLDER: options.userFolder,
		N8N_ENCRYPTION_KEY: INSTANCE_ENCRYPTION,
		DB_TYPE: 'sqlite',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		// n8n runs npm (e.g. `npm outdated` for Settings → Community nodes): keep it off the network
		// and failing fast instead of retrying for a minute.
		N8N_COMMUNITY_PACKAGES_REGISTRY: 'http://127.0.0.1:9',
		npm_config_offline: 'true',
		npm_config_fetch_retries: '0',
		EXTERNAL_FRONTEND_HOOKS_URLS: '',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_RUNNERS_MODE: 'internal',
		// The CLI prints its results (`execute --rawOutput`) at level info.
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		// Anything n8n itself would send outside goes to a closed loopback port instead.
		HTTP_PROXY: 'http://127.0.0.1:9',
		HTTPS_PROXY: 'http://127.0.0.1:9',
		NO_PROXY: '127.0.0.1,localhost',
		...(options.customExtensions
			? { N8N_CUSTOM_EXTENSIONS: options.customExtensions.join(';') }
			: {}),
		...options.env,
	};
}

export class N8nInstance {
	readonly env: NodeJS.ProcessEnv;

	constructor(
		readonly install: N8nInstall,
		readonly options: InstanceOptions,
	) {
		mkdirSync(options.userFolder, { recursive: true });
		this.env = n8nEnvironment(install, options);
	}

	/** `<user folder>/.n8n`: what n8n calls its n8n folder. */
	get n8nFolder(): string {
		return join(this.options.userFolder, '.n8n');
	}

	async cli(args: string[], timeoutMs = 5 * 60_000): Promise<CommandResult> {
		const result = await runCommand(this.install.node, [this.install.n8nBin, ...args], {
			// Its own task-broker port, so a CLI run next to a running server does not clash.
			env: { ...this.env, N8N_RUNNERS_BROKER_PORT: String(await freePort()) },
			timeoutMs,
			stdoutFile: join(this.options.userFolder, 'cli-stdout.txt'),
		});
		// Everything n8n printed, kept for the secret scan and for reading after a failure.
		appendFileSync(this.transcript, `$ n8n ${args.join(' ')}\n${result.stdout}\n${result.stderr}\n`);
		return result;
	}

	/** All CLI output of this instance. */
	get transcript(): string {
		return join(this.options.userFolder, 'cli.log');
	}

	async mustCli(args: string[], timeoutMs?: number): Promise<CommandResult> {
		const result = await this.cli(args, timeoutMs);
		if (result.code !== 0) {
			const tail = redact(`${result.stdout}\n${result.stderr}`).trim().split('\n').slice(-40);
			throw new Error(`n8n ${args.join(' ')} exited with ${result.code}:\n${tail.join('\n')}`);
		}
		return result;
	}

	/** `n8n import:credentials`: plaintext data in, encrypted with the instance key. */
	async importCredentials(credentials: EngineCredential[]): Promise<void> {
		const file = join(this.options.userFolder, 'credentials.import.json');
		writeFileSync(file, JSON.stringify(credentials), { mode: 0o600 });
		await this.mustCli(['import:credentials', `--input=${file}`]);
	}

	async importWorkflow(workflow: object & { id: string }): Promise<void> {
		const file = join(this.options.userFolder, `workflow-${workflow.id}.json`);
		writeFileSync(file, JSON.stringify(workflow, null, '\t'));
		await this.mustCli(['import:workflow', `--input=${file}`]);
	}

	/** `n8n execute --id --rawOutput`; the run (or the failure) as n8n reports it. */
	async execute(workflowId: string): Promise<CliExecution> {
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput']);
		const run = parseRunJson(result.stdout);
		return { ...result, run };
	}
}

export interface CliExecution extends CommandResult {
	/** The IRun JSON n8n printed, when it printed one. */
	run?: ExecutionRun;
}

export interface ExecutionItem {
	json: Record<string, unknown>;
	binary?: Record<string, { fileName?: string; mimeType?: string; fileSize?: string }>;
	pairedItem?: unknown;
}

export interface ExecutionRun {
	status?: string;
	mode?: string;
	data: {
		resultData: {
			error?: { message?: string; description?: string; node?: { name?: string } };
			lastNodeExecuted?: string;
			runData: Record<
				string,
				Array<{
					executionStatus?: string;
					error?: { message?: string };
					data?: { main?: Array<ExecutionItem[] | null> };
				}>
			>;
		};
	};
}

/**
 * The run JSON n8n prints (indented by two spaces) between its log lines: from a line that is
 * exactly `{` to the next line that is exactly `}`.
 */
export function parseRunJson(stdout: string): ExecutionRun | undefined {
	const lines = stdout.split('\n');
	const start = lines.indexOf('{');
	const end = lines.indexOf('}', start);
	if (start < 0 || end < 0) return undefined;
	try {
		return JSON.parse(lines.slice(start, end + 1).join('\n')) as ExecutionRun;
	} catch {
		return undefined;
	}
}

/** Items a node emitted on one output in its last run. */
export function nodeItems(run: ExecutionRun, nodeName: string, output = 0): ExecutionItem[] {
	const runs = run.data.resultData.runData[nodeName];
	if (!runs?.length) return [];
	return runs[runs.length - 1].data?.main?.[output] ?? [];
}
