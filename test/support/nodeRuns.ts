/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/** Runs the workflow fixtures under test/workflows through n8n's engine against the simulators. */
import { join } from 'node:path';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { type EngineCredential, readWorkflow, runWorkflow, type RunResult } from '../../dev/engine';
import type { AtaSimulator } from '../../simulator/ata';
import { SECRETS } from './ataClients';

export function ataCredentials(sim: AtaSimulator, overrides: IDataObject = {}): EngineCredential[] {
	return [
		{
			id: 'ata-analyst',
			name: 'ATA simulator',
			type: 'nsxAtaAnalystApi',
			data: {
				environment: 'onPremise',
				baseUrl: sim.url,
				apiKey: SECRETS.key,
				apiToken: SECRETS.apiToken,
				...overrides,
			},
		},
		{
			id: 'ata-portal',
			name: 'ATA simulator portal',
			type: 'nsxAtaPortalApi',
			data: { portalUrl: sim.portalUrl, username: SECRETS.username, password: SECRETS.password },
		},
	];
}

export interface NodeRun {
	/** Parameters merged into the "NSX ATA" node's. */
	parameters?: INodeParameters;
	/** Items the start node emits. */
	items: INodeExecutionData[];
	continueOnFail?: boolean;
	credentials?: EngineCredential[];
	signal?: AbortSignal;
}

/** Runs `test/workflows/<file>` with the "NSX ATA" node adjusted as asked. */
export async function runNsxAta(sim: AtaSimulator, file: string, run: NodeRun): Promise<RunResult> {
	const workflow = readWorkflow(join(__dirname, '..', 'workflows', file));
	const node = workflow.nodes.find((candidate) => candidate.name === 'NSX ATA');
	if (!node) throw new Error(`${file} has no "NSX ATA" node`);
	node.parameters = { ...node.parameters, ...run.parameters };
	if (run.continueOnFail) node.onError = 'continueRegularOutput';
	return await runWorkflow(workflow, {
		triggerItems: run.items,
		credentials: run.credentials ?? ataCredentials(sim),
		signal: run.signal,
	});
}

/** The JSON of every item the node output, and the error (if the run failed). */
export function nodeOutput(result: RunResult): IDataObject[] {
	return result.output('NSX ATA').map((item) => item.json);
}
