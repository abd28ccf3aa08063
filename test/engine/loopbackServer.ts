/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development-only code, never shipped in dist/ */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
	method: string;
	path: string;
	headers: IncomingMessage['headers'];
	body: Buffer;
	/** Set when the client went away before a response was sent (e.g. an aborted request). */
	aborted: boolean;
}

export type Route = (
	request: RecordedRequest,
	response: ServerResponse,
) => void | Promise<void>;

/** A tiny HTTP server on 127.0.0.1 that records every request and answers from a route table. */
export class LoopbackServer {
	readonly requests: RecordedRequest[] = [];

	private readonly routes = new Map<string, Route>();

	private server?: Server;

	get baseUrl(): string {
		const { port } = this.server!.address() as AddressInfo;
		return `http://127.0.0.1:${port}`;
	}

	/** Routes match `METHOD /path` without the query string. */
	route(key: string, handler: Route): this {
		this.routes.set(key, handler);
		return this;
	}

	json(key: string, body: unknown, status = 200): this {
		return this.route(key, (_request, response) => {
			response.writeHead(status, { 'content-type': 'application/json' });
			response.end(JSON.stringify(body));
		});
	}

	async start(): Promise<this> {
		this.server = createServer((req, res) => void this.handle(req, res));
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		return this;
	}

	async stop(): Promise<void> {
		this.server?.closeAllConnections();
		await new Promise<void>((resolve) => this.server?.close(() => resolve()));
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const recorded: RecordedRequest = {
			method: req.method ?? 'GET',
			path: req.url ?? '/',
			headers: req.headers,
			body: Buffer.concat(chunks),
			aborted: false,
		};
		this.requests.push(recorded);
		res.on('close', () => {
			if (!res.writableFinished) recorded.aborted = true;
		});
		const route = this.routes.get(`${recorded.method} ${recorded.path.split('?')[0]}`);
		if (!route) {
			res.writeHead(404, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ message: 'no route' }));
			return;
		}
		await route(recorded, res);
	}
}
