
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIpv4(text: string): boolean {
	return IPV4.test(text);
}

/** The eight 16-bit groups of an IPv6 address, or undefined when it is not one. */
function parseIpv6(text: string): number[] | undefined {
	// An embedded IPv4 tail (`::ffff:1.2.3.4`) stands for the last two groups.
	const lastColon = text.lastIndexOf(':');
	const dotted = text.slice(lastColon + 1);
	let hexText = text;
	if (dotted.includes('.')) {
		if (!isIpv4(dotted)) return undefined;
		const o = dotted.split('.').map(Number);
		const groups = [(o[0] << 8) | o[1], (o[2] << 8) | o[3]].map((g) => g.toString(16));
		hexText = `${text.slice(0, lastColon + 1)}${groups.join(':')}`;
	}
	const halves = hexText.split('::');
	if (halves.length > 2) return undefined;
	const toGroups = (part: string): number[] | undefined => {
		if (part === '') return [];
		const groups = part.split(':');
		if (groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined;
		return groups.map((g) => parseInt(g, 16));
	};
	const left = toGroups(halves[0]);
	const right = halves.length === 2 ? toGroups(halves[1]) : [];
	if (!left || !right) return undefined;
	if (halves.length === 1) return left.length === 8 ? left : undefined;
	const gap = 8 - left.length - right.length;
	if (gap < 1) return undefined;
	return [...left, ...new Array<number>(gap).fill(0), ...right];
}

export function isIpv6(text: string): boolean {
	return parseIpv6(text) !== undefined;
}

/** `inet_ntop(inet_pton(x))` as glibc prints it: lower case, longest zero run (≥ 2 groups) as `::`. */
export function compressIpv6(text: string): string {
	const groups = parseIpv6(text);
	if (!groups) return text;
	if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
		return `::ffff:${groups[6] >> 8}.${groups[6] & 255}.${groups[7] >> 8}.${groups[7] & 255}`;
	}
	let bestStart = -1;
	let bestLength = 0;
	for (let i = 0; i < 8; ) {
		if (groups[i] !== 0) {
			i++;
			continue;
		}
		let j = i;
		while (j < 8 && groups[j] === 0) j++;
		if (j - i > bestLength) {
			bestStart = i;
			bestLength = j - i;
		}
		i = j;
	}
	const hex = groups.map((g) => g.toString(16));
	if (bestLength < 2) return hex.join(':');
	const left = hex.slice(0, bestStart).join(':');
	const right = hex.slice(bestStart + bestLength).join(':');
	return `${left}::${right}`;
}
