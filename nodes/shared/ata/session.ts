/**
 * One logged-in conversation with one ATA API: builds requests, keeps the session cookie,
 * logs in lazily (once, even when many items call at the same time), logs in again once per
 * request on error 122 or HTTP 401, and retries what may be retried.
 *
 * Retry rule for submissions: ATA answers a repeated submission of the same file (by content hash)
 * or URL with the existing analysis, so a submission is repeated after an unknown outcome (reset,
 * timeout, 5xx, cut-off answer) only when `bypass_cache` is off. With `bypass_cache` on, only
 * failures that prove the service did nothing (429, a 503 in ATA's own envelope, error 107, refused
 * connection, expired session) are retried; anything else is reported so that no analysis is started
 * twice. A 503 without ATA's envelope comes from a gateway that may have forwarded the request.
 *
 * Every request has one deadline for its whole answer and a cap on its size (see `limits.ts`); a
 * retry never runs past the retry budget. Server text is scrubbed of the credential's secrets and
 * of the session cookie before it reaches an error or the caller (`serverJson.ts`).
 */
import { parseEnvelope } from './envelope';
import { DEFAULT_LIMITS, describeBytes } from './limits';
import { secretForms } from './serverJson';
import { adviceForCode, AtaError } from './errors';
import { joinUrl } from './baseUrls';
import { type FormFields, multipart, type MultipartFile, urlEncoded } from './formEncoding';
import { cancelledError, DEFAULT_RETRY_POLICY, type RetryPolicy, withRetries } from './retry';
import { settle, settleNow } from './text';
import {
	type AtaHttpRequest,
	type AtaHttpResponse,
	type AtaRequestFunction,
	headerValues,
	type HttpMethod,
	TransportError,
} from './transport';

export type AtaApi = 'analyst' | 'portal';

export interface SessionOptions {
	api: AtaApi;
	/** Analyst API base, or the portal (the Portal API lives under `<portal>/papi`). */
	base: URL;
	request: AtaRequestFunction;
	ignoreCertificateErrors?: boolean;
	retryPolicy?: RetryPolicy;
	/** Total time per request, headers and body; uploads get `uploadTimeoutMs`. */
	timeoutMs?: number;
	uploadTimeoutMs?: number;
	/** The longest answer accepted. */
	maxResponseBytes?: number;
	/** The credential's secrets: scrubbed from every server text. */
	secrets?: ReadonlyArray<string | undefined>;
	signal?: AbortSignal;
	onRetry?: (error: AtaError, attempt: number, delayMs: number) => void;
}

export interface CallOptions {
	method: HttpMethod;
	query?: FormFields;
	form?: FormFields;
	file?: MultipartFile;
	/** Whether repeating the call after an unknown outcome is harmless. */
	idempotent: boolean;
	/** HTTP statuses this endpoint uses instead of an error envelope, mapped to ATA codes. */
	statusCodes?: Record<number, number>;
}

const LOGIN_ENDPOINT: Record<AtaApi, string> = {
	analyst: 'authentication/login',
	portal: 'papi/login',
};

export class AtaSession {
	private cookie?: string;
	private login?: Promise<string>;
	private readonly retryPolicy: RetryPolicy;

	constructor(private readonly options: SessionOptions) {
		this.retryPolicy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
	}

	get api(): AtaApi {
		return this.options.api;
	}

	/** Calls `endpoint` (e.g. `analysis/get`) and returns the envelope's `data`. */
	async call(endpoint: string, call: CallOptions): Promise<unknown> {
		return await withRetries((deadline) => this.callOnce(endpoint, call, deadline), call.idempotent, {
			policy: this.retryPolicy,
			signal: this.options.signal,
			onRetry: this.options.onRetry,
		});
	}

	private async callOnce(endpoint: string, call: CallOptions, deadline: number): Promise<unknown> {
		const cookie = await this.sessionCookie();
		const first = await settle(this.send(endpoint, call, cookie, deadline));
		if (first.ok) return first.value;
		if (!(first.error instanceof AtaError) || first.error.retry !== 'relogin') throw first.error;
		// The session expired: log in again and repeat this request once.
		this.forget(cookie);
		const second = await settle(this.send(endpoint, call, await this.sessionCookie(), deadline));
		if (second.ok) return second.value;
		const error = second.error;
		if (error instanceof AtaError && error.retry === 'relogin') {
			throw new AtaError('ATA rejected the session right after a fresh login', {
				kind: 'api',
				code: error.code,
				httpStatus: error.httpStatus,
				retry: 'never',
				hint: 'Check that the credential belongs to this ATA instance.',
				endpoint,
			});
		}
		throw error;
	}

	private async send(endpoint: string, call: CallOptions, cookie: string, deadline: number): Promise<unknown> {
		const response = await this.exchange(endpoint, call, { Cookie: cookie }, deadline);
		const outcome = settleNow(() => parseEnvelope(response, endpoint, this.secretForms()));
		if (outcome.ok) return outcome.value;
		const error = outcome.error;
		const mapped = error instanceof AtaError && !error.code && call.statusCodes?.[response.status];
		if (!mapped) throw error;
		// Endpoints such as analysis/get signal "unknown uuid" / "not ready" by HTTP status alone.
		throw new AtaError(`ATA error ${mapped}: HTTP ${response.status}`, {
			kind: 'api',
			code: mapped,
			httpStatus: response.status,
			retry: 'never',
			hint: adviceForCode(mapped).hint,
			endpoint,
		});
	}

	/** The current session cookie, logging in first if there is none (single flight). */
	private async sessionCookie(): Promise<string> {
		if (this.cookie) return this.cookie;
		this.login ??= this.logIn().finally(() => (this.login = undefined));
		return await this.login;
	}

	/** The credential's secrets and the session cookie's values, in every encoding. */
	private secretForms(): string[] {
		const cookieValues = (this.cookie ?? '').split(';').map((pair) => pair.split('=').slice(1).join('='));
		return secretForms([...(this.options.secrets ?? []), ...cookieValues.filter((value) => value.length >= 8)]);
	}

	private forget(cookie: string): void {
		if (this.cookie === cookie) this.cookie = undefined;
	}

	private async logIn(): Promise<string> {
		const endpoint = LOGIN_ENDPOINT[this.options.api];
		// The body stays empty here: the credential layer adds the secrets to exactly this request.
		const response = await this.exchange(endpoint, { method: 'POST', form: {}, idempotent: true }, {}, Infinity);
		const cookie = sessionFromLogin(response, endpoint, this.secretForms());
		this.cookie = cookie;
		return cookie;
	}

	/** One HTTP exchange; `deadline` (epoch ms) is the retry budget's end, which shortens the timeout. */
	private async exchange(
		endpoint: string,
		call: CallOptions,
		headers: Record<string, string>,
		deadline: number,
	): Promise<AtaHttpResponse> {
		if (this.options.signal?.aborted) throw cancelledError();
		const query = call.query ? urlEncoded(call.query) : '';
		const timeoutMs = call.file
			? (this.options.uploadTimeoutMs ?? DEFAULT_LIMITS.uploadTimeoutMs)
			: (this.options.timeoutMs ?? DEFAULT_LIMITS.timeoutMs);
		const request: AtaHttpRequest = {
			method: call.method,
			url: joinUrl(this.options.base, `${endpoint}.json`) + (query ? `?${query}` : ''),
			headers: { Accept: 'application/json', ...headers },
			timeoutMs: Math.min(timeoutMs, deadline - Date.now()),
			maxResponseBytes: this.options.maxResponseBytes ?? DEFAULT_LIMITS.maxResponseBytes,
			ignoreCertificateErrors: this.options.ignoreCertificateErrors ?? false,
			signal: this.options.signal,
		};
		if (request.timeoutMs <= 0) throw transportFailure(new TransportError('timeout'), endpoint, request);
		if (call.file) {
			const { contentType, body } = multipart(call.form ?? {}, call.file);
			request.headers['Content-Type'] = contentType;
			request.body = body;
		} else if (call.form) {
			request.headers['Content-Type'] = 'application/x-www-form-urlencoded';
			request.body = urlEncoded(call.form);
		}
		const sent = await settle(this.options.request(request));
		if (sent.ok) return sent.value;
		throw transportFailure(sent.error, endpoint, request);
	}
}

export function transportFailure(error: unknown, endpoint: string, request: AtaHttpRequest): AtaError {
	if (error instanceof AtaError) return error;
	const failure = error instanceof TransportError ? error.failure : 'other';
	const message = error instanceof TransportError ? error.message : 'The ATA server could not be reached';
	switch (failure) {
		case 'cancelled':
			return cancelledError();
		case 'tooLarge':
			return new AtaError(`${message} of ${describeBytes(request.maxResponseBytes)}`, {
				kind: 'protocol',
				// Repeating would only fetch the same oversized answer again.
				retry: 'never',
				hint:
					'Raise "Max Response Size (MB)" under the node\'s Limits if the reports of your appliance ' +
					'are really this large; otherwise the server is misbehaving.',
				endpoint,
			});
		case 'refused':
			return new AtaError(message, {
				kind: 'network',
				retry: 'safe',
				hint: 'Check the base URL and that the ATA server is running.',
				endpoint,
			});
		case 'tls':
			return new AtaError(message, {
				kind: 'tls',
				retry: 'never',
				hint:
					'The server certificate is not trusted. For an on-premise appliance with its own ' +
					'certificate, enable "Ignore SSL Issues (Insecure)" in the credential.',
				endpoint,
			});
		case 'timeout':
			return new AtaError(`${message} (within ${Math.max(0, Math.round(request.timeoutMs / 100) / 10)} s)`, {
				kind: 'timeout',
				retry: 'ifIdempotent',
				hint:
					'The server is slow, unreachable or sends its answer too slowly; try again later, or raise ' +
					'"Request Timeout (Seconds)" under the node\'s Limits.',
				endpoint,
			});
		default:
			return new AtaError(message, {
				kind: 'network',
				retry: 'ifIdempotent',
				hint: 'Check the base URL and the network path to the ATA server.',
				endpoint,
			});
	}
}

/**
 * The session cookie a login answer sets (its name=value pairs, as a `Cookie` header value), or the
 * error that says why there is none. Shared by the node's sessions and the credential types'
 * pre-authentication, so both read a login the same way.
 */
export function sessionFromLogin(
	response: AtaHttpResponse,
	endpoint: string,
	secretForms: readonly string[] = [],
): string {
	const login = settleNow(() => parseEnvelope(response, endpoint, secretForms));
	if (!login.ok) {
		const error = login.error;
		// A 401 or 122 on the login itself means the credentials, not the session, are wrong.
		if (!(error instanceof AtaError) || error.retry !== 'relogin') throw error;
		throw new AtaError(`ATA refused the login (HTTP ${response.status})`, {
			kind: 'api',
			code: error.code,
			httpStatus: response.status,
			retry: 'never',
			hint: 'Check the credential and its base URL.',
			endpoint,
		});
	}
	const cookie = headerValues(response, 'set-cookie')
		.map((line) => line.split(';', 1)[0].trim())
		.filter((pair) => pair.includes('='))
		.join('; ');
	if (!cookie) {
		throw new AtaError('The ATA login answer carried no session cookie', {
			kind: 'protocol',
			retry: 'never',
			hint: 'Check that the base URL points at the ATA API.',
			endpoint,
		});
	}
	return cookie;
}
