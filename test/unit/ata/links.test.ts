import { derivePortalUrl, isHostedPortal, parseBaseUrl } from '../../../nodes/shared/ata/baseUrls';
import { AtaError } from '../../../nodes/shared/ata/errors';
import { buildAnalysisLink, taskUuidFromLink } from '../../../nodes/shared/ata/links';

const UUID = '3f2c9a7d41b800101a7e5c2d9b04e6f1';
const hostedPortal = parseBaseUrl('https://user.lastline.com', 'portal URL');
const onPremPortal = parseBaseUrl('https://ata.corp.example:8443', 'portal URL');

describe('analysis links', () => {
	it('builds the canonical link from the configured portal', () => {
		expect(buildAnalysisLink(hostedPortal, UUID)).toBe(
			`https://user.lastline.com/portal#/analyst/task/${UUID}/overview`,
		);
		expect(buildAnalysisLink(onPremPortal, UUID.toUpperCase())).toBe(
			`https://ata.corp.example:8443/portal#/analyst/task/${UUID}/overview`,
		);
	});

	it('derives the portal from the Analyst API URL without a naive string replace', () => {
		const portal = (url: string) => derivePortalUrl(parseBaseUrl(url, 'base URL')).href;
		expect(portal('https://analysis.lastline.com')).toBe('https://user.lastline.com/');
		expect(portal('https://analysis.emea.lastline.com/')).toBe('https://user.emea.lastline.com/');
		// The old module turned this into user.user.example:
		expect(portal('https://analysis.analysis.example')).toBe('https://analysis.analysis.example/');
		expect(portal('https://ata.corp.example/api')).toBe('https://ata.corp.example/');
	});

	it('decides hosted vs on-premise by exact host, not substring', () => {
		expect(isHostedPortal(hostedPortal)).toBe(true);
		expect(isHostedPortal(parseBaseUrl('https://user.lastline.com.evil.example', 'x'))).toBe(false);
		expect(isHostedPortal(onPremPortal)).toBe(false);
	});

	it('parses links of the configured portal and bare task uuids', () => {
		expect(taskUuidFromLink(buildAnalysisLink(hostedPortal, UUID), hostedPortal)).toBe(UUID);
		expect(taskUuidFromLink(` ${UUID.toUpperCase()} `, hostedPortal)).toBe(UUID);
		expect(taskUuidFromLink(`https://user.lastline.com/portal#/analyst/task/${UUID}`, hostedPortal)).toBe(UUID);
		// Hosted portals accept their sibling data centres' links (exact host set).
		expect(
			taskUuidFromLink(`https://user.emea.lastline.com/portal#/analyst/task/${UUID}/overview`, hostedPortal),
		).toBe(UUID);
		expect(
			taskUuidFromLink(`https://ata.corp.example:8443/portal#/analyst/task/${UUID}/overview`, onPremPortal),
		).toBe(UUID);
	});

	it('names the foreign host of an https link when the portal is plain http (the simulators)', () => {
		const loopbackPortal = new URL('http://127.0.0.1:8123');
		expect(() =>
			taskUuidFromLink(`https://evil.example/portal#/analyst/task/${UUID}/overview`, loopbackPortal),
		).toThrow('The analysis link points at evil.example, not at the configured portal 127.0.0.1:8123');
		expect(() =>
			taskUuidFromLink(`https://127.0.0.1:8123/portal#/analyst/task/${UUID}/overview`, loopbackPortal),
		).toThrow('The analysis link uses https, but the configured portal uses http');
	});

	const hostile: Array<[string, string]> = [
		['look-alike host', `https://user.lastline.com.evil.example/portal#/analyst/task/${UUID}/overview`],
		['foreign host', `https://evil.example/portal#/analyst/task/${UUID}/overview`],
		['hex-looking host', `https://${UUID}.example/portal#/analyst/task/${UUID}/overview`],
		['http downgrade', `http://user.lastline.com/portal#/analyst/task/${UUID}/overview`],
		['uuid in the wrong place', `https://user.lastline.com/portal#/analyst/${UUID}/task/overview`],
		['uuid in the path', `https://user.lastline.com/${UUID}/portal#/analyst/task/x/overview`],
		['extra path segment', `https://user.lastline.com/x/portal#/analyst/task/${UUID}/overview`],
		['extra fragment segment', `https://user.lastline.com/portal#/analyst/task/${UUID}/overview/x`],
		['different port', `https://user.lastline.com:8443/portal#/analyst/task/${UUID}/overview`],
		['user info', `https://user.lastline.com@evil.example/portal#/analyst/task/${UUID}/overview`],
		['user info on the right host', `https://a:b@user.lastline.com/portal#/analyst/task/${UUID}/overview`],
		['query string', `https://user.lastline.com/portal?x=1#/analyst/task/${UUID}/overview`],
		['short uuid', `https://user.lastline.com/portal#/analyst/task/${UUID.slice(1)}/overview`],
		['IDN homograph', `https://user.lastlіne.com/portal#/analyst/task/${UUID}/overview`],
		['not a URL', 'see the report'],
		['javascript URL', `javascript:alert('${UUID}')`],
	];

	it.each(hostile)('refuses a link with a %s', (_label, link) => {
		let error: unknown;
		try {
			taskUuidFromLink(link, hostedPortal);
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(AtaError);
		expect((error as AtaError).kind).toBe('config');
		expect((error as AtaError).message).not.toMatch(/a:b/);
	});

	it('requires https for non-loopback base URLs and refuses user info', () => {
		expect(() => parseBaseUrl('http://analysis.lastline.com', 'base URL')).toThrow(/https/);
		expect(() => parseBaseUrl('https://key:token@analysis.lastline.com', 'base URL')).toThrow(
			/user name or password/,
		);
		expect(parseBaseUrl('http://127.0.0.1:8123/', 'base URL').href).toBe('http://127.0.0.1:8123/');
		expect(() => parseBaseUrl('not a url', 'base URL')).toThrow(/not a valid URL/);
	});
});
