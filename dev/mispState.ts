/**
 * What a playbook left in the MISP simulator, read the same way by the tests, the demo and the
 * real-n8n end-to-end scripts, and compared with what the converter says MISP should hold.
 */
import type { MispSimulator } from '../simulator/misp';

export const INCOMPLETE = 'workflow:state="incomplete"';
export const COMPLETE = 'workflow:state="complete"';

/** Tag names of an attribute as the MISP simulator stores it. */
export function attributeTags(misp: MispSimulator, eventId: string, attributeId: string): string[] {
	const event = misp.getEvent(eventId)!.Event;
	const attribute = event.Attribute.find((candidate) => candidate.id === attributeId)!;
	return (attribute.Tag ?? []).map((tag) => tag.name).sort();
}

/** Object names per MISP event, counted. */
export function objectCounts(misp: MispSimulator, eventId: string): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const object of misp.getEvent(eventId)!.Event.Object) counts[object.name] = (counts[object.name] ?? 0) + 1;
	return counts;
}

interface ReferencingObject {
	uuid: string;
	name: string;
	ObjectReference?: Array<{ referenced_uuid: string; relationship_type: string }>;
}

/**
 * Object references as "source relationship target" (object names), sorted, so the converter's
 * objects and the objects MISP stores compare even though MISP adds its own ids.
 */
export function referenceSignatures(objects: ReferencingObject[]): string[] {
	const nameOf = new Map(objects.map((object) => [object.uuid, object.name]));
	return objects
		.flatMap((object) =>
			(object.ObjectReference ?? []).map(
				(reference) => `${object.name} ${reference.relationship_type} ${nameOf.get(reference.referenced_uuid) ?? '?'}`,
			),
		)
		.sort();
}
