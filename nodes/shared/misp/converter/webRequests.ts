/**
 * URL analyses (`ll-web`): each browser request as an `http-request` (URL, host, address,
 * content type); requests known only by address become a `network-connection`; entries with
 * neither are skipped. De-duplicated on (URL, address) after normalisation (see safeUrl).
 */
import { checkValue } from '../values';
import { asList, asText, field, preview } from './input';
import type { ConversionContext } from './model';
import type { ReportView } from './report';
import type { LinkTargets } from './state';
import { safeUrl, type SafeUrl } from './urls';

function requestUrl(ctx: ConversionContext, raw: string | undefined): SafeUrl | undefined {
	if (raw === undefined || raw.trim() === '') return undefined;
	const safe = safeUrl(raw);
	if ('problem' in safe) {
		ctx.warnings.add(`ll-web requests: skipped the URL ${preview(raw)}: it ${safe.problem}.`);
		return undefined;
	}
	if (safe.badHost)
		ctx.warnings.add(`ll-web requests: the host of ${preview(raw)} is not a valid host name.`);
	return safe;
}

export function convertWebRequests(
	ctx: ConversionContext,
	view: ReportView,
	links: LinkTargets,
): void {
	const requests = asList(field(field(field(view.report, 'analysis'), 'network'), 'requests'));
	for (const entry of requests) {
		const request = requestUrl(ctx, asText(field(entry, 'url')));
		const rawIp = asText(field(entry, 'ip'));
		const ipCheck =
			rawIp !== undefined && rawIp.trim() !== '' ? checkValue('ip-dst', rawIp) : undefined;
		const ip = ipCheck?.ok ? ipCheck.value : undefined;
		if (request === undefined && ip === undefined) continue;
		if (request === undefined) {
			const connection = ctx.object('network-connection', ['web', ip], 'webRequests', (draft) => {
				draft.add('ip-dst', ip);
				draft.add('layer7-protocol', 'HTTP');
				draft.comment = 'Browser request without a recorded URL';
			});
			ctx.reference(links.subject, connection, 'connects-to');
			continue;
		}
		const identity = ['web', request.url, ip ?? ''];
		const object = ctx.object('http-request', identity, 'webRequests', (draft) => {
			draft.add('url', request.url);
			draft.add('host', request.host);
			draft.add('ip-dst', ip);
			draft.add('content-type', field(entry, 'content_type'));
		});
		ctx.reference(links.subject, object, 'connects-to');
	}
}
