/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development-only code, never shipped in dist/ */
/**
 * `n8n start` on 127.0.0.1 with an owner set from the environment, a session for the internal
 * REST API (/rest) and an API key for the public API (/api/v1), as an operator would use them.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

import type { N8nInstance } from './n8nCli';
import { type Daemon, startDaemon, waitFor } from './processes';
import { OWNER, secret } from './secrets';

/** A free loopback port (n8n cannot take port 0). */
export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

/** Environment that makes n8n create (and keep) the owner account at start-up. */
export function ownerEnvironment(instance: N8nInstance): NodeJS.ProcessEnv {
	// n8n's own bcryptjs, so the hash is exactly what n8n verifies.
	const requireFromN8n = createRequire(join(instance.install.n8nPackageDir, 'package.json'));
	const bcrypt = requireFromN8n('bcryptjs') as { hashSync(value: string, rounds: number): string };
	return {
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
		N8N_INSTANCE_OWNER_FIRST_NAME: OWNER.firstName,
		N8N_INSTANCE_OWNER_LAST_NAME: OWNER.lastName,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: secret(bcrypt.hashSync(OWNER.password, 10)),
	};
}

export interface HttpResult {
	status: number;
	headers: Headers;
	text: string;
	json<T = unknown>(): T;
}

export class N8nServer {
	private cookie = '';
	private apiKey = '';
	private readonly browserId = randomUUID();

	private constructor(
		readonly baseUrl: string,
		readonly daemon: Daemon,
	) {}

	/** Starts `n8n start` (or `n8n <command>`) and waits until /healthz/readiness answers 200. */
	static async start(
		instance: N8nInstance,
		options: {
			port?: number;
			command?: string;
			logName?: string;
			readyTimeoutMs?: number;
			env?: NodeJS.ProcessEnv;
			/**
			 * A log line that marks the end of start-up. /healthz/readiness answers before the
			 * active workflows are set up; an activation sent in between registers no webhook.
			 */
			readyLogLine?: string;
			/** Workers serve no HTTP: readiness is their log line alone. */
			httpProbe?: boolean;
		} = {},
	): Promise<N8nServer> {
		const port = options.port ?? (await freePort());
		const env = {
			...instance.env,
			N8N_PORT: String(port),
			N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/`,
			// Each n8n process runs a task broker; the default port 5679 would clash between them.
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			...options.env,
		};
		const logFile = join(instance.options.userFolder, options.logName ?? 'n8n-start.log');
		const daemon = startDaemon(
			instance.install.node,
			[instance.install.n8nBin, options.command ?? 'start'],
			logFile,
			{ env },
		);
		const server = new N8nServer(`http://127.0.0.1:${port}`, daemon);
		let failure: Error | undefined;
		try {
			await waitFor(
				'n8n to become ready',
				async () => {
					if (daemon.child.exitCode !== null) throw new Error('n8n exited');
					const ready =
						options.httpProbe === false ||
						(await fetch(`${server.baseUrl}/healthz/readiness`)).status === 200;
					const line = options.readyLogLine ?? 'Editor is now accessible via';
					return ready && readFileSync(logFile, 'utf8').includes(line);
				},
				options.readyTimeoutMs ?? 120_000,
				500,
			);
		} catch (error) {
			failure = error as Error;
		}
		if (failure) {
			await daemon.stop();
			throw new Error(`n8n did not start (see ${logFile}): ${failure.message}`);
		}
		return server;
	}

	async stop(): Promise<void> {
		await this.daemon.stop(15_000);
	}

	async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
		const response = await fetch(`${this.baseUrl}${path}`, {
			method,
			headers: {
				accept: 'application/json',
				'browser-id': this.browserId,
				...(this.cookie ? { cookie: this.cookie } : {}),
				...(this.apiKey && path.startsWith('/api/') ? { 'x-n8n-api-key': this.apiKey } : {}),
				...(body !== undefined && !(body instanceof FormData)
					? { 'content-type': 'application/json' }
					: {}),
				...headers,
			},
			body:
				body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
			redirect: 'manual',
		});
		const text = await response.text();
		return {
			status: response.status,
			headers: response.headers,
			text,
			json: <T>() => JSON.parse(text) as T,
		} satisfies HttpResult;
	}

	async mustRequest(method: string, path: string, body?: unknown): Promise<HttpResult> {
		const result = await this.request(method, path, body);
		if (result.status >= 400) {
			throw new Error(`${method} ${path} answered ${result.status}: ${result.text.slice(0, 500)}`);
		}
		return result;
	}

	/** Owner session for /rest (cookie), then an API key for /api/v1. */
	async logIn(): Promise<void> {
		const login = await this.request('POST', '/rest/login', {
			emailOrLdapLoginId: OWNER.email,
			password: OWNER.password,
		});
		if (login.status !== 200) throw new Error(`Owner login failed with HTTP ${login.status}`);
		const setCookie = login.headers.getSetCookie().map((cookie) => cookie.split(';')[0]);
		this.cookie = secret(setCookie.join('; '));
		const scopes = (await this.mustRequest('GET', '/rest/api-keys/scopes')).json<{
			data: string[];
		}>().data;
		const created = await this.mustRequest('POST', '/rest/api-keys', {
			label: `e2e ${Date.now()}`,
			scopes,
			expiresAt: null,
		});
		this.apiKey = secret(created.json<{ data: { rawApiKey: string } }>().data.rawApiKey);
	}

	async activate(workflowId: string): Promise<void> {
		await this.mustRequest('POST', `/api/v1/workflows/${workflowId}/activate`);
	}

	/**
	 * Waits until a production webhook answers: activation returns before n8n has registered
	 * the workflow's webhooks (about a second on n8n 2.40.7). Probing with GET does not run a
	 * POST-only workflow; n8n then names the method it expects instead of "not registered".
	 */
	async waitForWebhook(path: string, expectedMethod: 'GET' | 'POST'): Promise<void> {
		await waitFor(
			`webhook ${path}`,
			async () => {
				const probe = await this.request('GET', path);
				if (expectedMethod === 'GET') return probe.status === 200;
				return probe.text.includes(`Did you mean to make a ${expectedMethod} request`);
			},
			30_000,
			250,
		);
	}

	async deactivate(workflowId: string): Promise<void> {
		await this.mustRequest('POST', `/api/v1/workflows/${workflowId}/deactivate`);
	}

	/** Executions of a workflow with their data, newest first (public API). */
	async executions(workflowId: string): Promise<PublicExecution[]> {
		const result = await this.mustRequest(
			'GET',
			`/api/v1/executions?workflowId=${workflowId}&includeData=true&limit=250`,
		);
		return result.json<{ data: PublicExecution[] }>().data;
	}
}

export interface PublicExecution {
	id: string;
	finished: boolean;
	mode: string;
	status: string;
	startedAt: string;
	stoppedAt?: string;
	data?: {
		resultData: {
			error?: { message?: string };
			lastNodeExecuted?: string;
			runData: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> } }>>;
		};
	};
}
