/**
 * The one seam between the ATA client and the network. Inside n8n the request function rides
 * `httpRequestWithAuthentication` (n8n's credentials, proxy and TLS settings apply); outside n8n
 * (simulator tests, benchmarks, demo) an undici-based function does the same job. Both receive a
 * fully built request without credentials: the login request's credentials are added by the
 * credential type's `authenticate` (in n8n) or by the caller's wrapper (outside n8n).
 */

export type HttpMethod = 'GET' | 'POST';

export interface AtaHttpRequest {
	method: HttpMethod;
	/** Absolute URL. Never carries a credential. */
	url: string;
	headers: Record<string, string>;
	body?: string | Buffer;
	/** Total time for the whole answer, headers and body: a dripping server cannot extend it. */
	timeoutMs: number;
	/** The longest answer body accepted; a longer one fails the request without being buffered. */
	maxResponseBytes: number;
	/** Skip TLS verification (on-prem appliances with their own certificates). */
	ignoreCertificateErrors: boolean;
	signal?: AbortSignal;
}

export interface AtaHttpResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: Buffer;
}

export type AtaRequestFunction = (request: AtaHttpRequest) => Promise<AtaHttpResponse>;

export type TransportFailure = 'refused' | 'reset' | 'timeout' | 'tls' | 'cancelled' | 'tooLarge' | 'other';

/** Thrown by request functions when no HTTP response arrived. Its message names no URL or header. */
export class TransportError extends Error {
	constructor(
		readonly failure: TransportFailure,
		readonly systemCode?: string,
	) {
		super(TRANSPORT_MESSAGES[failure] + (systemCode ? ` (${systemCode})` : ''));
		this.name = 'TransportError';
	}
}

const TRANSPORT_MESSAGES: Record<TransportFailure, string> = {
	refused: 'The ATA server refused the connection',
	reset: 'The connection to the ATA server was closed unexpectedly',
	timeout: 'The ATA server did not answer in time',
	tls: 'The ATA server certificate was not accepted',
	cancelled: 'The request was cancelled',
	tooLarge: 'The ATA answer exceeded the maximum response size',
	other: 'The ATA server could not be reached',
};

const TLS_CODES = new Set([
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'CERT_HAS_EXPIRED',
	'CERT_NOT_YET_VALID',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'ERR_SSL_WRONG_VERSION_NUMBER',
	'EPROTO',
]);

/** Classifies a Node.js / axios / undici system error code. */
export function classifySystemCode(code: string | undefined): TransportFailure {
	if (!code) return 'other';
	if (code === 'ECONNREFUSED') return 'refused';
	if (['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE'].includes(code)) {
		return 'reset';
	}
	if (
		['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT'].includes(code) ||
		code === 'UND_ERR_BODY_TIMEOUT' ||
		code === 'UND_ERR_CONNECT_TIMEOUT'
	) {
		return 'timeout';
	}
	if (code === 'ERR_CANCELED' || code === 'ABORT_ERR' || code === 'UND_ERR_ABORTED') return 'cancelled';
	if (TLS_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL')) return 'tls';
	return 'other';
}

/** Finds a system error code on an error or on its causes (n8n wraps axios errors). */
export function findSystemCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		const { code } = current as { code?: unknown };
		if (typeof code === 'string' && code.length > 0) return code;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

/** Lower-cased header lookup that also folds repeated headers. */
export function headerValues(response: Pick<AtaHttpResponse, 'headers'>, name: string): string[] {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(response.headers)) {
		if (key.toLowerCase() !== wanted || value === undefined) continue;
		return Array.isArray(value) ? value : [value];
	}
	return [];
}

/** The parts of a Node.js readable stream that `readBounded` needs (no import of node:stream). */
export interface BodyStream {
	on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
	on(event: 'end', listener: () => void): unknown;
	on(event: 'error', listener: (error: unknown) => void): unknown;
	destroy(): unknown;
}

/**
 * Reads a response body into memory, failing (and closing the connection) as soon as it grows past
 * `maxBytes` or `signal` aborts: the request's deadline or the execution's cancellation.
 */
export async function readBounded(
	stream: BodyStream,
	maxBytes: number,
	signal: AbortSignal,
	declaredLength?: number,
): Promise<Buffer> {
	return await new Promise<Buffer>((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let done = false;
		const finish = (error?: TransportError): void => {
			if (done) return;
			done = true;
			signal.removeEventListener('abort', onAbort);
			if (error === undefined) return resolve(Buffer.concat(chunks, size));
			chunks.length = 0;
			stream.destroy();
			reject(error);
		};
		const onAbort = (): void => finish(abortFailure(signal));
		// Refused before its first read: destroying alone would not close the connection.
		const refuse = (error: TransportError): void => {
			discardBody(stream);
			reject(error);
		};
		if (signal.aborted) return refuse(abortFailure(signal));
		if (declaredLength !== undefined && declaredLength > maxBytes) return refuse(new TransportError('tooLarge'));
		signal.addEventListener('abort', onAbort, { once: true });
		stream.on('data', (chunk) => {
			const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
			size += bytes.length;
			if (size > maxBytes) return finish(new TransportError('tooLarge'));
			chunks.push(bytes);
		});
		stream.on('end', () => finish());
		stream.on('error', (error) => {
			const code = findSystemCode(error);
			finish(signal.aborted ? abortFailure(signal) : new TransportError(classifySystemCode(code), code));
		});
	});
}

/**
 * Closes a body that will not be read, and its connection. n8n's body is axios' `Readable.from`
 * wrapper around the response: destroyed before its first read, it never touches the response,
 * whose socket then stays open (paused, deaf to the server's close) for the life of the process.
 * So it is read once, then destroyed.
 */
export function discardBody(stream: BodyStream): void {
	stream.on('error', () => undefined);
	stream.on('data', () => stream.destroy());
}

/** Why a combined signal aborted: its deadline passed (a timeout) or the execution was cancelled. */
export function abortFailure(signal: AbortSignal): TransportError {
	const reason = signal.reason as { name?: unknown } | undefined;
	return new TransportError(reason?.name === 'TimeoutError' ? 'timeout' : 'cancelled');
}

/**
 * A signal that aborts at the request's deadline or with the caller's signal, whichever comes first;
 * `release` detaches it from the caller's long-lived signal once the request is over.
 */
export function requestDeadline(request: AtaHttpRequest): { signal: AbortSignal; release: () => void } {
	const controller = new AbortController();
	const deadline = AbortSignal.timeout(Math.max(1, request.timeoutMs));
	const onDeadline = () => controller.abort(deadline.reason);
	const onCancel = () => controller.abort(request.signal?.reason);
	deadline.addEventListener('abort', onDeadline, { once: true });
	request.signal?.addEventListener('abort', onCancel, { once: true });
	if (request.signal?.aborted) onCancel();
	return {
		signal: controller.signal,
		release: () => {
			deadline.removeEventListener('abort', onDeadline);
			request.signal?.removeEventListener('abort', onCancel);
		},
	};
}

/** Rejects when `signal` aborts; for racing a request whose own abort is out of our hands. */
export async function abortedBy(signal: AbortSignal): Promise<never> {
	return await new Promise<never>((_, reject) => {
		if (signal.aborted) reject(abortFailure(signal));
		else signal.addEventListener('abort', () => reject(abortFailure(signal)), { once: true });
	});
}
