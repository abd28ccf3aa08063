/**
 * The ready-made playbooks (examples/*.json) as the e2e imports them into a real n8n: the same
 * wiring as the in-process tests (dev/playbooks.ts: Settings → MISP simulator, credential ids),
 * plus what only a real instance needs: a workflow id, the node type prefix of the load mode, and
 * for `n8n execute` a Manual Trigger (the CLI starts only from one).
 */
import type { INode } from 'n8n-workflow';

import type { WorkflowJson } from '../../dev/engine';
import { loadPlaybook } from '../../dev/playbooks';

export const PACKAGE_PREFIX = 'n8n-nodes-nsx-ata';

/** How the package is loaded: its node types' prefix follows from it. */
export type LoadMode = 'custom' | 'community';

export function typePrefix(mode: LoadMode): string {
	return mode === 'custom' ? 'CUSTOM' : PACKAGE_PREFIX;
}

export interface ImportableWorkflow extends WorkflowJson {
	id: string;
}

/** Rewrites `n8n-nodes-nsx-ata.<name>` node types to the load mode's prefix. */
export function withTypePrefix<T extends WorkflowJson>(workflow: T, mode: LoadMode): T {
	for (const node of workflow.nodes) {
		if (node.type.startsWith(`${PACKAGE_PREFIX}.`)) {
			node.type = `${typePrefix(mode)}.${node.type.slice(PACKAGE_PREFIX.length + 1)}`;
		}
	}
	return workflow;
}

export const MANUAL_START = 'Run now (e2e)';

/** Adds a Manual Trigger feeding what `triggerName` feeds, so `n8n execute` can start the run. */
export function withManualStart<T extends WorkflowJson>(workflow: T, triggerName: string): T {
	const trigger = workflow.nodes.find((node) => node.name === triggerName);
	if (!trigger) throw new Error(`${workflow.name} has no node "${triggerName}"`);
	const manual: INode = {
		id: '0e2e0e2e-0000-4000-8000-000000000001',
		name: MANUAL_START,
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [trigger.position[0], trigger.position[1] - 200],
		parameters: {},
	};
	workflow.nodes.push(manual);
	workflow.connections[MANUAL_START] = structuredClone(workflow.connections[triggerName]);
	return workflow;
}

/** A playbook wired to the simulators, ready for `import:workflow`. */
export function e2ePlaybook(
	name: string,
	options: { id: string; mode: LoadMode; mispUrl: string },
): ImportableWorkflow {
	const workflow = withTypePrefix(loadPlaybook(name, options.mispUrl), options.mode);
	return { ...workflow, id: options.id };
}
