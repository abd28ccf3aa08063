/** Typed calls of the Portal API (username + password), following ata-api.md §5.1 P1–P3. */
import type { Progress, ResultDocument } from './analystApi';
import { parse } from './analystApi';
import { progressSchema, resultSchema } from './schemas';
import { AtaSession, type SessionOptions } from './session';

export class PortalApiClient {
	private readonly session: AtaSession;

	/** `base` is the portal, e.g. `https://user.lastline.com`; calls go to `<base>/papi/...`. */
	constructor(options: Omit<SessionOptions, 'api'>) {
		this.session = new AtaSession({ ...options, api: 'portal' });
	}

	async getProgress(taskUuid: string): Promise<Progress> {
		const data = await this.session.call('papi/analysis/get_progress', {
			method: 'GET',
			query: { uuid: taskUuid },
			idempotent: true,
		});
		const parsed = parse(progressSchema, data, 'papi/analysis/get_progress');
		return { complete: parsed.completed, progress: parsed.progress };
	}

	async getResult(taskUuid: string): Promise<ResultDocument> {
		const data = await this.session.call('papi/analysis/get_result', {
			method: 'GET',
			query: { uuid: taskUuid, report_format: 'json' },
			idempotent: true,
			statusCodes: { 404: 105, 412: 106 },
		});
		return parse(resultSchema, data, 'papi/analysis/get_result') as ResultDocument;
	}
}
