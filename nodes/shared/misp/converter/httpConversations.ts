/**
 * HTTP conversations: the flow as a `network-connection` (layer 7 HTTP) and the request as an
 * `http-request` with the method and target from the request line, the scheme implied by the
 * port, the normalised host (else the destination address) and `ip-dst`. Targets are
 * percent-encoded where a URL cannot hold a character; a request line with CR or LF is skipped.
 * Requests are de-duplicated on (method, URL, destination address).
 */
import { checkValue, isIpLiteral } from '../values';
import { asList, asText, field, preview } from './input';
import type { ConversionContext } from './model';
import type { ReportView } from './report';
import type { LinkTargets } from './state';
import { connectionObject, readFlow, type Flow } from './connections';
import { encodeUrlText, hasLineBreak, isAbsoluteUrl, normaliseHost, safeUrl, urlHost } from './urls';

const TLS_PORTS = new Set([443, 8443]);

export interface RequestLine {
	method?: string;
	target?: string;
}

/** Index of the last white-space character, or -1 (a loop: no backtracking on long lines). */
function lastWhitespace(text: string): number {
	for (let i = text.length - 1; i >= 0; i--) if (/\s/u.test(text[i])) return i;
	return -1;
}

/**
 * `"<METHOD> <target> HTTP/x"`; the version is optional, a bare target is accepted. The target
 * is everything between method and version, spaces included (they are encoded later).
 */
export function parseRequestLine(line: string): RequestLine {
	const text = line.trim();
	if (text === '') return {};
	const gap = text.search(/\s/u);
	const first = gap < 0 ? text : text.slice(0, gap);
	let rest = gap < 0 ? '' : text.slice(gap).trimStart();
	const last = lastWhitespace(rest);
	if (last >= 0 && /^HTTP\/\d/iu.test(rest.slice(last + 1))) rest = rest.slice(0, last).trimEnd();
	if (rest === '') return first.startsWith('/') || isAbsoluteUrl(first) ? { target: first } : {};
	const method = checkValue('http-method', first);
	if (!method.ok) return {};
	return { method: method.value, target: rest };
}

/** The normalised `dst_host`; undefined for none, an IP literal, or (with a warning) a bad name. */
function conversationHost(ctx: ConversionContext, raw: string | undefined): string | undefined {
	if (raw === undefined || raw.trim() === '' || isIpLiteral(raw.trim())) return undefined;
	const host = normaliseHost(raw);
	if (host === undefined)
		ctx.warnings.add(`http_conversations: dropped the invalid host name ${preview(raw)}.`);
	return host;
}

/** url and uri of a request: absolute targets as they are, relative ones joined to the flow. */
function requestUrls(
	target: string,
	host: string | undefined,
	flow: Flow,
): { url?: string; uri?: string; host?: string } {
	if (isAbsoluteUrl(target)) {
		const safe = safeUrl(target);
		return 'problem' in safe ? {} : { url: safe.url, host: safe.host ?? host };
	}
	const uri = encodeUrlText(target);
	const authority = host ?? (flow.dstIp !== undefined ? urlHost(flow.dstIp) : undefined);
	if (authority === undefined || !uri.startsWith('/')) return { uri, host };
	const scheme = flow.dstPort !== undefined && TLS_PORTS.has(flow.dstPort) ? 'https' : 'http';
	const defaultPort = scheme === 'https' ? 443 : 80;
	const port = flow.dstPort !== undefined && flow.dstPort !== defaultPort ? `:${flow.dstPort}` : '';
	return { url: `${scheme}://${authority}${port}${uri}`, uri, host };
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
			const host = conversationHost(ctx, asText(field(conversation, 'dst_host')));
			const line = asText(field(conversation, 'url')) ?? '';
			const connection =
				flow.dstIp !== undefined || flow.srcIp !== undefined
					? connectionObject(ctx, flow, conversation, { hostname: host, layer7: 'HTTP' })
					: undefined;
			ctx.reference(process, connection, 'connects-to');

			if (hasLineBreak(line)) {
				ctx.warnings.add(
					`http_conversations: skipped the request line ${preview(line)}: a line break in it is a header injection attempt.`,
				);
				continue;
			}
			const { method, target } = parseRequestLine(line);
			const request = target !== undefined ? requestUrls(target, host, flow) : {};
			if (request.url === undefined && request.uri === undefined) {
				ctx.warnings.add(
					'http_conversations: skipped a conversation without a usable request line.',
				);
				continue;
			}
			const identity = [method ?? '', request.url ?? request.uri ?? '', flow.dstIp ?? ''];
			const object = ctx.object('http-request', identity, 'httpRequests', (draft) => {
				draft.add('method', method);
				draft.add('host', request.host);
				draft.add('url', request.url);
				draft.add('uri', request.uri);
				draft.add('ip-dst', flow.dstIp);
			});
			ctx.reference(connection, object, 'contains');
		}
	}
}
