/**
 * Wire helpers for the simulator contract tests: requests shaped byte-for-byte like the official
 * Lastline Python client and tau-clients send them (python-requests encodings), plus a cookie jar.
 */
import { randomBytes } from 'node:crypto';
import { request } from 'undici';

import type { AtaSimulator } from '../../../simulator/ata';

export interface WireFile {
	name: string;
	filename: string;
	data: Buffer;
	/** python-requests writes no part Content-Type unless the tuple names one. */
	contentType?: string;
}

/** python-requests' multipart layout: text parts in order, then file parts; CRLF framing. */
export function pythonMultipart(
	fields: Array<[string, string]>,
	files: WireFile[],
): { body: Buffer; contentType: string } {
	const boundary = randomBytes(16).toString('hex');
	const chunks: Buffer[] = [];
	for (const [name, value] of fields) {
		chunks.push(
			Buffer.from(
				`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
			),
		);
	}
	for (const file of files) {
		const type = file.contentType ? `Content-Type: ${file.contentType}\r\n` : '';
		chunks.push(
			Buffer.from(
				`--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\n${type}\r\n`,
			),
			file.data,
			Buffer.from('\r\n'),
		);
	}
	chunks.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export interface WireResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
	json: any;
}

export interface CallOptions {
	query?: Record<string, string>;
	form?: Record<string, string>;
	multipart?: { fields: Array<[string, string]>; files: WireFile[] };
	headers?: Record<string, string>;
	/** undici's wait for response headers (the timeout fault never sends any). */
	headersTimeout?: number;
}

/** A requests.Session: keeps whatever cookies the server sets and sends them back. */
export class WireSession {
	readonly cookies = new Map<string, string>();
	readonly setCookieHeaders: string[] = [];

	constructor(private readonly base: string) {}

	async call(
		method: 'GET' | 'POST',
		path: string,
		options: CallOptions = {},
	): Promise<WireResponse> {
		const search = options.query ? `?${new URLSearchParams(options.query).toString()}` : '';
		const headers: Record<string, string> = { ...options.headers };
		let body: Buffer | string | undefined;
		if (options.form) {
			body = new URLSearchParams(options.form).toString();
			headers['content-type'] = 'application/x-www-form-urlencoded';
		} else if (options.multipart) {
			const encoded = pythonMultipart(options.multipart.fields, options.multipart.files);
			body = encoded.body;
			headers['content-type'] = encoded.contentType;
		}
		if (this.cookies.size > 0)
			headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
		const response = await request(`${this.base}${path}${search}`, {
			method,
			headers,
			...(body !== undefined ? { body } : {}),
			...(options.headersTimeout !== undefined ? { headersTimeout: options.headersTimeout } : {}),
		});
		const text = await response.body.text();
		const setCookie = response.headers['set-cookie'];
		for (const header of setCookie === undefined
			? []
			: Array.isArray(setCookie)
				? setCookie
				: [setCookie]) {
			this.setCookieHeaders.push(header);
			const [pair] = header.split(';');
			const equals = pair.indexOf('=');
			this.cookies.set(pair.slice(0, equals), pair.slice(equals + 1));
		}
		let json: unknown;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: response.statusCode, headers: response.headers, text, json };
	}

	/** The official client's login: urlencoded body, empty query string. */
	loginAnalyst(simulator: AtaSimulator): Promise<WireResponse> {
		const { key, apiToken } = simulator.credentials.analyst;
		return this.call('POST', '/authentication/login.json', { form: { key, api_token: apiToken } });
	}

	loginPortal(simulator: AtaSimulator): Promise<WireResponse> {
		const { username, password } = simulator.credentials.portal;
		return this.call('POST', '/papi/login.json', { form: { username, password } });
	}
}

export async function analystSession(simulator: AtaSimulator): Promise<WireSession> {
	const session = new WireSession(simulator.url);
	const login = await session.loginAnalyst(simulator);
	if (login.json?.success !== 1) throw new Error(`login failed: ${login.text}`);
	return session;
}

export async function portalSession(simulator: AtaSimulator): Promise<WireSession> {
	const session = new WireSession(simulator.portalUrl);
	const login = await session.loginPortal(simulator);
	if (login.json?.success !== 1) throw new Error(`portal login failed: ${login.text}`);
	return session;
}

export const FIXTURE_FILE_SHA256 =
	'7dc05efc9d1ce1ae43166de028add06de00beca39c9b9be2a6c55d491f228fed';
export const FIXTURE_URL = 'http://login.webmail-verify.example.com/owa/?realm=corp.example';
export const ATA_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
