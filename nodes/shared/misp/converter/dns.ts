/**
 * DNS queries as `domain-ip` objects (host name plus every answer), one per name across the
 * whole report. Local noise (WPAD, localhost, NetBIOS names, IP literals, reverse lookups) is
 * dropped; names are normalised (punycode, lower case, no trailing dot), and a name that cannot
 * be normalised is dropped with a warning.
 */
import { isIpLiteral, withoutTrailingDots } from '../values';
import { asList, asText, field, preview } from './input';
import type { ConversionContext } from './model';
import type { ReportView } from './report';
import type { LinkTargets } from './state';
import { normaliseHost } from './urls';

/** Names that only mean something inside the sandbox's network: never worth reporting. */
export function isLocalName(raw: string): boolean {
	const name = withoutTrailingDots(raw.trim().toLowerCase());
	if (name === '' || !name.includes('.')) return true;
	if (name === 'wpad' || name.startsWith('wpad.')) return true;
	if (name === 'localhost' || name.endsWith('.localhost')) return true;
	if (name.endsWith('.in-addr.arpa') || name.endsWith('.ip6.arpa')) return true;
	return isIpLiteral(name);
}

export function convertDns(ctx: ConversionContext, view: ReportView, links: LinkTargets): void {
	for (const subject of view.subjects) {
		const process = links.processes.get(subject.index);
		for (const query of asList(field(subject.raw, 'dns_queries'))) {
			const raw = asText(field(query, 'hostname'));
			if (raw === undefined || isLocalName(raw)) continue;
			const name = normaliseHost(raw);
			if (name === undefined) {
				ctx.warnings.add(`dns_queries: skipped invalid host name ${preview(raw)}.`);
				continue;
			}
			const answers = asList(field(query, 'results'));
			const object = ctx.object(
				'domain-ip',
				[name],
				'domains',
				(draft) => {
					draft.add('hostname', name);
				},
				true,
			);
			if (!object) continue;
			for (const answer of answers) ctx.extend(object, 'ip', answer);
			ctx.reference(process, object, 'related-to', 'DNS query');
		}
	}
}
