/** The contract of the node's operations: their parameters, and how they turn items into output. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

export interface BuilderAction {
	/** Parameters of this operation (their displayOptions name the operation). */
	properties: INodeProperties[];
	run(fn: IExecuteFunctions): Promise<INodeExecutionData[]>;
}

/** The objects an item carries in `Object`: one object, or a list of them. */
export function objectsOf(value: unknown): { objects: unknown[]; single: boolean } {
	if (value === undefined || value === null) return { objects: [], single: false };
	return Array.isArray(value) ? { objects: value, single: false } : { objects: [value], single: true };
}
