/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development-only code, never shipped in dist/ */
/** Small loopback servers for the security suite: an attacker that records, a redirector. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
	method: string;
	url: string;
	headers: IncomingMessage['headers'];
	body: string;
}

export interface LoopbackServer {
	url: string;
	port: number;
	requests: SeenRequest[];
	close(): Promise<void>;
}

export async function startLoopbackServer(
	answer: (request: SeenRequest, response: ServerResponse) => void = (_, response) => {
		response.writeHead(200, { 'Content-Type': 'application/json' });
		response.end('{"success": 1, "data": "true"}');
	},
): Promise<LoopbackServer> {
	const requests: SeenRequest[] = [];
	const server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const seen = {
				method: request.method ?? '',
				url: request.url ?? '',
				headers: request.headers,
				body: Buffer.concat(chunks).toString('utf8'),
			};
			requests.push(seen);
			answer(seen, response);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

/** Answers every request with a redirect of the given status to the same path on `target`. */
export async function startRedirector(target: string, status: number): Promise<LoopbackServer> {
	return await startLoopbackServer((request, response) => {
		response.writeHead(status, { Location: `${target}${request.url}` });
		response.end();
	});
}
