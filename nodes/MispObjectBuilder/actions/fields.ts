/** Option lists several operations share: MISP distributions and categories. */
import type { INodePropertyOptions } from 'n8n-workflow';

import { MISP_CATEGORIES } from '../../shared/misp/attributeTypes';

export const SHARING_LEVELS: INodePropertyOptions[] = [
	{ name: 'Your Organisation Only', value: '0' },
	{ name: 'This Community Only', value: '1' },
	{ name: 'Connected Communities', value: '2' },
	{ name: 'All Communities', value: '3' },
];

/** Objects and attributes may also inherit the event's distribution, which is MISP's default. */
export const OBJECT_DISTRIBUTIONS: INodePropertyOptions[] = [
	{ name: 'Inherit Event', value: '5' },
	...SHARING_LEVELS,
];

export const CATEGORY_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Template Default', value: '' },
	...MISP_CATEGORIES.map((category) => ({ name: category, value: category })),
];

/** Yes / No / the template's (or type's) default, for per-attribute flags. */
export const FLAG_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Template Default', value: 'default' },
	{ name: 'Yes', value: 'true' },
	{ name: 'No', value: 'false' },
];

export function readFlag(value: unknown): boolean | undefined {
	if (value === true || value === 'true') return true;
	if (value === false || value === 'false') return false;
	return undefined;
}

export const POSTING_HINT =
	'Post the output with the HTTP Request node: method POST, authentication Predefined Credential Type → MISP, headers Accept: application/json and Content-Type: application/json';
