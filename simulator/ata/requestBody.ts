/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development-only code, never shipped in dist/ */
import type { IncomingMessage } from 'node:http';

import { multipartBoundary, parseMultipart, type MultipartPart } from './multipart';

export type BodyKind = 'none' | 'urlencoded' | 'multipart' | 'other';

export interface ParsedBody {
	kind: BodyKind;
	/** Text fields: urlencoded pairs, or multipart parts without a filename. */
	fields: Record<string, string>;
	/** Multipart parts that carry a filename. */
	files: MultipartPart[];
}

export function readBody(request: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => resolve(Buffer.concat(chunks)));
		request.on('error', reject);
	});
}

/** Throws when a declared multipart body is malformed; the caller answers that with HTTP 400. */
export function parseBody(contentType: string | undefined, body: Buffer): ParsedBody {
	const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
	if (type === 'application/x-www-form-urlencoded') {
		return {
			kind: 'urlencoded',
			fields: searchParamsToRecord(new URLSearchParams(body.toString('utf8'))),
			files: [],
		};
	}
	if (type === 'multipart/form-data') {
		const boundary = multipartBoundary(contentType ?? '');
		if (!boundary) throw new Error('multipart/form-data without a boundary');
		const fields: Record<string, string> = {};
		const files: MultipartPart[] = [];
		for (const part of parseMultipart(body, boundary)) {
			if (part.filename === undefined) fields[part.name] = part.data.toString('utf8');
			else files.push(part);
		}
		return { kind: 'multipart', fields, files };
	}
	return { kind: body.length === 0 ? 'none' : 'other', fields: {}, files: [] };
}

/** Last value wins for repeated names, as in the Python frameworks the real service runs on. */
export function searchParamsToRecord(params: URLSearchParams): Record<string, string> {
	const record: Record<string, string> = {};
	for (const [name, value] of params) record[name] = value;
	return record;
}

const TRUE_VALUES = new Set(['1', 'true', 'True']);
const FALSE_VALUES = new Set(['0', 'false', 'False', '']);

/** Booleans arrive as 1/0 (official client, misp-modules) or True/False (tau-clients' str(bool)). */
export function parseBoolean(value: string | undefined): boolean | undefined {
	if (value === undefined) return false;
	if (TRUE_VALUES.has(value)) return true;
	if (FALSE_VALUES.has(value)) return false;
	return undefined;
}
