/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
import { createRequire } from 'node:module';

import type * as Config from '@n8n/config';
import type * as Di from '@n8n/di';

/**
 * n8n-core's dependency-injection container. n8n-core ships its own nested copy of @n8n/di, whose
 * Container is a different singleton from the hoisted one, so it is resolved from n8n-core's folder.
 */
const requireFromCore = createRequire(require.resolve('n8n-core/package.json'));
export const { Container } = requireFromCore('@n8n/di') as typeof Di;

/**
 * n8n logs every node error to the console; an in-process run reports them in its result instead,
 * so the engine is silent unless N8N_LOG_LEVEL asks otherwise.
 */
export function quietEngineLogs(): void {
	if (process.env.N8N_LOG_LEVEL) return;
	const config = requireFromCore('@n8n/config') as typeof Config;
	Container.get(config.GlobalConfig).logging.level = 'silent';
}
