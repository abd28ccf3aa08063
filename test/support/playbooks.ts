/** Test helpers around the playbooks: loading them against the simulators, reading MISP state. */
import type { EngineCredential, WorkflowJson } from '../../dev/engine';
import { loadPlaybook as loadWithUrl, playbookCredentials as credentialsFor } from '../../dev/playbooks';
import type { AtaSimulator } from '../../simulator/ata';
import type { MispSimulator } from '../../simulator/misp';

export { EXAMPLES_DIR } from '../../dev/playbooks';
export const INCOMPLETE = 'workflow:state="incomplete"';
export const COMPLETE = 'workflow:state="complete"';

export function loadPlaybook(name: string, misp: MispSimulator): WorkflowJson {
	return loadWithUrl(name, misp.url);
}

export function playbookCredentials(ata: AtaSimulator, misp: MispSimulator): EngineCredential[] {
	return credentialsFor({ ata, misp });
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
