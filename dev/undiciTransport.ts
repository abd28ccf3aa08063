/**
 * The ATA request function for code that runs outside n8n (simulator tests, benchmarks, demo):
 * undici over real HTTP, with the same login-secret injection the credential types use inside n8n.
 */
import { Agent, request as undiciRequest } from 'undici';

import { AnalystApiClient } from '../nodes/shared/ata/analystApi';
import { parseBaseUrl } from '../nodes/shared/ata/baseUrls';
import {
	type AnalystCredentialData,
	type PortalCredentialData,
	withAnalystLogin,
	withPortalLogin,
} from '../nodes/shared/ata/loginCredentials';
import {
	type AtaHttpRequest,
	type AtaRequestFunction,
	classifySystemCode,
	findSystemCode,
	TransportError,
} from '../nodes/shared/ata/transport';
import { settle } from '../nodes/shared/ata/text';

const verifyingAgent = new Agent({ connections: 64 });
const trustingAgent = new Agent({ connections: 64, connect: { rejectUnauthorized: false } });

/** A plain request function: no credentials at all (the raw wire, as tests need it). */
export const undiciRequestFunction: AtaRequestFunction = async (request) => {
	const sent = await settle(
		(async () => {
			const response = await undiciRequest(request.url, {
				method: request.method,
				headers: request.headers,
				body: request.body,
				signal: request.signal,
				headersTimeout: request.timeoutMs,
				bodyTimeout: request.timeoutMs,
				dispatcher: request.ignoreCertificateErrors ? trustingAgent : verifyingAgent,
			});
			const body = Buffer.from(await response.body.arrayBuffer());
			return { status: response.statusCode, headers: response.headers, body };
		})(),
	);
	if (sent.ok) return sent.value;
	const code = findSystemCode(sent.error);
	throw new TransportError(request.signal?.aborted ? 'cancelled' : classifySystemCode(code), code);
};

/** Analyst API transport: adds `key`/`api_token` to the configured login request only. */
export function analystTransport(
	credentials: AnalystCredentialData,
	base: AtaRequestFunction = undiciRequestFunction,
): AtaRequestFunction {
	return async (request: AtaHttpRequest) => await base(withAnalystLogin(request, credentials));
}

/** Portal API transport: adds `username`/`password` to the configured login request only. */
export function portalTransport(
	credentials: PortalCredentialData,
	base: AtaRequestFunction = undiciRequestFunction,
): AtaRequestFunction {
	return async (request: AtaHttpRequest) => await base(withPortalLogin(request, credentials));
}

/** An Analyst API client for an ATA simulator, logging in with the simulator's own credentials. */
export function simulatorAnalystClient(sim: {
	url: string;
	credentials: { analyst: { key: string; apiToken: string } };
}): AnalystApiClient {
	const { key, apiToken } = sim.credentials.analyst;
	return new AnalystApiClient({
		base: parseBaseUrl(sim.url, 'base URL'),
		request: analystTransport({ environment: 'onPremise', baseUrl: sim.url, apiKey: key, apiToken }),
	});
}
