/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/** The simulator's HTTP server: loopback only, node:http (node:https with `tls`) only. */
import { randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

import { errors, failure, type ApiResponse } from './apiEnvelope';
import { analystRoutes } from './analystRoutes';
import { FaultInjector } from './faults';
import { portalRoutes } from './portalRoutes';
import { parseBody, readBody, searchParamsToRecord, type ParsedBody } from './requestBody';
import { recordRequest } from './requestLog';
import { dispatch, normalizeRoute, type RouteDefinition } from './routing';
import { parseCookies, SessionStore } from './sessions';
import { TaskStore, type Completion } from './taskStore';
import { makeTlsMaterial } from './tls';
import type {
	AnalystCredentials,
	AtaSimulatorOptions,
	FaultSpec,
	PortalCredentials,
	RecordedRequest,
	Submission,
	TaskSeed,
} from './types';

export interface AtaSimulator {
	/** Analyst API base, e.g. http://127.0.0.1:PORT (https with `tls`). */
	url: string;
	/** Portal origin (same server; PAPI under /papi); analysis links are `${portalUrl}/portal#/analyst/task/<uuid>/overview`. */
	portalUrl: string;
	credentials: { analyst: AnalystCredentials; portal: PortalCredentials };
	/** With `tls`: the file holding the PEM of the CA that signed the server certificate, and that PEM. */
	caFile?: string;
	ca?: Buffer;
	/** The seed in use (given, or drawn at start and at every reset): pass it as `seed` to repeat a run. */
	readonly seed: number;
	/** Every request received, in arrival order (cleared in place by reset()). */
	readonly requests: RecordedRequest[];
	/** Every accepted submission, cached ones included. */
	readonly submissions: Submission[];
	/** Accepted submissions for a sha256 (files) or URL. */
	submissionCount(contentKey: string): number;
	/**
	 * Requests whose URL carried a credential (parameter name or configured secret value). The
	 * service accepts them, so the simulator does too; tests assert the project's client sends none.
	 */
	requestsWithCredentialsInUrl(): RecordedRequest[];
	injectFault(fault: FaultSpec): void;
	clearFaults(): void;
	/** Seeds a task (complete unless `state: 'pending'`); returns its uuid. */
	addTask(task: TaskSeed): string;
	/** Forces completion now; throws for an unknown uuid. */
	completeTask(taskUuid: string): void;
	taskState(taskUuid: string): 'pending' | 'complete' | undefined;
	/** Every current session becomes unknown (next call → 122). */
	expireSessions(): void;
	/** Back to the initial state: records, faults, sessions and tasks (fixture tasks only). */
	reset(): void;
	close(): Promise<void>;
}

/** The default analysis time: long enough to see pending answers, short enough to try by hand. */
export const DEFAULT_COMPLETE_AFTER_MS = 30_000;

export const DEFAULT_ANALYST: AnalystCredentials = { key: 'sim-key', apiToken: 'sim-token' };
export const DEFAULT_PORTAL: PortalCredentials = {
	username: 'analyst@example.com',
	password: 'sim-password',
};

const ALL_ROUTES: Record<string, RouteDefinition> = { ...analystRoutes, ...portalRoutes };

const GATEWAY_TITLES: Record<number, string> = { 502: 'Bad Gateway', 504: 'Gateway Time-out' };

export async function startAtaSimulator(options: AtaSimulatorOptions = {}): Promise<AtaSimulator> {
	const analyst = { ...(options.analyst ?? DEFAULT_ANALYST) };
	const portal = { ...(options.portal ?? DEFAULT_PORTAL) };
	const clock = options.clock ?? Date.now;
	const drawSeed = () => options.seed ?? randomInt(1, 2 ** 31);
	let seed = drawSeed();
	const completion: Completion =
		options.pollCountedCompletion !== undefined
			? { afterPolls: options.pollCountedCompletion }
			: { afterMs: options.completeAfterMs ?? DEFAULT_COMPLETE_AFTER_MS, spreadMs: options.completeSpreadMs ?? 0 };
	// Short values would make the leak check match innocent URLs.
	const secrets = [analyst.key, analyst.apiToken, portal.password].filter(
		(secret) => secret.length >= 4,
	);
	const newStore = () =>
		new TaskStore({
			seed,
			clock,
			reportSizeBytes: options.reportSizeBytes ?? 60_000,
			completion,
		});
	let store = newStore();
	const sessions = new SessionStore();
	const faults = new FaultInjector(seed);
	const requests: RecordedRequest[] = [];
	const sockets = new Set<Socket>();
	const timers = new Set<NodeJS.Timeout>();
	let inFlight = 0;

	const delay = (ms: number): Promise<void> =>
		ms <= 0
			? Promise.resolve()
			: new Promise((resolve) => {
					const timer = setTimeout(() => {
						timers.delete(timer);
						resolve();
					}, ms);
					timers.add(timer);
				});

	const send = (response: ServerResponse, record: RecordedRequest, answer: ApiResponse): void => {
		if (response.destroyed) return;
		const payload = Buffer.from(JSON.stringify(answer.body));
		response.writeHead(answer.status, {
			'content-type': 'application/json',
			'content-length': payload.length,
			...answer.headers,
		});
		response.end(payload);
		record.status = answer.status;
	};

	/** Faults that replace the answer (before processing, or after it with phase 'after'). */
	const replace = (
		fault: FaultSpec,
		request: IncomingMessage,
		response: ServerResponse,
		record: RecordedRequest,
		real: ApiResponse | undefined,
	): void => {
		record.fault = fault.kind;
		if (response.destroyed) return;
		const retryAfter = { 'retry-after': String(fault.retryAfterSeconds ?? 1) };
		switch (fault.kind) {
			case 'http429':
				return send(response, record, {
					...failure(undefined, 'Too Many Requests', 429),
					headers: retryAfter,
				});
			case 'http500':
				return send(response, record, failure(undefined, 'Internal Server Error', 500));
			case 'http503':
				return send(response, record, {
					...failure(undefined, 'Service Unavailable', 503),
					...(fault.retryAfterSeconds !== undefined ? { headers: retryAfter } : {}),
				});
			case 'error107':
				return send(response, record, errors.temporarilyUnavailable());
			case 'error115':
				return send(response, record, errors.submissionLimit());
			case 'sessionExpired':
				sessions.drop(parseCookies(request.headers.cookie));
				return send(response, record, errors.authenticationRequired());
			case 'reset':
				request.socket.resetAndDestroy();
				return;
			case 'timeout':
				return; // never answered; close() or the client's own timeout ends it
			case 'gatewayHtml': {
				const status = fault.status ?? 502;
				const title = `${status} ${GATEWAY_TITLES[status]}`;
				const html = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
				response.writeHead(status, {
					'content-type': 'text/html',
					'content-length': Buffer.byteLength(html),
				});
				response.end(html);
				record.status = status;
				return;
			}
			case 'truncatedJson': {
				const payload = Buffer.from(JSON.stringify(real?.body));
				const cut = payload.subarray(
					0,
					Math.min(payload.length - 1, fault.truncateAtBytes ?? Math.floor(payload.length / 2)),
				);
				response.writeHead(real?.status ?? 200, {
					'content-type': 'application/json',
					'content-length': cut.length,
					...real?.headers,
				});
				response.end(cut);
				record.status = real?.status ?? 200;
				return;
			}
			case 'slowBody':
				void dribble(fault, response, record, real ?? failure(undefined, 'no answer'));
				return;
			case 'latency':
				return; // never selected as a replacement
		}
	};

	const dribble = async (
		fault: FaultSpec,
		response: ServerResponse,
		record: RecordedRequest,
		answer: ApiResponse,
	): Promise<void> => {
		const payload = Buffer.from(JSON.stringify(answer.body));
		const chunk = Math.max(1, fault.chunkBytes ?? 16);
		response.writeHead(answer.status, {
			'content-type': 'application/json',
			'content-length': payload.length,
			...answer.headers,
		});
		record.status = answer.status;
		for (let offset = 0; offset < payload.length && !response.destroyed; offset += chunk) {
			if (offset > 0) await delay(fault.chunkIntervalMs ?? 100);
			response.write(payload.subarray(offset, offset + chunk));
		}
		response.end();
	};

	const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
		inFlight++;
		response.on('close', () => inFlight--);
		const overCapacity = options.concurrencyCap !== undefined && inFlight > options.concurrencyCap;
		const receivedAt = clock();
		// Concatenated, not resolved: `//analysis/...` (a base with a trailing slash) would parse as a host.
		const url = new URL(`http://127.0.0.1${request.url ?? '/'}`);
		const { route, format } = normalizeRoute(url.pathname);
		const raw = await readBody(request);
		let body: ParsedBody | undefined;
		try {
			body = parseBody(request.headers['content-type'], raw);
		} catch {
			body = undefined;
		}
		const cookies = parseCookies(request.headers.cookie);
		const record = recordRequest({
			sequence: requests.length + 1,
			receivedAt,
			request,
			url,
			...(Object.hasOwn(ALL_ROUTES, route) ? { route } : {}),
			cookieNames: [...cookies.keys()],
			body,
			secrets,
		});
		requests.push(record);
		if (overCapacity) {
			record.fault = 'concurrencyCap';
			return send(response, record, {
				...failure(undefined, 'Too Many Requests', 429),
				headers: { 'retry-after': '1' },
			});
		}
		const before = faults.select(route, 'before');
		await delay(before.delayMs);
		if (before.fault) return replace(before.fault, request, response, record, undefined);
		const answer = body
			? dispatch(ALL_ROUTES, route, format, {
					method: request.method ?? 'GET',
					params: { ...searchParamsToRecord(url.searchParams), ...body.fields },
					files: body.files,
					cookies,
					store,
					sessions,
					analyst,
					portal,
					completedPageSize: options.completedPageSize ?? 100,
					now: clock(),
				})
			: failure(undefined, 'Malformed request body', 400);
		await delay(options.latencyMs ?? 0);
		const after = faults.select(route, 'after');
		if (after.fault) return replace(after.fault, request, response, record, answer);
		send(response, record, answer);
	};

	const tls = options.tls
		? await makeTlsMaterial(options.tls === true ? undefined : options.tls.caFile)
		: undefined;
	const listener = (request: IncomingMessage, response: ServerResponse) => {
		handle(request, response).catch((error: unknown) => {
			if (!response.headersSent) {
				response.writeHead(500, { 'content-type': 'application/json' });
				response.end(JSON.stringify({ success: 0, error: `Simulator failure: ${String(error)}` }));
			}
		});
	};
	const server = tls ? createTlsServer({ key: tls.key, cert: tls.cert }, listener) : createServer(listener);
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
	});
	const base = `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;

	return {
		url: base,
		portalUrl: base,
		credentials: { analyst, portal },
		...(tls ? { caFile: tls.caFile, ca: tls.ca } : {}),
		get seed() {
			return seed;
		},
		requests,
		get submissions() {
			return store.submissions;
		},
		submissionCount: (contentKey) =>
			store.submissions.filter((submission) => submission.contentKey === contentKey).length,
		requestsWithCredentialsInUrl: () => requests.filter((record) => record.credentialsInUrl),
		injectFault: (fault) => faults.add(fault),
		clearFaults: () => faults.clear(),
		addTask: (task) => store.add(task).uuid,
		completeTask(taskUuid) {
			const task = store.get(taskUuid);
			if (!task) throw new Error(`Unknown task ${taskUuid}`);
			store.complete(task);
		},
		taskState(taskUuid) {
			const task = store.get(taskUuid);
			return task && (task.completedAt === undefined ? 'pending' : 'complete');
		},
		expireSessions: () => sessions.clear(),
		reset() {
			requests.length = 0;
			faults.clear();
			sessions.clear();
			seed = drawSeed();
			store = newStore();
		},
		close() {
			for (const timer of timers) clearTimeout(timer);
			timers.clear();
			for (const socket of sockets) socket.destroy();
			return new Promise((resolve, reject) =>
				server.close((error) => (error ? reject(error) : resolve())),
			);
		},
	};
}
