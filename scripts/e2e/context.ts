/** What every e2e scenario shares: the simulators on loopback and the credentials n8n imports. */
import { analystTransport } from '../../dev/undiciTransport';
import { AnalystApiClient } from '../../nodes/shared/ata/analystApi';
import { parseBaseUrl } from '../../nodes/shared/ata/baseUrls';
import { type AtaSimulator, type AtaSimulatorOptions, startAtaSimulator } from '../../simulator/ata';
import { type MispSimulator, startMispSimulator } from '../../simulator/misp';
import type { ImportedCredential } from './n8nCli';
import { ATA_SECRETS, MISP_KEY, secret } from './secrets';
import { startTheHiveStub, type TheHiveStub } from './theHiveStub';

export const THEHIVE_KEY = secret('e2e-thehive-key-5f1c');

export interface Simulators {
	ata: AtaSimulator;
	misp: MispSimulator;
	thehive: TheHiveStub;
	close(): Promise<void>;
}

export async function startSimulators(ataOptions: AtaSimulatorOptions = {}): Promise<Simulators> {
	const ata = await startAtaSimulator({
		analyst: { key: ATA_SECRETS.key, apiToken: ATA_SECRETS.apiToken },
		portal: { username: ATA_SECRETS.username, password: ATA_SECRETS.password },
		...ataOptions,
	});
	const misp = await startMispSimulator({ apiKey: MISP_KEY });
	const thehive = await startTheHiveStub();
	return {
		ata,
		misp,
		thehive,
		close: async () => {
			await Promise.all([ata.close(), misp.close(), thehive.close()]);
		},
	};
}

/** The credentials the playbooks reference (ids `ata`, `misp`, `thehive`), pointing at loopback. */
export function e2eCredentials(sims: Simulators): ImportedCredential[] {
	return [
		{
			id: 'ata',
			name: 'NSX ATA',
			type: 'nsxAtaAnalystApi',
			data: {
				environment: 'onPremise',
				baseUrl: sims.ata.url,
				apiKey: ATA_SECRETS.key,
				apiToken: ATA_SECRETS.apiToken,
			},
		},
		{
			id: 'misp',
			name: 'MISP',
			type: 'mispApi',
			data: { baseUrl: sims.misp.url, apiKey: MISP_KEY, allowUnauthorizedCerts: false },
		},
		{
			id: 'thehive',
			name: 'TheHive',
			type: 'theHiveProjectApi',
			data: { ApiKey: THEHIVE_KEY, url: sims.thehive.url },
		},
	];
}

/** An Analyst API client of our own, to compute what the playbooks should have stored. */
export function analystClient(ata: AtaSimulator): AnalystApiClient {
	return new AnalystApiClient({
		base: parseBaseUrl(ata.url, 'base URL'),
		request: analystTransport({
			environment: 'onPremise',
			baseUrl: ata.url,
			apiKey: ATA_SECRETS.key,
			apiToken: ATA_SECRETS.apiToken,
		}),
	});
}

export const analysisLink = (ata: AtaSimulator, taskUuid: string, portal = ata.portalUrl) =>
	`${portal}/portal#/analyst/task/${taskUuid}/overview`;
