/**
 * A bare HTTP client for the MISP contract tests: real loopback requests through undici, so the
 * same calls can be pointed at a real MISP (base URL + key) instead of the fake.
 */
import { request } from 'undici';

export interface MispCallOptions {
	body?: unknown;
	/** Sent verbatim (for malformed JSON). */
	rawBody?: string;
	/** API key for `Authorization`; null sends none. */
	key?: string | null;
	/** Defaults to `application/json`; null sends none. */
	accept?: string | null;
	headers?: Record<string, string>;
}

export interface MispCallResult {
	status: number;
	headers: Record<string, string>;
	text: string;
	/* eslint-disable-next-line @typescript-eslint/no-explicit-any -- responses are checked field by field */
	json: any;
}

export function mispClient(baseUrl: string, defaultKey: string) {
	return async function call(
		method: string,
		path: string,
		options: MispCallOptions = {},
	): Promise<MispCallResult> {
		const headers: Record<string, string> = { ...options.headers };
		const key = options.key === undefined ? defaultKey : options.key;
		if (key !== null) headers.authorization = key;
		const accept = options.accept === undefined ? 'application/json' : options.accept;
		if (accept !== null) headers.accept = accept;
		let body: string | undefined = options.rawBody;
		if (options.body !== undefined) body = JSON.stringify(options.body);
		if (body !== undefined) headers['content-type'] ??= 'application/json';
		const response = await request(`${baseUrl}${path}`, { method: method as 'GET', headers, body });
		const text = await response.body.text();
		let json: unknown;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		const flat: Record<string, string> = {};
		for (const [name, value] of Object.entries(response.headers)) {
			if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
		}
		return { status: response.statusCode, headers: flat, text, json };
	};
}
