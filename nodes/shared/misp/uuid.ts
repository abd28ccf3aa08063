/** Deterministic name-based UUIDs (RFC 4122 version 5, SHA-1), so re-conversions match. */
import { hash } from 'node:crypto';

/** The project's namespace: uuidV5('n8n-nodes-nsx-ata', URL namespace), fixed forever. */
export const PROJECT_NAMESPACE = 'e19da010-1ca3-50b4-a863-f7b484e4ea87';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;

export function isUuid(value: string): boolean {
	return UUID.test(value);
}

const namespaceBytes = (namespace: string) => Buffer.from(namespace.replace(/-/gu, ''), 'hex');
// The converter hashes thousands of names per report in the project namespace.
const PROJECT_NAMESPACE_BYTES = namespaceBytes(PROJECT_NAMESPACE);

export function uuidV5(name: string, namespace: string = PROJECT_NAMESPACE): string {
	let bytesOfNamespace = PROJECT_NAMESPACE_BYTES;
	if (namespace !== PROJECT_NAMESPACE) {
		if (!isUuid(namespace)) throw new Error('uuidV5: the namespace must be a UUID.');
		bytesOfNamespace = namespaceBytes(namespace);
	}
	// One-shot hashing: the converter computes thousands of these per report.
	const hex = hash('sha1', Buffer.concat([bytesOfNamespace, Buffer.from(name, 'utf8')]), 'hex');
	const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
