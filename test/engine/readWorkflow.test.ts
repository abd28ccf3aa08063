/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { readWorkflow, runWorkflow } from '../../dev/engine';

describe('readWorkflow', () => {
	it('reads an n8n export and runs it with $vars and $workflow resolved', async () => {
		const definition = readWorkflow(join(__dirname, 'workflows', 'manual-set.json'));

		const result = await runWorkflow(definition, { variables: { team: 'soc' } });

		expect(result.error).toBeUndefined();
		expect(result.output('Edit Fields')[0].json).toEqual({
			greeting: 'hello soc from Manual → Edit Fields (exported by n8n)',
		});
	});

	it('rejects JSON that is not a workflow', () => {
		const path = join(tmpdir(), `not-a-workflow-${process.pid}.json`);
		writeFileSync(path, JSON.stringify({ name: 'x' }));

		expect(() => readWorkflow(path)).toThrow(/not an n8n workflow export/);
	});
});
