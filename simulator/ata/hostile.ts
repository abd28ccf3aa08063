/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/**
 * Hostile-server mode: a proxy in front of a faithful ATA simulator that behaves as a compromised or
 * spoofed appliance would, for chosen requests only, and forwards everything else unchanged. The
 * faithful simulator stays as it is; the misbehaviour lives here.
 *
 * A case is armed with a `match` (a substring of the request's query or form body, e.g. a task uuid
 * or a submitted URL, or `*` for every request of the route), so the other items of a batch keep
 * getting faithful answers.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import type { AtaSimulator } from './server';

export type HostileCase =
	/** 200 and a JSON prefix, then filler for as long as the client reads. */
	| 'endlessBody'
	/** A complete, valid JSON answer of `sizeBytes` (default 64 MB), with its Content-Length. */
	| 'hugeBody'
	/** Headers at once, then one byte every `intervalMs` (default 1000). */
	| 'dripBody'
	/** The connection is accepted and nothing is ever sent. */
	| 'slowHeaders'
	/** analysis/completed: always `more_results_available: 1`, one new task per page. */
	| 'endlessCursor'
	/** An error envelope (code 104) whose text repeats the request: form body, query, cookie. */
	| 'echoError'
	/** Forwarded to the simulator (so it takes effect), then answered by a gateway's 503 page. */
	| 'gateway503'
	/** The real answer with its `analysis_subjects` replaced by `count` copies sharing one overview id. */
	| 'amplification'
	/** A success envelope whose data nests `depth` (default 200,000) levels. */
	| 'deepNesting';

export interface HostileRule {
	case: HostileCase;
	/** Route without `.json`, e.g. `analysis/get`, `authentication/login`. */
	route: string;
	/** Substring of the query string or request body, or `*`. */
	match: string;
	sizeBytes?: number;
	intervalMs?: number;
	count?: number;
	depth?: number;
}

export interface HostileRequest {
	route: string;
	/** The case that answered it, if any. */
	hostile?: HostileCase;
}

export interface HostileAta {
	/** Analyst API base (and portal) pointing at the proxy. */
	url: string;
	portalUrl: string;
	readonly requests: HostileRequest[];
	arm(rule: HostileRule): void;
	/** Disarms every rule and forgets the recorded requests. */
	reset(): void;
	count(route: string): number;
	close(): Promise<void>;
}

const FILLER = Buffer.alloc(64 * 1024, 'A');

export async function startHostileAta(upstream: AtaSimulator): Promise<HostileAta> {
	const target = new URL(upstream.url);
	let rules: HostileRule[] = [];
	const requests: HostileRequest[] = [];
	const sockets = new Set<Socket>();
	const timers = new Set<NodeJS.Timeout>();

	const server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const body = Buffer.concat(chunks);
			const url = new URL(request.url ?? '/', 'http://hostile');
			const route = url.pathname.replace(/^\/+/, '').replace(/\.json$/, '');
			const haystack = `${url.search}\n${body.toString('latin1')}`;
			const rule = rules.find((r) => r.route === route && (r.match === '*' || haystack.includes(r.match)));
			requests.push({ route, hostile: rule?.case });
			if (!rule) return forward(request, body, response);
			void misbehave(rule, request, body, url, response);
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	const base = `http://127.0.0.1:${port}`;

	function later(ms: number, run: () => void): void {
		const timer = setTimeout(() => {
			timers.delete(timer);
			run();
		}, ms);
		timers.add(timer);
	}

	async function upstreamAnswer(request: IncomingMessage, body: Buffer): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> {
		return await new Promise((resolve, reject) => {
			const outgoing = httpRequest(
				{
					host: target.hostname,
					port: target.port,
					method: request.method,
					path: request.url,
					headers: { ...request.headers, host: target.host },
				},
				(answer) => {
					const parts: Buffer[] = [];
					answer.on('data', (chunk: Buffer) => parts.push(chunk));
					answer.on('end', () => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(parts) }));
					answer.on('error', reject);
				},
			);
			outgoing.on('error', reject);
			outgoing.end(body);
		});
	}

	function forward(request: IncomingMessage, body: Buffer, response: ServerResponse): void {
		upstreamAnswer(request, body).then(
			(answer) => {
				const headers = { ...answer.headers };
				delete headers['transfer-encoding'];
				headers['content-length'] = String(answer.body.length);
				response.writeHead(answer.status, headers);
				response.end(answer.body);
			},
			() => response.destroy(),
		);
	}

	function json(response: ServerResponse, value: unknown, status = 200): void {
		const text = JSON.stringify(value);
		response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
		response.end(text);
	}

	async function misbehave(rule: HostileRule, request: IncomingMessage, body: Buffer, url: URL, response: ServerResponse): Promise<void> {
		switch (rule.case) {
			case 'endlessBody': {
				response.writeHead(200, { 'content-type': 'application/json' });
				response.write('{"success":1,"data":{"pad":"');
				const pump = (): void => {
					while (!response.destroyed && response.write(FILLER));
					if (!response.destroyed) response.once('drain', pump);
				};
				return pump();
			}
			case 'hugeBody': {
				const size = rule.sizeBytes ?? 64 * 1024 * 1024;
				const head = Buffer.from('{"success":1,"data":{"pad":"');
				const tail = Buffer.from('"}}');
				let left = size - head.length - tail.length;
				response.writeHead(200, { 'content-type': 'application/json', 'content-length': size });
				response.write(head);
				const pump = (): void => {
					while (left > 0 && !response.destroyed) {
						const piece = left >= FILLER.length ? FILLER : FILLER.subarray(0, left);
						left -= piece.length;
						if (!response.write(piece)) return void response.once('drain', pump);
					}
					if (!response.destroyed) response.end(tail);
				};
				return pump();
			}
			case 'dripBody': {
				response.writeHead(200, { 'content-type': 'application/json' });
				const text = '{"success":1,"data":{"pad":"' + 'A'.repeat(1_000_000);
				let index = 0;
				const drip = (): void => {
					if (response.destroyed || index >= text.length) return;
					response.write(text[index++]);
					later(rule.intervalMs ?? 1000, drip);
				};
				return drip();
			}
			case 'slowHeaders':
				return; // Nothing, ever: the client has to give up by itself.
			case 'endlessCursor': {
				const page = requests.filter((r) => r.hostile === 'endlessCursor').length;
				const second = String(page % 60).padStart(2, '0');
				const minute = String(Math.floor(page / 60) % 60).padStart(2, '0');
				const resume = `2030-01-01 00:${minute}:${second}`;
				const uuid = `${page.toString(16).padStart(8, '0')}000040008000000000000000`.slice(0, 32);
				return json(response, {
					success: 1,
					data: { tasks: { [uuid]: 10 }, after: resume, before: resume, resume, more_results_available: 1 },
				});
			}
			case 'echoError': {
				const echoed = `${body.toString('utf8')} ${url.search} cookie=${request.headers.cookie ?? ''}`;
				return json(response, { success: 0, error_code: 104, error: `Invalid request: ${echoed}` });
			}
			case 'gateway503': {
				await upstreamAnswer(request, body).catch(() => undefined);
				const page = '<html><head><title>503 Service Temporarily Unavailable</title></head><body>nginx</body></html>';
				response.writeHead(503, { 'content-type': 'text/html', 'content-length': page.length });
				return void response.end(page);
			}
			case 'amplification': {
				const answer = await upstreamAnswer(request, body);
				const document = JSON.parse(answer.body.toString('utf8')) as unknown;
				amplify(document, rule.count ?? 1000);
				return json(response, document);
			}
			case 'deepNesting': {
				const depth = rule.depth ?? 200_000;
				const text = `{"success":1,"data":{"score":10,"nested":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
				response.writeHead(200, { 'content-type': 'application/json', 'content-length': text.length });
				return void response.end(text);
			}
		}
	}

	return {
		url: base,
		portalUrl: base,
		requests,
		arm(rule) {
			rules.push(rule);
		},
		reset() {
			rules = [];
			requests.length = 0;
		},
		count(route) {
			return requests.filter((r) => r.route === route).length;
		},
		async close() {
			for (const timer of timers) clearTimeout(timer);
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** Replaces the first `analysis_subjects` list with `count` subjects that all share one overview id. */
function amplify(document: unknown, count: number): void {
	const stack: unknown[] = [document];
	while (stack.length > 0) {
		const current = stack.pop();
		if (current === null || typeof current !== 'object') continue;
		const record = current as Record<string, unknown>;
		const subjects = record.analysis_subjects;
		if (Array.isArray(subjects) && subjects.length > 0) {
			const template = JSON.stringify(subjects[0]);
			record.analysis_subjects = Array.from({ length: count }, (_, index) => {
				const subject = JSON.parse(template) as { overview?: Record<string, unknown>; process?: Record<string, unknown> };
				subject.overview = { ...subject.overview, id: 1, parent_id: 1 };
				if (subject.process) subject.process = { ...subject.process, process_id: String(1000 + index) };
				return subject;
			});
			return;
		}
		stack.push(...Object.values(record));
	}
}
