/** Portal API (PAPI) routes, mounted under /papi on the same origin. */
import { errors, failure, success, type ApiResponse } from './apiEnvelope';
import { progress, result } from './analystRoutes';
import type { RouteContext, RouteDefinition } from './routing';
import { sessionCookie } from './sessions';

function login(context: RouteContext): ApiResponse {
	const { username, password } = context.params;
	if (username !== context.portal.username || password !== context.portal.password)
		return errors.portalAuthentication();
	return success('true', {
		'set-cookie': sessionCookie('portal', context.sessions.create('portal')),
	});
}

/** Same document as `analysis/get` (tau's live test compares `reports`); only report_format=json is served. */
function getResult(context: RouteContext): ApiResponse {
	const format = context.params.report_format ?? 'json';
	if (format !== 'json') return failure(3000, `API Error: unsupported report_format '${format}'`);
	return result(context);
}

export const portalRoutes: Record<string, RouteDefinition> = {
	'papi/login': { methods: ['POST'], handle: login },
	'papi/analysis/get_progress': { methods: ['GET', 'POST'], session: 'portal', handle: progress },
	'papi/analysis/get_result': { methods: ['GET', 'POST'], session: 'portal', handle: getResult },
};
