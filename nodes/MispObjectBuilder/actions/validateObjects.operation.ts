/**
 * Validate Objects: checks the objects an item carries in `Object` (one object or a list, as the
 * NSX ATA node's Query outputs them) and passes the valid ones through unchanged.
 */
import { type IDataObject, type INodeProperties, NodeOperationError } from 'n8n-workflow';

import { runItems } from '../../shared/n8n/itemRunner';
import { validateMispObject } from '../objects/objectValidation';
import { describeProblem, problemReport } from '../objects/problems';
import { type BuilderAction, objectsOf } from './action';

const show = { operation: ['validateObjects'] };

const properties: INodeProperties[] = [
	{
		displayName: 'If an Object Is Invalid',
		name: 'onInvalid',
		type: 'options',
		options: [
			{
				name: 'Fail the Item',
				value: 'fail',
				description: 'Stop with an error naming the object, relation and rule (an error item with Continue On Fail)',
			},
			{
				name: 'Remove It',
				value: 'remove',
				description:
					'Keep only the valid objects in Object and list the others, with reasons, in invalidObjects; items without Object pass',
			},
		],
		default: 'fail',
		displayOptions: { show },
	},
];

function label(object: unknown, index: number): string {
	const record = (typeof object === 'object' && object !== null ? object : {}) as IDataObject;
	const name = typeof record.name === 'string' ? record.name : 'unnamed';
	return `Object ${index} (${name}${typeof record.uuid === 'string' ? ` ${record.uuid}` : ''})`;
}

export const validateObjectsAction: BuilderAction = {
	properties,
	async run(fn) {
		const items = fn.getInputData();
		return await runItems(fn, items, 1, async (itemIndex) => {
			const input = items[itemIndex].json;
			const onInvalid = fn.getNodeParameter('onInvalid', itemIndex, 'fail') as string;
			if (input.Object === undefined || input.Object === null) {
				// E.g. an analysis NSX ATA reported as still running: nothing to check, nothing to drop.
				if (onInvalid === 'remove') return [{ json: { ...input, invalidObjects: [] } }];
				throw new NodeOperationError(fn.getNode(), 'The item has no Object field', {
					itemIndex,
					description: 'Expected Object to be a MISP object or a list of them, as the NSX ATA Query outputs.',
				});
			}
			const { objects, single } = objectsOf(input.Object);
			const valid: unknown[] = [];
			const invalid: IDataObject[] = [];
			objects.forEach((object, index) => {
				const problems = validateMispObject(object);
				if (problems.length === 0) {
					valid.push(object);
					return;
				}
				if (onInvalid === 'fail') {
					const report = problemReport(label(object, index), problems);
					throw new NodeOperationError(fn.getNode(), report.message, {
						itemIndex,
						description: report.description,
					});
				}
				const record = (typeof object === 'object' && object !== null ? object : {}) as IDataObject;
				invalid.push({
					index,
					name: record.name,
					uuid: record.uuid,
					problems: problems.map(describeProblem),
				});
			});
			const json: IDataObject = { ...input, invalidObjects: invalid };
			if (single) {
				if (valid.length === 1) json.Object = valid[0] as IDataObject;
				else delete json.Object;
			} else {
				json.Object = valid as IDataObject[];
			}
			return [{ json }];
		});
	},
};
