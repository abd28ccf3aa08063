/**
 * Property tests of the analysis-link parser (`taskUuidFromLink`): whatever the text, it either
 * yields a lower-case task uuid of a link that points exactly at the configured portal (same
 * scheme, an accepted host, no user-info) or refuses with a configuration error that echoes no
 * password; built links always parse back to their uuid.
 */
import fc from 'fast-check';

import { acceptedLinkHosts } from '../../nodes/shared/ata/baseUrls';
import { AtaError } from '../../nodes/shared/ata/errors';
import { buildAnalysisLink, taskUuidFromLink } from '../../nodes/shared/ata/links';
import { fuzzParameters, REGRESSIONS } from './fuzzRuns';

const PORTALS = ['http://127.0.0.1:8123', 'https://user.lastline.com', 'https://ata.corp.example/sub', 'https://[::1]:8443'];
const portal = fc.constantFrom(...PORTALS).map((text) => new URL(text));
const uuid = fc.stringMatching(/^[0-9a-fA-F]{32}$/);

/** Links assembled from pieces near the accepted form, so the parser's edges are hit often. */
const linkLike = fc
	.record({
		scheme: fc.constantFrom('https://', 'http://', 'HTTPS://', 'javascript://', '//', '', 'https:/', 'https:\\\\'),
		userinfo: fc.constantFrom('', 'user@', 'user:pw@', 'user.lastline.com@', '127.0.0.1:8123@'),
		host: fc.oneof(
			fc.constantFrom('user.lastline.com', 'user.us.lastline.com', 'user.lastline.com.evil.example', 'us\u0435r.lastline.com',
				'\uff55\uff53\uff45\uff52.lastline.com', '127.0.0.1', 'ata.corp.example', 'ATA.corp.example', '[::1]', 'xn--usr-lastline'),
			fc.domain(),
		),
		port: fc.constantFrom('', ':8123', ':443', ':8443', ':0', ':99999'),
		path: fc.constantFrom('/portal', '/portal/', '/sub/portal', '/Portal', '/portal/x', '', '/portal?x=1', '/sub/portal/'),
		fragment: fc.oneof(
			uuid.map((id) => `#/analyst/task/${id}/overview`),
			uuid.map((id) => `#/analyst/task/${id}`),
			uuid.map((id) => `#/analyst/task/${id}/overview/extra`),
			uuid.map((id) => `#/analyst/task/${id}x/overview`),
			fc.string(),
		),
		padding: fc.constantFrom('', ' ', '\n', '\t', '\u00a0'),
	})
	.map((p) => `${p.padding}${p.scheme}${p.userinfo}${p.host}${p.port}${p.path}${p.fragment}${p.padding}`);

const anyInput = fc.oneof(linkLike, fc.string(), fc.webUrl({ withFragments: true, withQueryParameters: true }), uuid);

/** The contract: a uuid for a link to the configured portal, else a config AtaError. */
function checkParse(input: string, configured: URL): void {
	let result: string;
	try {
		result = taskUuidFromLink(input, configured);
	} catch (error) {
		expect(error).toBeInstanceOf(AtaError);
		expect((error as AtaError).kind).toBe('config');
		expect((error as AtaError).message).not.toMatch(/[\r\n]/);
		return;
	}
	expect(result).toMatch(/^[0-9a-f]{32}$/);
	const text = input.trim();
	if (/^[0-9a-f]{32}$/i.test(text)) return;
	const url = new URL(text);
	expect(url.username + url.password).toBe('');
	expect(url.protocol).toBe(configured.protocol);
	expect(acceptedLinkHosts(configured).has(url.host)).toBe(true);
	expect(url.hash.toLowerCase()).toContain(result);
}

it('accepts only links to the configured portal, refusing everything else with a config error', () => {
	fc.assert(fc.property(anyInput, portal, checkParse), fuzzParameters());
});

it('parses every built link back to its uuid', () => {
	fc.assert(
		fc.property(uuid, portal, (id, configured) => {
			expect(taskUuidFromLink(buildAnalysisLink(configured, id), configured)).toBe(id.toLowerCase());
		}),
		fuzzParameters(),
	);
});

it('refuses a built link moved to any other host, and never echoes a password', () => {
	fc.assert(
		fc.property(uuid, portal, fc.domain(), fc.stringMatching(/^[A-Za-z0-9]{8,20}$/), (id, configured, host, password) => {
			fc.pre(!acceptedLinkHosts(configured).has(host));
			const moved = new URL(buildAnalysisLink(configured, id));
			moved.hostname = host;
			expect(() => taskUuidFromLink(moved.href, configured)).toThrow(AtaError);
			moved.username = 'user';
			moved.password = `SECRET${password}`;
			try {
				taskUuidFromLink(moved.href, configured);
				throw new Error('accepted a link with a password');
			} catch (error) {
				expect(error).toBeInstanceOf(AtaError);
				expect((error as AtaError).message).not.toContain(`SECRET${password}`);
			}
		}),
		fuzzParameters(),
	);
});

it.each(REGRESSIONS.links)('regression: $note', ({ input, portal: configured, accepted }) => {
	checkParse(input, new URL(configured));
	const parsed = (() => {
		try {
			return taskUuidFromLink(input, new URL(configured));
		} catch {
			return undefined;
		}
	})();
	expect(parsed !== undefined).toBe(accepted);
});
