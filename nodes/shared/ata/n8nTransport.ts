/**
 * The request function used inside n8n: every ATA call rides `httpRequestWithAuthentication`, so
 * n8n's credential store, proxy and TLS settings apply and the credential type's `authenticate`
 * adds the login secrets. Redirects are never followed (a redirect must not carry the session).
 * Bodies are read as streams with a size cap and one deadline per request (n8n buffers bodies
 * without a limit, and its timeout restarts with every byte).
 */
import type { IAllExecuteFunctions, ICredentialsDecrypted, IHttpRequestOptions } from 'n8n-workflow';

import { NODE_MANAGED_SESSION } from './credentialSession';

import {
	abortedBy,
	abortFailure,
	type AtaHttpRequest,
	type AtaRequestFunction,
	type BodyStream,
	classifySystemCode,
	discardBody,
	findSystemCode,
	headerValues,
	readBounded,
	requestDeadline,
	type AtaHttpResponse,
	TransportError,
} from './transport';
import { settle } from './text';

/** Any n8n function context that can make authenticated requests (execute, poll, trigger…). */
export type RequestContext = IAllExecuteFunctions;

export interface FullResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

export function n8nRequestFunction(context: RequestContext, credentialType: string): AtaRequestFunction {
	// The client keeps its own session (it renews on error 122, which n8n cannot see), so n8n gets the
	// credential marked as such and does not log in a second time for it (pre-authentication).
	let credentials: Promise<ICredentialsDecrypted> | undefined;
	const nodeManaged = () =>
		(credentials ??= context.getCredentials(credentialType).then((data) => ({
			id: credentialType,
			name: credentialType,
			type: credentialType,
			data: { ...data, session: NODE_MANAGED_SESSION },
		})));
	return boundedRequestFunction(
		async (options) =>
			(await context.helpers.httpRequestWithAuthentication.call(context, credentialType, options, {
				credentialsDecrypted: await nodeManaged(),
			})) as FullResponse,
	);
}

/** Sends through an n8n request helper with the size cap, the single deadline and no redirects. */
export function boundedRequestFunction(
	send: (options: IHttpRequestOptions) => Promise<FullResponse>,
): AtaRequestFunction {
	return async (request) => {
		// One deadline for headers and body; n8n's own `timeout` only measures idle time.
		const { signal, release } = requestDeadline(request);
		try {
			return await exchange(send, request, signal);
		} finally {
			release();
		}
	};
}

async function exchange(
	send: (options: IHttpRequestOptions) => Promise<FullResponse>,
	request: AtaHttpRequest,
	signal: AbortSignal,
): Promise<AtaHttpResponse> {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: request.url,
		headers: request.headers,
		body: request.body,
		json: false,
		// A stream, so the body is read here with a size cap instead of buffered whole by n8n.
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		timeout: request.timeoutMs,
		skipSslCertificateValidation: request.ignoreCertificateErrors,
		// n8n replaces this with the execution's cancel signal inside an execution, hence the race below.
		abortSignal: signal,
	};
	const pending = send(options);
	const sent = await settle(Promise.race([pending, abortedBy(signal)]));
	if (!sent.ok) {
		// Headers that arrive after the deadline still open a stream: close it.
		pending.then(
			(late) => {
				if (isStream(late.body)) discardBody(late.body);
			},
			() => undefined,
		);
		if (sent.error instanceof TransportError) throw sent.error;
		// n8n wraps the transport error; keep only its system code, never its request config.
		const code = findSystemCode(sent.error);
		throw new TransportError(signal.aborted ? abortFailure(signal).failure : classifySystemCode(code), code);
	}
	const response = sent.value;
	const body = await readBody(response, request, signal);
	return { status: response.statusCode, headers: response.headers ?? {}, body };
}

async function readBody(response: FullResponse, request: AtaHttpRequest, signal: AbortSignal): Promise<Buffer> {
	const { body } = response;
	if (isStream(body)) {
		const [length] = headerValues({ headers: response.headers ?? {} }, 'content-length');
		const declared = length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
		return await readBounded(body, request.maxResponseBytes, signal, declared);
	}
	let bytes: Buffer;
	if (Buffer.isBuffer(body)) bytes = body;
	else if (typeof body === 'string') bytes = Buffer.from(body, 'utf8');
	else if (body === undefined || body === null) bytes = Buffer.alloc(0);
	else bytes = Buffer.from(JSON.stringify(body), 'utf8');
	if (bytes.length > request.maxResponseBytes) throw new TransportError('tooLarge');
	return bytes;
}

function isStream(body: unknown): body is BodyStream {
	return (
		typeof body === 'object' &&
		body !== null &&
		typeof (body as BodyStream).on === 'function' &&
		typeof (body as BodyStream).destroy === 'function'
	);
}
