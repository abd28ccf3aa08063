/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development-only code, never shipped in dist/ */
import { readFileSync } from 'node:fs';

import type {
	IConnections,
	IDataObject,
	INode,
	IPinData,
	IWorkflowBase,
	IWorkflowSettings,
} from 'n8n-workflow';
import { deepCopy, jsonParse, UserError, Workflow } from 'n8n-workflow';

import type { EngineTypes } from './nodeTypes';

/** A workflow as n8n exports it (Download / `n8n export:workflow`). */
export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IWorkflowSettings;
	staticData?: IDataObject | null;
	pinData?: IPinData;
	active?: boolean;
}

export function readWorkflow(path: string): WorkflowJson {
	const parsed = jsonParse<WorkflowJson>(readFileSync(path, 'utf8'));
	if (!Array.isArray(parsed.nodes) || typeof parsed.connections !== 'object') {
		throw new UserError(`${path} is not an n8n workflow export (nodes/connections missing)`);
	}
	return parsed;
}

export const DEFAULT_WORKFLOW_ID = 'engine-workflow';

/** An n8n Workflow over a private copy of the JSON, so runs never mutate the caller's object. */
export function instantiate(json: WorkflowJson, types: EngineTypes, staticData: IDataObject) {
	return new Workflow({
		id: json.id ?? DEFAULT_WORKFLOW_ID,
		name: json.name,
		nodes: deepCopy(json.nodes),
		connections: deepCopy(json.connections),
		active: false,
		nodeTypes: types,
		staticData: deepCopy(staticData),
		settings: deepCopy(json.settings ?? {}),
	});
}

/** The IWorkflowBase the lifecycle hooks carry, as n8n builds it from the stored workflow. */
export function toWorkflowBase(json: WorkflowJson): IWorkflowBase {
	const now = new Date();
	return {
		id: json.id ?? DEFAULT_WORKFLOW_ID,
		name: json.name,
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: now,
		updatedAt: now,
		nodes: json.nodes,
		connections: json.connections,
		settings: json.settings,
	};
}

/** Workflow static data as plain JSON, without the engine's change marker. */
export function plainStaticData(workflow: Workflow): IDataObject {
	const copy = JSON.parse(JSON.stringify(workflow.staticData ?? {})) as IDataObject;
	delete copy.__dataChanged;
	return copy;
}
