/**
 * Attributes waiting in MISP for playbooks 5 and 6 (submit tagged samples, submit on the MISP
 * webhook): added over MISP's REST API the way an analyst's upload adds them (a malware sample with
 * `encrypt`, so MISP zips it), and what those playbooks left behind. Shared by the tests, the demo
 * and the real-n8n end-to-end run.
 */
import type { MispSimulator, StoredEventJson } from '../simulator/misp';

export const REQUEST_TAG = 'ata:submit';

export interface WaitingAttribute {
	type: 'malware-sample' | 'attachment' | 'url';
	/** File name for samples and attachments, the URL for url. */
	value: string;
	content?: Buffer;
	tags?: string[];
}

export interface AddedAttribute {
	id: string;
	uuid: string;
	event_id: string;
	type: string;
	value: string;
}

/** `POST attributes/add/{event}` as an analyst's upload sends it. */
export async function addWaitingAttribute(
	misp: Pick<MispSimulator, 'url' | 'apiKey'>,
	eventId: string,
	attribute: WaitingAttribute,
): Promise<AddedAttribute> {
	const body: Record<string, unknown> = {
		type: attribute.type,
		category: attribute.type === 'url' ? 'Network activity' : 'Payload delivery',
		value: attribute.value,
		Tag: (attribute.tags ?? [REQUEST_TAG]).map((name) => ({ name })),
	};
	if (attribute.content) {
		body.data = attribute.content.toString('base64');
		if (attribute.type === 'malware-sample') body.encrypt = true;
	}
	const response = await fetch(`${misp.url}/attributes/add/${eventId}`, {
		method: 'POST',
		headers: { Authorization: misp.apiKey, Accept: 'application/json', 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});
	const answer = (await response.json()) as { Attribute?: AddedAttribute };
	if (response.status !== 200 || !answer.Attribute) {
		throw new Error(`MISP refused the attribute (${response.status}): ${JSON.stringify(answer)}`);
	}
	return answer.Attribute;
}

/** Links in the event whose comment names the source attribute: what a user sees. */
export function linksNaming(event: StoredEventJson, source: { uuid: string }): StoredEventJson['Event']['Attribute'] {
	return event.Event.Attribute.filter(
		(attribute) => attribute.type === 'link' && String(attribute.comment ?? '').includes(source.uuid),
	);
}

export function hasTag(event: StoredEventJson, attributeId: string, tag: string): boolean {
	const attribute = event.Event.Attribute.find((candidate) => candidate.id === attributeId);
	return (attribute?.Tag ?? []).some((candidate) => candidate.name === tag);
}
