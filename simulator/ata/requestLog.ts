/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development-only code, never shipped in dist/ */
/** The request log: what clients sent, with secrets redacted, so tests can assert on the wire. */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

import type { ParsedBody } from './requestBody';
import { CREDENTIAL_QUERY_NAMES } from './routing';
import type { RecordedRequest } from './types';

export const REDACTED = '[REDACTED]';

const SECRET_FIELDS = new Set(['key', 'api_token', 'password']);
const SECRET_HEADERS = new Set(['cookie', 'authorization']);

export interface RequestFacts {
	sequence: number;
	receivedAt: number;
	request: IncomingMessage;
	url: URL;
	route?: string;
	cookieNames: string[];
	body: ParsedBody | undefined;
	/** Configured secret values: any of them appearing in a URL counts as a leak. */
	secrets: string[];
}

export function recordRequest(facts: RequestFacts): RecordedRequest {
	const { request, url, body, secrets } = facts;
	const query: Record<string, string> = {};
	const redactedParams = new URLSearchParams();
	for (const [name, value] of url.searchParams) {
		const safe =
			SECRET_FIELDS.has(name) || CREDENTIAL_QUERY_NAMES.includes(name)
				? REDACTED
				: redactSecrets(value, secrets);
		query[name] = safe;
		redactedParams.append(name, safe);
	}
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(request.headers)) {
		const text = Array.isArray(value) ? value.join(', ') : (value ?? '');
		headers[name] = SECRET_HEADERS.has(name) ? REDACTED : text;
	}
	const fields: Record<string, string> = {};
	for (const [name, value] of Object.entries(body?.fields ?? {}))
		fields[name] = SECRET_FIELDS.has(name) ? REDACTED : value;
	const rawUrl = decodeSafely(request.url ?? '');
	const search = redactedParams.toString();
	return {
		sequence: facts.sequence,
		receivedAt: facts.receivedAt,
		method: request.method ?? 'GET',
		path: redactSecrets(url.pathname, secrets) + (search ? `?${search}` : ''),
		...(facts.route !== undefined ? { route: facts.route } : {}),
		query,
		headers,
		cookieNames: facts.cookieNames,
		bodyKind: body?.kind ?? 'invalid',
		fields,
		files: (body?.files ?? []).map((file) => ({
			field: file.name,
			filename: file.filename ?? '',
			...(file.contentType !== undefined ? { contentType: file.contentType } : {}),
			size: file.data.length,
			sha256: createHash('sha256').update(file.data).digest('hex'),
		})),
		credentialsInUrl:
			CREDENTIAL_QUERY_NAMES.some((name) => url.searchParams.has(name)) ||
			secrets.some((secret) => rawUrl.includes(secret)),
	};
}

function redactSecrets(text: string, secrets: string[]): string {
	return secrets.reduce((result, secret) => result.split(secret).join(REDACTED), text);
}

function decodeSafely(text: string): string {
	try {
		return decodeURIComponent(text.replace(/\+/g, ' '));
	} catch {
		return text;
	}
}
