/**
 * URL analyses (`ll-web`): each browser request as an `http-request` (URL, host, address,
 * content type); requests known only by address become a `network-connection`; entries with
 * neither are skipped. De-duplicated on (URL, address).
 */
import { checkValue } from '../values';
import { asList, asText, field } from './input';
import type { ConversionContext } from './model';
import type { ReportView } from './report';
import type { LinkTargets } from './state';
import { hostOfUrl } from './urls';

export function convertWebRequests(
	ctx: ConversionContext,
	view: ReportView,
	links: LinkTargets,
): void {
	const requests = asList(field(field(field(view.report, 'analysis'), 'network'), 'requests'));
	for (const entry of requests) {
		const rawUrl = asText(field(entry, 'url'))?.trim();
		const url =
			rawUrl !== undefined && rawUrl !== '' && checkValue('url', rawUrl).ok ? rawUrl : undefined;
		const rawIp = asText(field(entry, 'ip'));
		const ipCheck =
			rawIp !== undefined && rawIp.trim() !== '' ? checkValue('ip-dst', rawIp) : undefined;
		const ip = ipCheck?.ok ? ipCheck.value : undefined;
		if (url === undefined && ip === undefined) continue;
		if (url === undefined) {
			const connection = ctx.object('network-connection', ['web', ip], 'webRequests', (draft) => {
				draft.add('ip-dst', ip);
				draft.add('layer7-protocol', 'HTTP');
				draft.comment = 'Browser request without a recorded URL';
			});
			ctx.reference(links.subject, connection, 'connects-to');
			continue;
		}
		const request = ctx.object('http-request', ['web', url, ip ?? ''], 'webRequests', (draft) => {
			draft.add('url', url);
			draft.add('host', hostOfUrl(url));
			draft.add('ip-dst', ip);
			draft.add('content-type', field(entry, 'content_type'));
		});
		ctx.reference(links.subject, request, 'connects-to');
	}
}
