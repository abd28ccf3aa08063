/** ATA clients wired to a simulator over real loopback HTTP, with distinctive secrets to scan for. */
import { randomBytes } from 'node:crypto';

import { analystTransport, portalTransport } from '../../dev/undiciTransport';
import { AnalystApiClient } from '../../nodes/shared/ata/analystApi';
import { parseBaseUrl } from '../../nodes/shared/ata/baseUrls';
import { PortalApiClient } from '../../nodes/shared/ata/portalApi';
import type { RetryPolicy } from '../../nodes/shared/ata/retry';
import type { AtaRequestFunction } from '../../nodes/shared/ata/transport';
import { startAtaSimulator } from '../../simulator/ata';
import type { AtaSimulatorOptions, AtaSimulator } from '../../simulator/ata';

/** Distinctive per run, so a leak anywhere is found by a plain substring search. */
const marker = () => `LEAKCHECK-${randomBytes(6).toString('hex')}`;
export const SECRETS = {
	key: marker(),
	apiToken: marker(),
	username: `${marker()}@example.com`,
	password: marker(),
};

/** Fast retries so fault tests stay quick; the budget logic is the same as in production. */
export const FAST_RETRIES: RetryPolicy = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 40, maxTotalMs: 5000 };

/**
 * New analyses finish on the simulator's clock; here only after ten minutes unless a test asks for a
 * shorter `completeAfterMs` (or completes a task itself), so "still running" never depends on speed.
 * A fixed seed keeps fault draws, uuids and reports the same on every run, so a failure replays.
 */
export async function startSimulator(options: AtaSimulatorOptions = {}): Promise<AtaSimulator> {
	return await startAtaSimulator({
		analyst: { key: SECRETS.key, apiToken: SECRETS.apiToken },
		portal: { username: SECRETS.username, password: SECRETS.password },
		completeAfterMs: 10 * 60_000,
		seed: 1,
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
