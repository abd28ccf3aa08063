/**
 * What n8n's node panel builds from the trigger's description (seen in a real n8n 2.40.7 editor):
 * the trigger's actions come from its "Event" options, and an option without `action` is shown
 * as "On " + its name in lower case, which read "On on analysis completed" before.
 */
import type { INodePropertyOptions } from 'n8n-workflow';

import { NsxAtaTrigger } from '../../nodes/NsxAtaTrigger/NsxAtaTrigger.node';

const EVENT_PROPERTY_NAMES = ['event', 'events', 'trigger on'];

it('names every trigger event for the node panel', () => {
	const { properties } = new NsxAtaTrigger().description;
	const events = properties.filter((property) =>
		EVENT_PROPERTY_NAMES.includes(property.displayName.toLowerCase()),
	);
	expect(events).toHaveLength(1);
	const options = (events[0].options ?? []) as INodePropertyOptions[];
	expect(options.map((option) => option.action)).toEqual(['On analysis completed']);
	for (const option of options) expect(option.name).not.toMatch(/^on /i);
});
