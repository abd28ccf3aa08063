/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
import { join } from 'node:path';

import type { IConnections, INode, INodeParameters } from 'n8n-workflow';

import type { WorkflowJson } from '../../dev/engine';

/** Source package with the test-only node and credential types (see fixture-package/package.json). */
export const FIXTURE_PACKAGE = join(__dirname, 'fixture-package');
export const FIXTURE_PREFIX = 'n8n-nodes-engine-fixture';

type NodeSpec = Omit<INode, 'id' | 'position' | 'parameters'> & { parameters?: INodeParameters };

/** Builds workflow JSON shaped like an n8n export; `chain` connects nodes main-output-0 in order. */
export function workflow(
	name: string,
	nodes: NodeSpec[],
	connections: IConnections = {},
): WorkflowJson {
	return {
		name,
		nodes: nodes.map((node, index) => ({
			id: `node-${index}`,
			position: [index * 220, 0],
			parameters: {},
			...node,
		})),
		connections,
	};
}

export function chain(...names: string[]): IConnections {
	const connections: IConnections = {};
	for (let i = 0; i + 1 < names.length; i++) {
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}

export const manualTrigger: NodeSpec = {
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
};
