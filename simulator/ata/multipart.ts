/** A multipart/form-data parser (no multipart library is installed; the wire layout is part of the contract). */
export interface MultipartPart {
	name: string;
	/** Present for file parts (including the official client's `dummy-ascii-name-for-file-param`). */
	filename?: string;
	/** The part's own Content-Type header, if it sent one (the official client sends none). */
	contentType?: string;
	data: Buffer;
}

const HEADER_END = Buffer.from('\r\n\r\n');

export function multipartBoundary(contentType: string): string | undefined {
	const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
	return match ? (match[1] ?? match[2]) : undefined;
}

/** Splits a complete body into parts; throws on a body that is not valid multipart for `boundary`. */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
	const delimiter = Buffer.from(`--${boundary}`);
	const parts: MultipartPart[] = [];
	let position = body.indexOf(delimiter);
	if (position < 0) throw new Error('multipart body without its boundary');
	for (;;) {
		position += delimiter.length;
		if (body.subarray(position, position + 2).toString('latin1') === '--') return parts;
		if (body.subarray(position, position + 2).toString('latin1') !== '\r\n') {
			throw new Error('malformed multipart delimiter line');
		}
		const headerStart = position + 2;
		const headerEnd = body.indexOf(HEADER_END, headerStart);
		if (headerEnd < 0) throw new Error('multipart part without header terminator');
		const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd);
		if (next < 0) throw new Error('multipart body without closing boundary');
		const headers = parseHeaders(body.subarray(headerStart, headerEnd).toString('utf8'));
		parts.push({ ...describePart(headers), data: body.subarray(headerEnd + 4, next) });
		position = next + 2;
	}
}

function parseHeaders(block: string): Map<string, string> {
	const headers = new Map<string, string>();
	for (const line of block.split('\r\n')) {
		const colon = line.indexOf(':');
		if (colon > 0)
			headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
	}
	return headers;
}

function describePart(headers: Map<string, string>): Omit<MultipartPart, 'data'> {
	const disposition = headers.get('content-disposition');
	if (!disposition) throw new Error('multipart part without Content-Disposition');
	const params = dispositionParams(disposition);
	const name = params.get('name');
	if (name === undefined) throw new Error('multipart part without a name');
	const filename = params.get('filename*') ?? params.get('filename');
	const contentType = headers.get('content-type');
	return {
		name,
		...(filename !== undefined ? { filename } : {}),
		...(contentType !== undefined ? { contentType } : {}),
	};
}

/** Handles quoted values (with backslash escapes, as urllib3 writes them) and RFC 5987 `filename*=UTF-8''…`. */
function dispositionParams(disposition: string): Map<string, string> {
	const params = new Map<string, string>();
	const pattern = /;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
	for (const match of disposition.matchAll(pattern)) {
		const key = match[1].toLowerCase();
		let value = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3].trim();
		if (key.endsWith('*')) {
			const extended = /^([^']*)'[^']*'(.*)$/.exec(value);
			if (extended) value = decodeURIComponent(extended[2]);
		}
		params.set(key, value);
	}
	return params;
}
