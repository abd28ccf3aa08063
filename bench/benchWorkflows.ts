/** Workflows and credentials the benchmarks run through n8n's engine against the simulators. */
import type { INodeParameters } from 'n8n-workflow';

import type { EngineCredential, WorkflowJson } from '../dev/engine';
import type { AtaSimulator } from '../simulator/ata';

const ANALYST = { nsxAtaAnalystApi: { id: 'ata-analyst', name: 'ATA simulator' } };

/** Manual Trigger → one NSX ATA node with the given parameters. */
export function nsxAtaWorkflow(parameters: INodeParameters): WorkflowJson {
	return {
		name: 'bench',
		nodes: [
			{ parameters: {}, id: 'b0000000-0000-4000-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] },
			{
				parameters: { authentication: 'analystApi', options: {}, ...parameters },
				id: 'b0000000-0000-4000-8000-000000000002',
				name: 'NSX ATA',
				type: 'n8n-nodes-nsx-ata.nsxAta',
				typeVersion: 1,
				position: [220, 0],
				credentials: ANALYST,
			},
		],
		connections: { Start: { main: [[{ node: 'NSX ATA', type: 'main', index: 0 }]] } },
		settings: {},
	} as unknown as WorkflowJson;
}

export const submitFileWorkflow = (options: INodeParameters) =>
	nsxAtaWorkflow({ operation: 'submitFile', binaryPropertyName: 'data', options });

/** The NSX ATA Trigger alone, as a poll-only workflow. */
export function triggerWorkflow(): WorkflowJson {
	return {
		name: 'bench trigger',
		nodes: [
			{
				parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, minScore: 0, includeMispResults: false, options: {} },
				id: 'b0000000-0000-4000-8000-000000000003',
				name: 'NSX ATA Trigger',
				type: 'n8n-nodes-nsx-ata.nsxAtaTrigger',
				typeVersion: 1,
				position: [0, 0],
				credentials: ANALYST,
			},
		],
		connections: {},
		settings: {},
	} as unknown as WorkflowJson;
}

/** The Analyst API credential the workflows above reference (also built in a child process from its parts). */
export function analystCredentials(url: string, key: string, token: string): EngineCredential[] {
	return [
		{ id: 'ata-analyst', name: 'ATA simulator', type: 'nsxAtaAnalystApi', data: { environment: 'onPremise', baseUrl: url, apiKey: key, apiToken: token } },
	];
}

/** `analystCredentials` for a running simulator, with its own secrets. */
export const simulatorCredentials = (sim: AtaSimulator): EngineCredential[] =>
	analystCredentials(sim.url, sim.credentials.analyst.key, sim.credentials.analyst.apiToken);
