import type { RequestContext } from './context';
import {
	addAttributes,
	addAttributeTag,
	deleteAttribute,
	describeTypes,
	removeAttributeTag,
	viewAttribute,
} from './routes/attributes';
import { downloadAttachment } from './routes/attachments';
import {
	addEvent,
	addEventTag,
	deleteEvent,
	indexEvents,
	removeEventTag,
	viewEvent,
} from './routes/events';
import { addObject, addObjectReference, deleteObject } from './routes/objects';
import { searchAttributes, searchEvents, searchObjects } from './routes/search';
import { getPyMispVersion, getVersion, viewUser } from './routes/server';
import { addTag, attachTagToObject, indexTags, removeTagFromObject } from './routes/tags';
import type { Reply } from './responses';

export interface Route {
	methods: string[];
	handler: (ctx: RequestContext) => Reply;
	/** restSearch is REST whatever the Accept header says (misp.md §1.1). */
	alwaysRest?: boolean;
}

const POST = ['POST'];
const GET = ['GET'];
const SEARCH = ['GET', 'POST'];

/** The REST subset the playbooks use, keyed `controller/action` as CakePHP routes them. */
const ROUTES: Record<string, Route> = {
	'events/add': { methods: POST, handler: addEvent },
	'events/view': { methods: SEARCH, handler: viewEvent },
	'events/delete': { methods: ['POST', 'DELETE'], handler: deleteEvent },
	'events/index': { methods: SEARCH, handler: indexEvents },
	'events/addTag': { methods: POST, handler: addEventTag },
	'events/removeTag': { methods: POST, handler: removeEventTag },
	'events/restSearch': { methods: SEARCH, handler: searchEvents, alwaysRest: true },
	'attributes/add': { methods: POST, handler: addAttributes },
	'attributes/view': { methods: GET, handler: viewAttribute },
	'attributes/delete': { methods: ['POST', 'DELETE'], handler: deleteAttribute },
	'attributes/addTag': { methods: POST, handler: addAttributeTag },
	'attributes/removeTag': { methods: POST, handler: removeAttributeTag },
	'attributes/describeTypes': { methods: GET, handler: describeTypes },
	// An "automation" action: the API key works without a JSON Accept header.
	'attributes/downloadAttachment': { methods: GET, handler: downloadAttachment, alwaysRest: true },
	'attributes/restSearch': { methods: SEARCH, handler: searchAttributes, alwaysRest: true },
	'objects/add': { methods: POST, handler: addObject },
	'objects/delete': { methods: ['POST', 'DELETE'], handler: deleteObject },
	'objects/restSearch': { methods: SEARCH, handler: searchObjects, alwaysRest: true },
	'objectReferences/add': { methods: POST, handler: addObjectReference },
	'tags/index': { methods: GET, handler: indexTags },
	'tags/add': { methods: POST, handler: addTag },
	'tags/attachTagToObject': { methods: POST, handler: attachTagToObject },
	'tags/removeTagFromObject': { methods: POST, handler: removeTagFromObject },
	'servers/getPyMISPVersion': { methods: GET, handler: getPyMispVersion },
	'servers/getVersion': { methods: GET, handler: getVersion },
	'users/view': { methods: GET, handler: viewUser },
};

export interface ResolvedPath {
	key: string;
	route?: Route;
	args: string[];
	named: Record<string, string>;
	/** A `.json` suffix makes any request REST. */
	jsonSuffix: boolean;
}

/**
 * Splits `/controller/action/arg…` with CakePHP's conventions: REST resource routes
 * (`GET /events`, `POST /events`, `GET /events/12`), greedy `key:value` named parameters.
 */
export function resolvePath(method: string, path: string): ResolvedPath {
	let jsonSuffix = false;
	const segments = path
		.split('/')
		.filter((s) => s !== '')
		.map((s) => {
			try {
				return decodeURIComponent(s);
			} catch {
				return s;
			}
		});
	const last = segments.length - 1;
	if (last >= 0 && segments[last].endsWith('.json')) {
		segments[last] = segments[last].slice(0, -'.json'.length);
		jsonSuffix = true;
	}
	const [controller = '', second] = segments;
	let action: string;
	let rest: string[];
	if (second === undefined) {
		action = method === 'POST' ? 'add' : 'index';
		rest = [];
	} else if (method === 'GET' && /^(\d+|[0-9a-f-]{36})$/i.test(second)) {
		action = 'view';
		rest = segments.slice(1);
	} else {
		action = second;
		rest = segments.slice(2);
	}
	const args: string[] = [];
	const named: Record<string, string> = {};
	for (const segment of rest) {
		const colon = segment.indexOf(':');
		if (colon > 0) named[segment.slice(0, colon)] = segment.slice(colon + 1);
		else args.push(segment);
	}
	const key = `${controller}/${action}`;
	return { key, route: ROUTES[key], args, named, jsonSuffix };
}
