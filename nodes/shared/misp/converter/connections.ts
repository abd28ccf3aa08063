/** Shared by HTTP conversations and plain connections: one identity per flow, so each flow is one object. */
import { checkValue, isIPv6 } from '../values';
import { asNumber, asText, field } from './input';
import type { ConversionContext, MispObject } from './model';

export interface Flow {
	protocol: string;
	srcIp?: string;
	srcPort?: number;
	dstIp?: string;
	dstPort?: number;
}

function ip(raw: unknown): string | undefined {
	const text = asText(raw);
	if (text === undefined) return undefined;
	const check = checkValue('ip-dst', text);
	return check.ok ? check.value : undefined;
}

function port(raw: unknown): number | undefined {
	const value = asNumber(raw);
	return value !== undefined && Number.isInteger(value) && value >= 1 && value <= 65535
		? value
		: undefined;
}

export function readFlow(entry: unknown, protocol: string): Flow {
	return {
		protocol,
		srcIp: ip(field(entry, 'src_ip')),
		srcPort: port(field(entry, 'src_port')),
		dstIp: ip(field(entry, 'dst_ip')),
		dstPort: port(field(entry, 'dst_port')),
	};
}

/** A `network-connection` for the flow; the first section to see a flow decides its details. */
export function connectionObject(
	ctx: ConversionContext,
	flow: Flow,
	raw: unknown,
	extra: { hostname?: string; layer7?: string } = {},
): MispObject | undefined {
	const identity = [
		flow.protocol,
		flow.srcIp ?? '',
		flow.srcPort ?? '',
		flow.dstIp ?? '',
		flow.dstPort ?? '',
	];
	return ctx.object('network-connection', identity, 'connections', (draft) => {
		draft.add('ip-src', field(raw, 'src_ip'));
		draft.add('src-port', field(raw, 'src_port'));
		draft.add('ip-dst', field(raw, 'dst_ip'));
		draft.add('dst-port', field(raw, 'dst_port'));
		draft.add('hostname-dst', extra.hostname);
		const address = flow.dstIp ?? flow.srcIp;
		if (address !== undefined) draft.add('layer3-protocol', isIPv6(address) ? 'IPv6' : 'IPv4');
		draft.add('layer4-protocol', flow.protocol);
		draft.add('layer7-protocol', extra.layer7);
	});
}
