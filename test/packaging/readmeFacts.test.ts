/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/** Numbers the README states about the nodes, checked against what the editor shows. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { templateOptions } from '../../nodes/MispObjectBuilder/methods/loadOptions';

const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

it("states the number of templates in the MISP Object Builder's template list", () => {
	const [, stated] = /\*\*Build Object\*\*:[^\n]*?Pick a template \((\d+),/.exec(readme) ?? [];
	expect(Number(stated)).toBe(templateOptions().length);
});
