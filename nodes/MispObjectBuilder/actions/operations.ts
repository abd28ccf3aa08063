/** The node's operations: their menu entries and their actions. */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { BuilderAction } from './action';
import { buildObjectAction } from './buildObject.operation';
import { validateObjectsAction } from './validateObjects.operation';
import { wrapAsEventAction } from './wrapAsEvent.operation';

export const ACTIONS = {
	buildObject: buildObjectAction,
	validateObjects: validateObjectsAction,
	wrapAsEvent: wrapAsEventAction,
} satisfies Record<string, BuilderAction>;

export type OperationName = keyof typeof ACTIONS;

const MENU: INodePropertyOptions[] = [
	{
		name: 'Build Object',
		value: 'buildObject',
		action: 'Build a MISP object',
		description: 'Build one objects/add body per item from a template and relation values',
	},
	{
		name: 'Validate Objects',
		value: 'validateObjects',
		action: 'Validate MISP objects',
		description: 'Check the objects in Object against their templates and pass the valid ones on',
	},
	{
		name: 'Wrap as Event',
		value: 'wrapAsEvent',
		action: 'Wrap objects as a MISP event',
		description: 'Put the objects of the items into an events/add body',
	},
];

export const operationProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: MENU,
		default: 'buildObject',
	},
	...Object.values(ACTIONS).flatMap((action: BuilderAction) => action.properties),
];

export const OPERATION_TITLES: Record<string, string> = Object.fromEntries(
	MENU.map((entry) => [entry.value, entry.name]),
);
