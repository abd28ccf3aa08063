/**
 * HTTP conversations: the flow as a `network-connection` (layer 7 HTTP) and the request as an
 * `http-request` with the method and target from the request line, the scheme implied by the
 * port, and `ip-dst`. Requests are de-duplicated on (method, URL, destination address).
 */
import { checkValue, isIpLiteral } from '../values';
import { asList, asText, field } from './input';
import type { ConversionContext } from './model';
import type { ReportView } from './report';
import type { LinkTargets } from './state';
import { connectionObject, readFlow } from './connections';
import { isAbsoluteUrl, urlHost } from './urls';

const TLS_PORTS = new Set([443, 8443]);

export interface RequestLine {
	method?: string;
	target?: string;
}

/** `"<METHOD> <target> HTTP/x"`; the version is optional, a bare target is accepted. */
export function parseRequestLine(line: string): RequestLine {
	const tokens = line
		.trim()
		.split(/\s+/u)
		.filter((t) => t !== '');
	if (tokens.length === 0) return {};
	const versioned = tokens.length >= 3 && /^HTTP\/\d/iu.test(tokens[tokens.length - 1]);
	const body = versioned ? tokens.slice(0, -1) : tokens;
	if (body.length === 1)
		return body[0].startsWith('/') || isAbsoluteUrl(body[0]) ? { target: body[0] } : {};
	const method = checkValue('http-method', body[0]);
	if (!method.ok) return {};
	return { method: method.value, target: body.slice(1).join(' ') };
}

function validHostname(raw: string | undefined): string | undefined {
	if (raw === undefined || isIpLiteral(raw)) return undefined;
	const check = checkValue('hostname', raw);
	return check.ok ? check.value : undefined;
}

export function convertHttpConversations(
	ctx: ConversionContext,
	view: ReportView,
	links: LinkTargets,
): void {
	for (const subject of view.subjects) {
		const process = links.processes.get(subject.index);
		for (const conversation of asList(field(subject.raw, 'http_conversations'))) {
			const flow = readFlow(conversation, 'TCP');
			const host = validHostname(asText(field(conversation, 'dst_host')));
			const line = asText(field(conversation, 'url')) ?? '';
			const { method, target } = parseRequestLine(line);
			const connection =
				flow.dstIp !== undefined || flow.srcIp !== undefined
					? connectionObject(ctx, flow, conversation, { hostname: host, layer7: 'HTTP' })
					: undefined;
			ctx.reference(process, connection, 'connects-to');

			let url: string | undefined;
			let uri: string | undefined;
			if (target !== undefined && isAbsoluteUrl(target)) {
				url = target;
			} else if (target !== undefined) {
				uri = target;
				const authority = host ?? (flow.dstIp !== undefined ? urlHost(flow.dstIp) : undefined);
				if (authority !== undefined && target.startsWith('/')) {
					const scheme =
						flow.dstPort !== undefined && TLS_PORTS.has(flow.dstPort) ? 'https' : 'http';
					const defaultPort = scheme === 'https' ? 443 : 80;
					const port =
						flow.dstPort !== undefined && flow.dstPort !== defaultPort ? `:${flow.dstPort}` : '';
					url = `${scheme}://${authority}${port}${target}`;
				}
			}
			if (url === undefined && uri === undefined) {
				ctx.warnings.add(
					'http_conversations: skipped a conversation without a usable request line.',
				);
				continue;
			}
			const identity = [method ?? '', url ?? uri ?? '', flow.dstIp ?? ''];
			const request = ctx.object('http-request', identity, 'httpRequests', (draft) => {
				draft.add('method', method);
				draft.add('host', host);
				draft.add('url', url);
				draft.add('uri', uri);
				draft.add('ip-dst', flow.dstIp);
			});
			ctx.reference(connection, request, 'contains');
		}
	}
}
