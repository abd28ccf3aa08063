/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- development-only code, never shipped in dist/ */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

import type { FaultInjector, FaultKind } from './faults';
import { isRecord } from './context';
import { API_KEY, requestContext, type Instance } from './instance';
import { phpJsonDecode } from './phpJson';
import { AUTH_FAILED, MispException, exceptionReply, phpJsonEncode, type Reply } from './responses';
import { resolvePath } from './router';
import type { SlowMisp } from './slowMode';

export interface RecordedRequest {
	method: string;
	/** Path and query string as requested. */
	path: string;
	/** 0 when the connection was reset instead of answered. */
	status: number;
	/** Request headers, with `authorization` and `x-misp-auth` redacted. */
	headers: Record<string, string>;
	/** Parsed JSON body, the raw text when it was not JSON, or undefined. */
	body?: unknown;
	/** The injected fault that shaped this exchange, if any. */
	fault?: FaultKind;
}

/** How long requests take; changed at run time by `configure`. */
export interface Timing {
	slow?: SlowMisp;
	/**
	 * How long a tag-attaching request holds its transaction open between checking for the tag
	 * and inserting it; concurrent requests in that window both insert (misp.md §10, races).
	 */
	raceWindowMs: number;
}

export interface ServerState {
	instance(): Instance;
	baseUrl(): string;
	faults: FaultInjector;
	requests: RecordedRequest[];
	timing: Timing;
}

const INVALID_JSON =
	'Invalid JSON input. Make sure that the JSON input is a correctly formatted JSON string. This request has been blocked to avoid an unfiltered request.';

/** Routes whose check-then-insert of a tag link races (no unique key on the link tables). */
const TAG_ATTACHING = /^\/(tags\/attachTagToObject|events\/addTag|attributes\/addTag)(\/|\.json|$)/;

const LOGIN_PAGE =
	'<!DOCTYPE html><html><head><title>Users - MISP</title></head><body><form action="/users/login" method="post"><input name="data[User][email]"><input type="password" name="data[User][password]"></form></body></html>';

const HTML = 'text/html; charset=UTF-8';

const INJECTED: Partial<Record<FaultKind, [number, string]>> = {
	http403: [403, 'Forbidden'],
	http404: [404, 'Not Found'],
	http500: [500, 'An Internal Error Has Occurred.'],
};

/** MISP's REST detection: `Accept: application/json` (or JSON preferred) — misp.md §1.1. */
function prefersJson(accept: string | undefined): boolean {
	if (!accept) return false;
	const ranked = accept
		.split(',')
		.map((part, index) => {
			const [type, ...params] = part.trim().split(';');
			const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)).find((m) => m !== null);
			return {
				type: type.trim().toLowerCase(),
				q: q ? Number(q[1]) : 1,
				index,
			};
		})
		.sort((a, b) => b.q - a.q || a.index - b.index);
	return ranked[0]?.type === 'application/json';
}

/** Keys from `X-MISP-AUTH` (wins) or `Authorization`; `Basic …` counts as none; comma-separated. */
function presentedKeys(req: IncomingMessage): string[] {
	const raw = req.headers['x-misp-auth'] ?? req.headers.authorization;
	const value = Array.isArray(raw) ? raw[0] : raw;
	if (!value || value.startsWith('Basic')) return [];
	return value
		.split(',')
		.map((k) => k.trim())
		.filter((k) => API_KEY.test(k));
}

function redactedHeaders(req: IncomingMessage): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(req.headers)) {
		if (value === undefined) continue;
		const secret = name === 'authorization' || name === 'x-misp-auth';
		headers[name] = secret ? '[redacted]' : Array.isArray(value) ? value.join(', ') : value;
	}
	return headers;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/** Objects a request asks MISP to store: one for objects/add, the event's for events/add. */
function objectsToStore(path: string, body: unknown): number {
	if (/^\/objects\/add\b/.test(path)) return 1;
	if (!/^\/events(\/add)?(\.json)?\/?$/.test(path)) return 0;
	const unwrapped = isRecord(body) && 'request' in body ? body.request : body;
	const event = isRecord(unwrapped) && isRecord(unwrapped.Event) ? unwrapped.Event : unwrapped;
	return isRecord(event) && Array.isArray(event.Object) ? event.Object.length : 0;
}

function send(res: ServerResponse, reply: Reply): void {
	const payload =
		typeof reply.body === 'string' || Buffer.isBuffer(reply.body)
			? reply.body
			: reply.phpEncoding
				? phpJsonEncode(reply.body)
				: JSON.stringify(reply.body);
	res.writeHead(reply.status, {
		'Content-Type': 'application/json; charset=UTF-8',
		...reply.headers,
		'Content-Length': Buffer.byteLength(payload),
	});
	res.end(payload);
}

/** Everything between the socket and the handler, in MISP's order: REST, auth, JSON, route. */
function answer(
	state: ServerState,
	req: IncomingMessage,
	path: string,
	bytes: Buffer,
	snapshot: number,
): Reply {
	const method = (req.method ?? 'GET').toUpperCase();
	if (path === '/users/login') {
		return { status: 200, body: LOGIN_PAGE, headers: { 'Content-Type': HTML } };
	}
	const resolved = resolvePath(method, path);
	const isRest =
		resolved.route?.alwaysRest || resolved.jsonSuffix || prefersJson(req.headers.accept);
	if (!isRest) {
		// An anonymous browser request: no API-key login, straight to the login page.
		const location = `${state.baseUrl()}/users/login`;
		return {
			status: 302,
			body: '',
			headers: { Location: location, 'Content-Type': HTML },
		};
	}
	const instance = state.instance();
	const user = presentedKeys(req)
		.map((key) => instance.users.get(key))
		.find((u) => u !== undefined);
	if (!user) return exceptionReply(403, AUTH_FAILED, path);
	if (user.disabled) {
		return exceptionReply(403, 'Authentication failed. Your user account has been disabled.', path);
	}
	let body: unknown;
	// Like CakePHP, only a JSON content type gets the body parsed at all.
	if (/json/i.test(req.headers['content-type'] ?? '') && bytes.toString('latin1').trim() !== '') {
		const decoded = phpJsonDecode(bytes);
		if (!decoded) return exceptionReply(405, INVALID_JSON, path);
		body = decoded.value;
	}
	const route = resolved.route;
	if (!route) return exceptionReply(404, 'Not Found', path);
	if (!route.methods.includes(method)) {
		const allowed = route.methods.join(' or ');
		return exceptionReply(405, `This action can only be reached via ${allowed} requests.`, path);
	}
	try {
		const { args, named } = resolved;
		const request = { method, path, baseUrl: state.baseUrl(), body, args, named };
		return route.handler(requestContext(instance, user, request, snapshot));
	} catch (error) {
		if (error instanceof MispException) {
			return exceptionReply(error.status, error.message, path, error.headers);
		}
		console.error('misp simulator: handler failed', error);
		return exceptionReply(500, 'An Internal Error Has Occurred.', path);
	}
}

/** Records each request, applies injected faults, and answers the rest as MISP would. */
export function mispRequestListener(state: ServerState): RequestListener {
	const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
		const slow = state.timing.slow;
		const release = slow ? await slow.admit(req.socket) : () => undefined;
		if (!release) return;
		try {
			await serve(req, res, slow);
		} finally {
			release();
		}
	};
	const serve = async (
		req: IncomingMessage,
		res: ServerResponse,
		slow?: SlowMisp,
	): Promise<void> => {
		const snapshot = state.instance().store.sequence;
		const bytes = await readBody(req);
		const text = bytes.toString('utf8');
		const url = new URL(req.url ?? '/', state.baseUrl());
		const record: RecordedRequest = {
			method: req.method ?? 'GET',
			path: url.pathname + url.search,
			status: 0,
			headers: redactedHeaders(req),
		};
		if (text !== '') {
			try {
				record.body = JSON.parse(text) as unknown;
			} catch {
				record.body = text;
			}
		}
		state.requests.push(record);
		const plan = state.faults.plan(url.pathname);
		if (plan.delayMs > 0) await new Promise((r) => setTimeout(r, plan.delayMs));
		const fault = plan.fault;
		const shapedBy = fault?.kind ?? (plan.delayMs > 0 ? 'latency' : undefined);
		if (shapedBy) record.fault = shapedBy;
		if (fault?.kind === 'reset' && fault.phase !== 'after') {
			req.socket.destroy();
			return;
		}
		const forced = fault ? INJECTED[fault.kind] : undefined;
		if (!forced) {
			if (slow) await slow.store(objectsToStore(url.pathname, record.body));
			if (TAG_ATTACHING.test(url.pathname) && state.timing.raceWindowMs > 0) {
				await new Promise((r) => setTimeout(r, state.timing.raceWindowMs));
			}
		}
		const reply = forced
			? exceptionReply(forced[0], forced[1], url.pathname)
			: answer(state, req, url.pathname, bytes, snapshot);
		if (fault?.kind === 'reset') {
			// The write has been applied; the client never learns it.
			req.socket.destroy();
			return;
		}
		record.status = reply.status;
		send(res, reply);
	};
	return (req, res) => {
		handle(req, res).catch((error: unknown) => {
			console.error('misp simulator: unexpected error', error);
			if (!res.headersSent) {
				send(res, exceptionReply(500, 'An Internal Error Has Occurred.', req.url ?? '/'));
			}
		});
	};
}
