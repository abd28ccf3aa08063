/**
 * Builds the ATA clients of one node execution from its credential. Nothing is kept between
 * executions (no process-global state), so executions on different workers never share a session.
 */
import type { IAllExecuteFunctions } from 'n8n-workflow';

import { AnalystApiClient, type Progress, type ResultDocument } from './analystApi';
import { derivePortalUrl, isHostedPortal, parseBaseUrl } from './baseUrls';
import {
	type AnalystCredentialData,
	analystBaseUrl,
	type PortalCredentialData,
	portalBaseUrl,
} from './loginCredentials';
import { DEFAULT_LIMITS, type TransferLimits } from './limits';
import { n8nRequestFunction } from './n8nTransport';
import { PortalApiClient } from './portalApi';
import { DEFAULT_RETRY_POLICY } from './retry';

export const ANALYST_CREDENTIAL = 'nsxAtaAnalystApi';
export const PORTAL_CREDENTIAL = 'nsxAtaPortalApi';

export type AtaAuthentication = 'analystApi' | 'portalApi';

/** What query and import need; both APIs provide it. */
export interface ResultSource {
	getProgress(taskUuid: string): Promise<Progress>;
	getResult(taskUuid: string): Promise<ResultDocument>;
}

export interface AtaConnection {
	authentication: AtaAuthentication;
	/** Present with the Analyst API credential. */
	analyst?: AnalystApiClient;
	results: ResultSource;
	/** The portal analysis links point at. */
	portal: URL;
	/** Lastline's hosted service (`saas`) rather than an appliance (`on-premise`). */
	hosted: boolean;
}

export interface ConnectOptions {
	signal?: AbortSignal;
	limits?: TransferLimits;
}

export async function connect(
	context: IAllExecuteFunctions,
	authentication: AtaAuthentication,
	{ limits = DEFAULT_LIMITS, signal }: ConnectOptions = {},
): Promise<AtaConnection> {
	const options = {
		signal,
		retryPolicy: { ...DEFAULT_RETRY_POLICY, maxTotalMs: limits.retryBudgetMs },
		timeoutMs: limits.timeoutMs,
		uploadTimeoutMs: limits.uploadTimeoutMs,
		maxResponseBytes: limits.maxResponseBytes,
	};
	if (authentication === 'portalApi') {
		const credentials = await context.getCredentials<PortalCredentialData>(PORTAL_CREDENTIAL);
		const portal = parseBaseUrl(portalBaseUrl(credentials), 'portal URL');
		const client = new PortalApiClient({
			...options,
			secrets: [credentials.username, credentials.password],
			base: portal,
			request: n8nRequestFunction(context, PORTAL_CREDENTIAL),
			ignoreCertificateErrors: credentials.ignoreSslIssues === true,
		});
		return { authentication, results: client, portal, hosted: isHostedPortal(portal) };
	}
	const credentials = await context.getCredentials<AnalystCredentialData>(ANALYST_CREDENTIAL);
	const base = parseBaseUrl(analystBaseUrl(credentials), 'Analyst API base URL');
	const portal = credentials.portalUrl
		? parseBaseUrl(credentials.portalUrl, 'portal URL')
		: derivePortalUrl(base);
	const analyst = new AnalystApiClient({
		...options,
		secrets: [credentials.apiKey, credentials.apiToken],
		base,
		request: n8nRequestFunction(context, ANALYST_CREDENTIAL),
		ignoreCertificateErrors: credentials.ignoreSslIssues === true,
	});
	return { authentication, analyst, results: analyst, portal, hosted: isHostedPortal(portal) };
}
