/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development-only code, never shipped in dist/ */
/** A loopback stand-in for TheHive 5 that records alerts as `POST /api/v1/alert` receives them. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedAlert {
	authorization?: string;
	body: Record<string, unknown>;
}

export interface TheHiveStub {
	url: string;
	alerts: RecordedAlert[];
	close(): Promise<void>;
}

export async function startTheHiveStub(): Promise<TheHiveStub> {
	const alerts: RecordedAlert[] = [];
	const server = createServer((request, response) => {
		let text = '';
		request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
		request.on('end', () => {
			if (request.method === 'POST' && request.url === '/api/v1/alert') {
				const body = JSON.parse(text) as Record<string, unknown>;
				alerts.push({ authorization: request.headers.authorization, body });
				response.writeHead(201, { 'content-type': 'application/json' });
				response.end(JSON.stringify({ _id: `~${alerts.length}`, ...body }));
				return;
			}
			response.writeHead(404).end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		alerts,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
