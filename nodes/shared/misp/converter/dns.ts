/**
 * DNS queries as `domain-ip` objects (host name plus every answer), one per name across the
 * whole report. Local noise (WPAD, localhost, NetBIOS names, IP literals, reverse lookups) is
 * dropped; names are lower-cased and trailing dots removed.
 */
import { checkValue, isIpLiteral } from '../values';
import { asList, asText, field, preview } from './input';
import type { ConversionContext } from './model';
import type { ReportView } from './report';
import type { LinkTargets } from './state';

/** The normalised name worth reporting, or undefined for local noise. */
export function reportableHostname(raw: string): string | undefined {
	const name = raw.trim().toLowerCase().replace(/\.+$/u, '');
	if (name === '' || !name.includes('.')) return undefined;
	if (name === 'wpad' || name.startsWith('wpad.')) return undefined;
	if (name === 'localhost' || name.endsWith('.localhost')) return undefined;
	if (name.endsWith('.in-addr.arpa') || name.endsWith('.ip6.arpa')) return undefined;
	if (isIpLiteral(name)) return undefined;
	return name;
}

export function convertDns(ctx: ConversionContext, view: ReportView, links: LinkTargets): void {
	for (const subject of view.subjects) {
		const process = links.processes.get(subject.index);
		for (const query of asList(field(subject.raw, 'dns_queries'))) {
			const raw = asText(field(query, 'hostname'));
			if (raw === undefined) continue;
			const name = reportableHostname(raw);
			if (name === undefined) continue;
			if (!checkValue('hostname', name).ok) {
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
