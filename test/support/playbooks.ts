/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- development-only code, never shipped in dist/ */
/**
 * The ready-made playbooks (examples/*.json, exactly the files users import) wired to the two
 * simulators: credentials by the ids the playbooks reference, the MISP URL in their Settings node.
 */
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { type EngineCredential, readWorkflow, type WorkflowJson } from '../../dev/engine';
import type { AtaSimulator } from '../../simulator/ata';
import type { MispSimulator } from '../../simulator/misp';
import { SECRETS } from './ataClients';

export const EXAMPLES_DIR = join(__dirname, '..', '..', 'examples');
export const INCOMPLETE = 'workflow:state="incomplete"';
export const COMPLETE = 'workflow:state="complete"';

/** A playbook with its Settings node pointed at the MISP simulator. */
export function loadPlaybook(name: string, misp: MispSimulator): WorkflowJson {
	const workflow = readWorkflow(join(EXAMPLES_DIR, `${name}.json`));
	for (const node of workflow.nodes) {
		if (node.name !== 'Settings') continue;
		const assignments = (node.parameters.assignments as IDataObject).assignments as IDataObject[];
		const mispUrl = assignments.find((assignment) => assignment.name === 'mispUrl');
		if (mispUrl) mispUrl.value = misp.url;
	}
	return workflow;
}

export function playbookCredentials(ata: AtaSimulator, misp: MispSimulator): EngineCredential[] {
	return [
		{
			id: 'ata',
			name: 'NSX ATA',
			type: 'nsxAtaAnalystApi',
			data: { environment: 'onPremise', baseUrl: ata.url, apiKey: SECRETS.key, apiToken: SECRETS.apiToken },
		},
		{
			id: 'misp',
			name: 'MISP',
			type: 'mispApi',
			data: { baseUrl: misp.url, apiKey: misp.apiKey, allowUnauthorizedCerts: false },
		},
	];
}

/** Tag names of an attribute as the MISP simulator stores it. */
export function attributeTags(misp: MispSimulator, eventId: string, attributeId: string): string[] {
	const event = misp.getEvent(eventId)!.Event;
	const attribute = event.Attribute.find((candidate) => candidate.id === attributeId)!;
	return (attribute.Tag ?? []).map((tag) => tag.name).sort();
}

/** Object names per MISP event, counted. */
export function objectCounts(misp: MispSimulator, eventId: string): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const object of misp.getEvent(eventId)!.Event.Object) counts[object.name] = (counts[object.name] ?? 0) + 1;
	return counts;
}
