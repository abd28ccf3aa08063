import { parseMultipart } from '../../../simulator/ata/multipart';
import { parseBoolean } from '../../../simulator/ata/requestBody';
import { pythonMultipart } from './ataWire';

describe('multipart parsing', () => {
	it('splits text and file parts, keeping binary content byte-exact', () => {
		const binary = Buffer.from([0, 13, 10, 45, 45, 255, 13, 10]);
		const { body, contentType } = pythonMultipart(
			[
				['a', '1'],
				['b', ''],
			],
			[{ name: 'file', filename: 'dummy-ascii-name-for-file-param', data: binary }],
		);
		const boundary = contentType.split('boundary=')[1];
		const parts = parseMultipart(body, boundary);
		expect(parts.map((part) => [part.name, part.filename, part.contentType])).toEqual([
			['a', undefined, undefined],
			['b', undefined, undefined],
			['file', 'dummy-ascii-name-for-file-param', undefined],
		]);
		expect(parts[0].data.toString()).toBe('1');
		expect(parts[1].data.length).toBe(0);
		expect(parts[2].data.equals(binary)).toBe(true);
	});

	it('decodes RFC 5987 filename* and backslash-escaped quotes', () => {
		const body = Buffer.from(
			'--XyZ\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8\'\'na%C3%AFve%20name.exe\r\nContent-Type: application/octet-stream\r\n\r\nabc\r\n' +
				'--XyZ\r\nContent-Disposition: form-data; name="doc"; filename="say \\"hi\\".txt"\r\n\r\nx\r\n--XyZ--\r\n',
		);
		const [first, second] = parseMultipart(body, 'XyZ');
		expect(first).toMatchObject({
			name: 'file',
			filename: 'naïve name.exe',
			contentType: 'application/octet-stream',
		});
		expect(second.filename).toBe('say "hi".txt');
	});

	it('rejects bodies without the boundary or without a closing delimiter', () => {
		expect(() => parseMultipart(Buffer.from('garbage'), 'XyZ')).toThrow();
		expect(() =>
			parseMultipart(
				Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\n1'),
				'XyZ',
			),
		).toThrow();
		expect(() =>
			parseMultipart(Buffer.from('--XyZ\r\nContent-Type: text/plain\r\n\r\n1\r\n--XyZ--'), 'XyZ'),
		).toThrow(/Content-Disposition/);
	});

	it('accepts the boolean spellings clients send and nothing else', () => {
		for (const value of ['1', 'true', 'True']) expect(parseBoolean(value)).toBe(true);
		for (const value of ['0', 'false', 'False', '', undefined])
			expect(parseBoolean(value)).toBe(false);
		for (const value of ['yes', 'TRUE', '2']) expect(parseBoolean(value)).toBeUndefined();
	});
});
