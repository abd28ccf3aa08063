/** A valid sample value for every attribute type the templates use (n picks a second distinct one). */
const HEX_LENGTHS: Record<string, number> = {
	md5: 32,
	imphash: 32,
	'x509-fingerprint-md5': 32,
	sha1: 40,
	'x509-fingerprint-sha1': 40,
	sha224: 56,
	'sha3-224': 56,
	'sha512/224': 56,
	sha256: 64,
	'sha3-256': 64,
	'sha512/256': 64,
	'x509-fingerprint-sha256': 64,
	authentihash: 64,
	sha384: 96,
	'sha3-384': 96,
	sha512: 128,
	'sha3-512': 128,
};

const SAMPLES: Record<string, [string, string]> = {
	AS: ['AS64500', '64501'],
	boolean: ['true', 'false'],
	counter: ['3', '4'],
	'size-in-bytes': ['1024', '2048'],
	datetime: ['2024-05-01T10:00:00Z', '2024-05-02T10:00:00Z'],
	domain: ['evil.example', 'bad.example'],
	hostname: ['www.evil.example', 'cdn.bad.example'],
	'email-dst': ['a@evil.example', 'b@evil.example'],
	float: ['7.5', '3.25'],
	'http-method': ['GET', 'POST'],
	'ip-dst': ['198.51.100.7', '2001:db8::7'],
	'ip-src': ['192.0.2.10', '192.0.2.11'],
	link: ['https://portal.example/analysis/1', 'https://portal.example/analysis/2'],
	'mac-address': ['00:11:22:33:44:55', '00:11:22:33:44:66'],
	port: ['443', '8080'],
	ssdeep: ['24:abcDEF123+/:ghiJKL456', '48:xyz/+:uvw'],
	url: ['http://evil.example/a?b=c', 'https://bad.example/x'],
	uri: ['/a/b', '/c'],
	regkey: ['HKLM\\Software\\Run', 'HKCU\\Software\\Run'],
};

export function sampleValue(type: string, n: 0 | 1): string {
	const hex = HEX_LENGTHS[type];
	if (hex !== undefined) return (n === 0 ? 'ab' : 'cd').repeat(hex / 2);
	return SAMPLES[type]?.[n] ?? `${type} sample ${n + 1}`;
}
