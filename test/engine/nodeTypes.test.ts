/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development-only code, never shipped in dist/ */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeType, IVersionedNodeType } from 'n8n-workflow';

import { EngineTypes, PROJECT_ROOT } from '../../dev/engine';
import { FIXTURE_PACKAGE, FIXTURE_PREFIX } from './workflowBuilder';

const versionsOf = (type: INodeType | IVersionedNodeType): number[] =>
	'nodeVersions' in type
		? Object.keys(type.nodeVersions).map(Number)
		: ([] as number[]).concat(type.description.version);

describe('EngineTypes', () => {
	it('lazy-loads the stock nodes the project uses, with every version', async () => {
		const types = await EngineTypes.create();
		const stock = [
			'manualTrigger',
			'scheduleTrigger',
			'webhook',
			'respondToWebhook',
			'formTrigger',
			'httpRequest',
			'misp',
			'if',
			'filter',
			'set',
			'merge',
			'noOp',
			'splitOut',
			'theHiveProject',
			'jira',
		];
		for (const name of stock) {
			const type = types.getByName(`n8n-nodes-base.${name}`);
			for (const version of versionsOf(type)) {
				const resolved = types.getByNameAndVersion(`n8n-nodes-base.${name}`, version);
				expect([resolved.description.version].flat()).toContain(version);
			}
		}
		expect(versionsOf(types.getByName('n8n-nodes-base.httpRequest'))).toEqual(
			expect.arrayContaining([1, 2, 3, 4, 4.1, 4.2]),
		);
		const credentials = ['mispApi', 'httpHeaderAuth', 'theHiveProjectApi', 'jiraSoftwareCloudApi'];
		for (const credential of credentials) {
			expect(types.getCredentialType(credential).name).toBe(credential);
		}
		expect(() => types.getByName('n8n-nodes-base.noSuchNode')).toThrow(/Unrecognized node type/);
	});

	it('loads source packages through n8n\'s loader and survives a partial node list', async () => {
		const types = await EngineTypes.create({ packageDirs: [FIXTURE_PACKAGE] });

		const poll = types.getByNameAndVersion(`${FIXTURE_PREFIX}.counterPoll`, 1);
		// n8n's loader adds the Poll Times parameter to every polling node.
		expect(poll.description.properties[0].name).toBe('pollTimes');
		expect(types.getParentTypes('signedApi')).toEqual([]);
		expect(types.getSupportedNodes('probeTokenApi')).toEqual([`${FIXTURE_PREFIX}.engineProbe`]);
		expect(types.loadFailures()).toEqual([
			expect.objectContaining({
				packageName: FIXTURE_PREFIX,
				sourcePath: 'dist/nodes/NotWrittenYet/NotWrittenYet.node.js',
			}),
		]);
		expect(() => types.getByName(`${FIXTURE_PREFIX}.notWrittenYet`)).toThrow(
			/NotWrittenYet\.node\.js/,
		);
	});

	it("serves this package's listed nodes under its name and under a typePrefix alias", async () => {
		const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
			name: string;
			n8n: { nodes: string[] };
		};
		const types = await EngineTypes.create({ typePrefix: 'CUSTOM' });
		const known = Object.keys(types.getKnownTypes());
		const own = known.filter((type) => type.startsWith(`${manifest.name}.`));

		expect(types.loadFailures()).toEqual([]);
		expect(own).toHaveLength(manifest.n8n.nodes.length);
		for (const type of own) {
			const alias = type.replace(`${manifest.name}.`, 'CUSTOM.');
			expect(types.getByName(alias)).toBe(types.getByName(type));
		}
	});
});
