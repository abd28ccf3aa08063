/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/**
 * Hostile server text and JSON at the parsing seam: secrets echoed by the server are scrubbed in every
 * encoding, nesting is cut iteratively, a gateway's 503 counts as an unknown outcome, and a body is
 * read with a size cap and a deadline.
 */
import { once } from 'node:events';
import { createServer, get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

import { derivePortalUrl, parseBaseUrl } from '../../../nodes/shared/ata/baseUrls';
import { parseEnvelope } from '../../../nodes/shared/ata/envelope';
import { AtaError } from '../../../nodes/shared/ata/errors';
import { analystBaseUrl } from '../../../nodes/shared/ata/loginCredentials';
import { withRetries } from '../../../nodes/shared/ata/retry';
import { boundedJson, countDepthMarkers, DEPTH_MARKER, secretForms } from '../../../nodes/shared/ata/serverJson';
import { readBounded, type AtaHttpResponse } from '../../../nodes/shared/ata/transport';

// Stand-ins for a configured API key and token.
const KEY = 'k3y/with+odd chars&=';
const SECOND = ['tok3n', '0123456789'].join('-');

function response(status: number, body: string): AtaHttpResponse {
	return { status, headers: {}, body: Buffer.from(body, 'utf8') };
}

function failure(status: number, body: string, forms: string[] = []): AtaError {
	try {
		parseEnvelope(response(status, body), 'authentication/login', forms);
	} catch (error) {
		return error as AtaError;
	}
	throw new Error('no error');
}

describe('secrets in server text', () => {
	it('scrubs a login error that repeats the form body, raw, URL- and form-encoded', () => {
		const form = new URLSearchParams({ key: KEY, api_token: SECOND }).toString();
		const echoed = `bad request: ${form} | ${encodeURIComponent(KEY)} | ${encodeURIComponent(KEY).toLowerCase()} | ${KEY}`;
		const error = failure(200, JSON.stringify({ success: 0, error_code: 104, error: echoed }), secretForms([KEY, SECOND]));
		expect(error.message).toMatch(/^ATA error 104: bad request: key=\[redacted\]&api_token=\[redacted\]/);
		for (const form of secretForms([KEY, SECOND])) expect(error.message).not.toContain(form);
		expect(error.message).not.toContain(SECOND.slice(0, 8));
	});

	it('scrubs secrets from data, keys included', () => {
		const data = parseEnvelope(
			response(200, JSON.stringify({ success: 1, data: { note: `x ${SECOND} y`, [SECOND]: 1 } })),
			'analysis/get',
			secretForms([SECOND]),
		);
		expect(data).toEqual({ note: 'x [redacted] y', '[redacted]': 1 });
	});
});

describe('nesting', () => {
	it('cuts 200,000 levels without recursion, warns by marker, and the result serialises', () => {
		const depth = 200_000;
		const parsed = JSON.parse(`{"a":${'['.repeat(depth)}${']'.repeat(depth)},"b":"kept"}`) as unknown;
		expect(() => JSON.stringify(parsed)).toThrow(/call stack/);
		const bounded = boundedJson(parsed, []);
		expect(() => JSON.stringify(bounded)).not.toThrow();
		expect(countDepthMarkers(bounded)).toBe(1);
		expect((bounded as { b: string }).b).toBe('kept');
		expect(JSON.stringify(bounded)).toContain(DEPTH_MARKER);
	});

	it('keeps key order, array order, and `__proto__` as a plain key', () => {
		const parsed = JSON.parse('{"z":1,"a":[3,2,{"__proto__":{"polluted":true},"y":0}],"m":"s3cret"}') as unknown;
		// A secret to scrub forces the copying path.
		const bounded = boundedJson(parsed, secretForms(['s3cret'])) as Record<string, unknown>;
		expect(JSON.stringify(bounded)).toBe('{"z":1,"a":[3,2,{"__proto__":{"polluted":true},"y":0}],"m":"[redacted]"}');
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});
});

describe('outcome rule', () => {
	it('a 503 without an ATA envelope is an unknown outcome; ATA’s own 503 proves nothing happened', () => {
		expect(failure(503, '<html><title>503 Service Temporarily Unavailable</title></html>').retry).toBe('ifIdempotent');
		expect(failure(503, '').retry).toBe('ifIdempotent');
		expect(failure(503, '{"message":"upstream unavailable"}').retry).toBe('ifIdempotent');
		expect(failure(503, '{"success":0,"error":"Service Unavailable"}').retry).toBe('safe');
	});
});

describe('bounded body', () => {
	it('stops reading past the size limit and closes the stream', async () => {
		let produced = 0;
		const endless = new Readable({
			read() {
				produced += 65_536;
				this.push(Buffer.alloc(65_536));
			},
		});
		await expect(readBounded(endless, 1_000_000, new AbortController().signal)).rejects.toMatchObject({ failure: 'tooLarge' });
		expect(endless.destroyed).toBe(true);
		expect(produced).toBeLessThan(2_000_000);
	});

	it('refuses a declared length over the limit without buffering it', async () => {
		const stream = Readable.from([Buffer.alloc(10)]);
		await expect(readBounded(stream, 5, new AbortController().signal, 1 << 30)).rejects.toMatchObject({ failure: 'tooLarge' });
	});

	// n8n hands over axios' `Readable.from` wrapper, not the response: a refused body must still close
	// its connection, or the socket stays open (paused) after the server has gone.
	it.each([
		['a declared length over the limit', new AbortController().signal],
		['a deadline already passed', AbortSignal.abort(new DOMException('late', 'TimeoutError'))],
	])('closes the connection of a body refused for %s', async (_case, signal) => {
		const server = createServer((_request, answer) => {
			answer.writeHead(200, { 'content-length': 1 << 30 });
			answer.write(Buffer.alloc(65_536));
		});
		server.listen(0, '127.0.0.1');
		await once(server, 'listening');
		try {
			const response = (await new Promise<IncomingMessage>((resolve, reject) =>
				get(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, resolve).on('error', reject),
			)) as IncomingMessage;
			const wrapped = Readable.from((async function* () {
				for await (const chunk of response) yield chunk as Buffer;
			})());
			await expect(readBounded(wrapped, 5, signal, 1 << 30)).rejects.toBeDefined();
			if (!response.socket.destroyed) await once(response.socket, 'close');
			expect(response.socket.destroyed).toBe(true);
		} finally {
			server.closeAllConnections();
			server.close();
		}
	}, 5_000);

	it('ends at the deadline however slowly bytes arrive', async () => {
		const drip = new Readable({ read() {} });
		const interval = setInterval(() => drip.push('x'), 20);
		try {
			await expect(readBounded(drip, 1_000_000, AbortSignal.timeout(200))).rejects.toMatchObject({ failure: 'timeout' });
		} finally {
			clearInterval(interval);
		}
	});
});

describe('retry budget', () => {
	it('gives the first attempt its own timeout and every retry the end of the budget', async () => {
		const deadlines: number[] = [];
		let clock = 1000;
		const outcome = withRetries(
			async (deadline) => {
				deadlines.push(deadline);
				throw new AtaError('busy', { kind: 'api', retry: 'safe' });
			},
			true,
			{ policy: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, maxTotalMs: 5000 }, now: () => clock++ },
		);
		await expect(outcome).rejects.toThrow('busy');
		expect(deadlines).toEqual([Infinity, 6000, 6000]);
	});
});

describe('plain-object lookups', () => {
	it('a host or environment named like an Object.prototype member is just a name', () => {
		expect(derivePortalUrl(parseBaseUrl('https://constructor', 'base URL')).href).toBe('https://constructor/');
		expect(derivePortalUrl(parseBaseUrl('https://__proto__', 'base URL')).href).toBe('https://__proto__/');
		expect(analystBaseUrl({ environment: 'constructor' as 'us' })).toBe('https://analysis.lastline.com');
		expect(analystBaseUrl({ environment: 'toString' as 'us' })).toBe('https://analysis.lastline.com');
	});
});
