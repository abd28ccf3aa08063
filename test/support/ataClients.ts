/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- development-only code, never shipped in dist/ */
/** ATA clients wired to a simulator over real loopback HTTP, with distinctive secrets to scan for. */
import { analystTransport, portalTransport } from '../../dev/undiciTransport';
import { AnalystApiClient } from '../../nodes/shared/ata/analystApi';
import { parseBaseUrl } from '../../nodes/shared/ata/baseUrls';
import { PortalApiClient } from '../../nodes/shared/ata/portalApi';
import type { RetryPolicy } from '../../nodes/shared/ata/retry';
import type { AtaRequestFunction } from '../../nodes/shared/ata/transport';
import { type AtaSimulator, startAtaSimulator } from '../../simulator/ata';
import type { AtaSimulatorOptions } from '../../simulator/ata';

export const SECRETS = {
	key: 'LEAKCHECK-key-7f3a91',
	apiToken: 'LEAKCHECK-token-c42e08',
	username: 'leakcheck-user@example.com',
	password: 'LEAKCHECK-password-99d1b6',
};

/** Fast retries so fault tests stay quick; the budget logic is the same as in production. */
export const FAST_RETRIES: RetryPolicy = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 40, maxTotalMs: 5000 };

export async function startSimulator(options: AtaSimulatorOptions = {}): Promise<AtaSimulator> {
	return await startAtaSimulator({
		analyst: { key: SECRETS.key, apiToken: SECRETS.apiToken },
		portal: { username: SECRETS.username, password: SECRETS.password },
		...options,
	});
}

export interface ClientOptions {
	retryPolicy?: RetryPolicy;
	signal?: AbortSignal;
	timeoutMs?: number;
	request?: AtaRequestFunction;
	credentials?: Partial<typeof SECRETS>;
	onRetry?: () => void;
}

export function analystClient(sim: AtaSimulator, options: ClientOptions = {}): AnalystApiClient {
	const secrets = { ...SECRETS, ...options.credentials };
	return new AnalystApiClient({
		base: parseBaseUrl(sim.url, 'base URL'),
		request: analystTransport(
			{ environment: 'onPremise', baseUrl: sim.url, apiKey: secrets.key, apiToken: secrets.apiToken },
			options.request,
		),
		retryPolicy: options.retryPolicy ?? FAST_RETRIES,
		signal: options.signal,
		timeoutMs: options.timeoutMs,
		uploadTimeoutMs: options.timeoutMs,
		onRetry: options.onRetry,
	});
}

export function portalClient(sim: AtaSimulator, options: ClientOptions = {}): PortalApiClient {
	const secrets = { ...SECRETS, ...options.credentials };
	return new PortalApiClient({
		base: parseBaseUrl(sim.portalUrl, 'portal URL'),
		request: portalTransport(
			{ portalUrl: sim.portalUrl, username: secrets.username, password: secrets.password },
			options.request,
		),
		retryPolicy: options.retryPolicy ?? FAST_RETRIES,
		signal: options.signal,
		timeoutMs: options.timeoutMs,
	});
}

/** Every place a secret could leak to: error text, recorded URLs. */
export function expectNoSecrets(texts: Array<string | undefined>): void {
	for (const text of texts) {
		if (text === undefined) continue;
		for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
	}
}

export function expectNoCredentialsInUrls(sim: AtaSimulator): void {
	expect(sim.requestsWithCredentialsInUrl()).toEqual([]);
	expectNoSecrets(sim.requests.map((request) => request.path));
}
