/** The NSX ATA node's operations: their menu entries per authentication, and their actions. */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { limitsProperty } from '../../shared/ata/limits';
import type { AtaAuthentication } from '../../shared/ata/n8nClients';
import type { Action } from './common/actionContext';
import { getStatus } from './getStatus.operation';
import { importAnalysis } from './importAnalysis.operation';
import { lookUpHash } from './lookUpHash.operation';
import { query } from './query.operation';
import { submitFile } from './submitFile.operation';
import { submitMispAttribute } from './submitMispAttribute.operation';
import { submitUrl } from './submitUrl.operation';

export const ACTIONS = { submitFile, submitUrl, submitMispAttribute, query, import: importAnalysis, getStatus, lookUpHash };

export type OperationName = keyof typeof ACTIONS;

const MENU: Record<OperationName, INodePropertyOptions> = {
	getStatus: {
		name: 'Get Status',
		value: 'getStatus',
		action: 'Get the progress of an analysis',
		description: 'Read whether an analysis has finished, without fetching its report',
	},
	import: {
		name: 'Import',
		value: 'import',
		action: 'Import an analysis as a MISP event',
		description: 'Build a complete MISP event (events/add body) from an analysis link',
	},
	lookUpHash: {
		name: 'Look Up Hash',
		value: 'lookUpHash',
		action: 'Look up existing analyses of a file hash',
		description: 'Find analyses of an MD5, SHA-1 or SHA-256 without uploading anything',
	},
	query: {
		name: 'Query',
		value: 'query',
		action: 'Query an analysis for MISP objects',
		description:
			'Expand a MISP link attribute (or any analysis link) into MISP objects and ATT&CK tags',
	},
	submitFile: {
		name: 'Submit File',
		value: 'submitFile',
		action: 'Submit a file for analysis',
		description: 'Send a file from a binary field to the sandbox and get its analysis link',
	},
	submitMispAttribute: {
		name: 'Submit From MISP Attribute',
		value: 'submitMispAttribute',
		action: 'Submit a MISP attribute for analysis',
		description:
			'Send a MISP malware-sample (unpacked from its ZIP), attachment or URL attribute to the sandbox and get the link attribute for its event',
	},
	submitUrl: {
		name: 'Submit URL',
		value: 'submitUrl',
		action: 'Submit a URL for analysis',
		description: 'Send a URL to the sandbox and get its analysis link',
	},
};

/** The Portal API reads analyses; submitting and hash look-ups need the Analyst API. */
const AVAILABLE: Record<AtaAuthentication, OperationName[]> = {
	analystApi: ['getStatus', 'import', 'lookUpHash', 'query', 'submitFile', 'submitMispAttribute', 'submitUrl'],
	portalApi: ['getStatus', 'import', 'query'],
};

function operationProperty(authentication: AtaAuthentication, defaultOperation: OperationName): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { authentication: [authentication] } },
		options: AVAILABLE[authentication].map((name) => MENU[name]),
		default: defaultOperation,
	};
}

export const operationProperties: INodeProperties[] = [
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [
			{
				name: 'Analyst API (API Key and Token)',
				value: 'analystApi',
				description: 'Every operation',
			},
			{
				name: 'Portal (Username and Password)',
				value: 'portalApi',
				description: 'Query, Import and Get Status, as the original MISP modules did',
			},
		],
		default: 'analystApi',
	},
	operationProperty('analystApi', 'submitUrl'),
	operationProperty('portalApi', 'query'),
	...Object.values(ACTIONS).flatMap((action: Action) => action.properties),
	limitsProperty,
];

export const OPERATION_TITLES: Record<OperationName, string> = Object.fromEntries(
	Object.entries(MENU).map(([name, entry]) => [name, entry.name]),
) as Record<OperationName, string>;
