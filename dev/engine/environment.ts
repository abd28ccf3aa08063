/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { quietEngineLogs } from './container';

// Runs before anything from n8n-core is loaded: its InstanceSettings writes an encryption-key
// config into the user folder on first use, which must never be the developer's ~/.n8n.
if (!process.env.N8N_USER_FOLDER) {
	process.env.N8N_USER_FOLDER = mkdtempSync(join(tmpdir(), 'n8n-nodes-nsx-ata-engine-'));
}
quietEngineLogs();
