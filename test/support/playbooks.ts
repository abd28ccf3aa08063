/** Test helpers around the playbooks: loading them against the simulators, reading MISP state. */
import type { EngineCredential, WorkflowJson } from '../../dev/engine';
import { loadPlaybook as loadWithUrl, playbookCredentials as credentialsFor } from '../../dev/playbooks';
import type { AtaSimulator } from '../../simulator/ata';
import type { MispSimulator } from '../../simulator/misp';

export { EXAMPLES_DIR } from '../../dev/playbooks';
export { attributeTags, COMPLETE, INCOMPLETE, objectCounts, referenceSignatures } from '../../dev/mispState';

export function loadPlaybook(name: string, misp: MispSimulator): WorkflowJson {
	return loadWithUrl(name, misp.url);
}

export function playbookCredentials(ata: AtaSimulator, misp: MispSimulator): EngineCredential[] {
	return credentialsFor({ ata, misp });
}
