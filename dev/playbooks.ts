/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/**
 * The ready-made playbooks (examples/*.json, exactly the files users import) wired to the
 * simulators: credentials under the ids the playbooks reference, the MISP URL in their Settings node.
 * Shared by the tests, the demo and the benchmarks.
 */
import { join } from 'node:path';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { type EngineCredential, readWorkflow, type WorkflowJson } from './engine';

export const EXAMPLES_DIR = join(__dirname, '..', 'examples');

export interface SimulatorEndpoints {
	ata: { url: string; credentials: { analyst: { key: string; apiToken: string } } };
	misp: { url: string; apiKey: string };
}

/** A playbook with its Settings node pointed at `mispUrl`. */
export function loadPlaybook(name: string, mispUrl: string): WorkflowJson {
	const workflow = readWorkflow(join(EXAMPLES_DIR, `${name}.json`));
	for (const node of workflow.nodes) {
		if (node.name !== 'Settings') continue;
		const assignments = (node.parameters.assignments as IDataObject).assignments as IDataObject[];
		const setting = assignments.find((assignment) => assignment.name === 'mispUrl');
		if (setting) setting.value = mispUrl;
	}
	return workflow;
}

/** Sets parameters on every node of a type (e.g. shorter waits for a demo). */
export function withNodeParameters(workflow: WorkflowJson, type: string, parameters: INodeParameters): WorkflowJson {
	for (const node of workflow.nodes) {
		if (node.type === type) node.parameters = { ...node.parameters, ...parameters };
	}
	return workflow;
}

export function playbookCredentials({ ata, misp }: SimulatorEndpoints): EngineCredential[] {
	return [
		{
			id: 'ata',
			name: 'NSX ATA',
			type: 'nsxAtaAnalystApi',
			data: {
				environment: 'onPremise',
				baseUrl: ata.url,
				apiKey: ata.credentials.analyst.key,
				apiToken: ata.credentials.analyst.apiToken,
			},
		},
		{
			id: 'misp',
			name: 'MISP',
			type: 'mispApi',
			data: { baseUrl: misp.url, apiKey: misp.apiKey, allowUnauthorizedCerts: false },
		},
	];
}
