/** Connections that are not HTTP conversations (TCP/UDP, IPv4/IPv6) as `network-connection`s. */
import { asList, asText, field, preview } from './input';
import type { ConversionContext } from './model';
import type { ReportView } from './report';
import type { LinkTargets } from './state';
import { connectionObject, readFlow } from './connections';

export function convertNetworkConnections(
	ctx: ConversionContext,
	view: ReportView,
	links: LinkTargets,
): void {
	for (const subject of view.subjects) {
		const process = links.processes.get(subject.index);
		for (const entry of asList(field(subject.raw, 'network_connections'))) {
			const rawProtocol = asText(field(entry, 'protocol'));
			const protocol = rawProtocol?.trim().toUpperCase();
			if (protocol === undefined || !/^[A-Z0-9-]{1,16}$/u.test(protocol)) {
				ctx.warnings.add(
					`network_connections: skipped entry with protocol ${preview(rawProtocol ?? null)}.`,
				);
				continue;
			}
			const flow = readFlow(entry, protocol);
			if (flow.dstIp === undefined && flow.srcIp === undefined) {
				ctx.warnings.add('network_connections: skipped entry without a valid address.');
				continue;
			}
			ctx.reference(process, connectionObject(ctx, flow, entry), 'connects-to');
		}
	}
}
