import { AnalystApiClient } from '../../../shared/ata/analystApi';
import { AtaError } from '../../../shared/ata/errors';
import type { ActionContext } from './actionContext';

/** The Analyst API client; operations that only that API offers say so clearly otherwise. */
export function requireAnalyst(context: ActionContext, operation: string): AnalystApiClient {
	if (context.connection.analyst) return context.connection.analyst;
	throw new AtaError(`${operation} needs the NSX ATA Analyst API credential`, {
		kind: 'config',
		retry: 'never',
		hint: 'Set Authentication to "Analyst API" and select an NSX ATA Analyst API credential.',
	});
}
