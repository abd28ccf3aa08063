/**
 * The request function used inside n8n: every ATA call rides `httpRequestWithAuthentication`, so
 * n8n's credential store, proxy and TLS settings apply and the credential type's `authenticate`
 * adds the login secrets. Redirects are never followed (a redirect must not carry the session).
 */
import type { IAllExecuteFunctions, ICredentialsDecrypted, IHttpRequestOptions } from 'n8n-workflow';

import { NODE_MANAGED_SESSION } from './credentialSession';

import {
	type AtaHttpResponse,
	type AtaRequestFunction,
	classifySystemCode,
	findSystemCode,
	TransportError,
} from './transport';
import { settle } from './text';

/** Any n8n function context that can make authenticated requests (execute, poll, trigger…). */
export type RequestContext = IAllExecuteFunctions;

interface FullResponse {
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
	return async (request) => {
		const options: IHttpRequestOptions = {
			method: request.method,
			url: request.url,
			headers: request.headers,
			body: request.body,
			json: false,
			encoding: 'arraybuffer',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: request.timeoutMs,
			skipSslCertificateValidation: request.ignoreCertificateErrors,
			abortSignal: request.signal,
		};
		const sent = await settle(
			nodeManaged().then(async (credentialsDecrypted) =>
				await context.helpers.httpRequestWithAuthentication.call(context, credentialType, options, {
					credentialsDecrypted,
				}),
			),
		);
		if (!sent.ok) {
			// n8n wraps the transport error; keep only its system code, never its request config.
			const code = findSystemCode(sent.error);
			throw new TransportError(request.signal?.aborted ? 'cancelled' : classifySystemCode(code), code);
		}
		const response = sent.value as FullResponse;
		return toAtaResponse(response);
	};
}

function toAtaResponse(response: FullResponse): AtaHttpResponse {
	const { body } = response;
	let bytes: Buffer;
	if (Buffer.isBuffer(body)) bytes = body;
	else if (body instanceof ArrayBuffer) bytes = Buffer.from(body);
	else if (typeof body === 'string') bytes = Buffer.from(body, 'utf8');
	else if (body === undefined || body === null) bytes = Buffer.alloc(0);
	else bytes = Buffer.from(JSON.stringify(body), 'utf8');
	return { status: response.statusCode, headers: response.headers ?? {}, body: bytes };
}
