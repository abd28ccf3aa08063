import { randomUUID } from 'node:crypto';

import type { RequestContext } from '../context';
import { MispException, ok, type Reply } from '../responses';
import { orgJson } from '../store';

/** The MISP version the simulator answers like (misp.md §9, §10). */
export const MISP_VERSION = '2.5.1';

/** `GET /servers/getPyMISPVersion.json` (deprecated, still PyMISP's first call). */
export function getPyMispVersion(): Reply {
	return ok({ version: MISP_VERSION });
}

const INSTANCE_UUID = randomUUID();

/** `GET /servers/getVersion`: the user's sync-related permissions; the instance uuid only for sync users. */
export function getVersion(ctx: RequestContext): Reply {
	const admin = ctx.user.role.perm_site_admin;
	return ok({
		version: MISP_VERSION,
		pymisp_recommended_version: MISP_VERSION,
		perm_sync: admin,
		perm_sighting: true,
		perm_galaxy_editor: admin,
		perm_analyst_data: true,
		uuid: admin ? INSTANCE_UUID : '-',
		request_encoding: ['gzip'],
		filter_sightings: true,
	});
}

/** `GET /users/view/me` (PyMISP's `get_user`): the user, its role, settings and organisation. */
export function viewUser(ctx: RequestContext): Reply {
	if (ctx.args[0] !== 'me' && ctx.args[0] !== ctx.user.id) {
		throw new MispException(404, 'Invalid user');
	}
	const { user } = ctx;
	const role = user.role;
	const roleName = role.perm_site_admin ? 'admin' : role.perm_modify_org ? 'Org Admin' : 'User';
	return ok({
		User: {
			id: user.id,
			org_id: user.org.id,
			email: user.email,
			autoalert: false,
			role_id: role.perm_site_admin ? '1' : role.perm_modify_org ? '2' : '3',
			change_pw: false,
			contactalert: false,
			disabled: user.disabled,
			termsaccepted: true,
			expiration: null,
			force_logout: false,
		},
		Role: { id: role.perm_site_admin ? '1' : '2', name: roleName, ...role },
		UserSetting: [],
		Organisation: { ...orgJson(user.org), type: 'ADMIN', description: '' },
	});
}
