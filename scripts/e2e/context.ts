/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development-only code, never shipped in dist/ */
/** What every e2e scenario shares: the simulators on loopback and the credentials n8n imports. */
import { setTimeout as sleep } from 'node:timers/promises';

import type { EngineCredential } from '../../dev/engine';
import { playbookCredentials } from '../../dev/playbooks';
import { simulatorAnalystClient } from '../../dev/undiciTransport';
import { buildAnalysisLink } from '../../nodes/shared/ata/links';
import { type AtaSimulator, type AtaSimulatorOptions, startAtaSimulator } from '../../simulator/ata';
import { type MispSimulator, startMispSimulator } from '../../simulator/misp';
import { startTheHiveStub, type TheHiveStub } from '../../simulator/theHive';
import { ATA_SECRETS, MISP_KEY, secret } from './secrets';

export const THEHIVE_KEY = secret('e2e-thehive-key-5f1c');

export interface Simulators {
	ata: AtaSimulator;
	misp: MispSimulator;
	thehive: TheHiveStub;
	close(): Promise<void>;
}

/** New analyses finish on the simulator's clock ten minutes after submission unless told otherwise. */
export async function startSimulators(ataOptions: AtaSimulatorOptions = {}): Promise<Simulators> {
	const ata = await startAtaSimulator({
		analyst: { key: ATA_SECRETS.key, apiToken: ATA_SECRETS.apiToken },
		portal: { username: ATA_SECRETS.username, password: ATA_SECRETS.password },
		completeAfterMs: 10 * 60_000,
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
export function e2eCredentials(sims: Simulators): EngineCredential[] {
	return [
		...playbookCredentials(sims),
		{
			id: 'thehive',
			name: 'TheHive',
			type: 'theHiveProjectApi',
			data: { ApiKey: THEHIVE_KEY, url: sims.thehive.url },
		},
	];
}

/** An Analyst API client of our own, to compute what the playbooks should have stored. */
export const analystClient = (ata: AtaSimulator) => simulatorAnalystClient(ata);

export const analysisLink = (ata: AtaSimulator, taskUuid: string, portal = ata.portalUrl) =>
	buildAnalysisLink(new URL(portal), taskUuid);

/**
 * Waits until analyses that finished just now are listed: completion windows end at the last
 * whole second before "now" (ata-api.md §7).
 */
export const pastCompletionWindow = () => sleep(2100);
