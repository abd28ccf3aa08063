/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development-only code, never shipped in dist/ */
/** `npm run simulator -- --help` lists the options (it used to answer "Unknown option '--help'"). */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CLI = join(__dirname, '../../../simulator/ata/cli.ts');
const cli = (...args: string[]) =>
	run(process.execPath, ['-r', 'ts-node/register/transpile-only', CLI, ...args], {
		cwd: join(__dirname, '../../..'),
	});

describe('ATA simulator CLI', () => {
	it('--help lists every option, the completion timing among them, and exits 0', async () => {
		const { stdout } = await cli('--help');
		for (const flag of ['--port', '--seed', '--complete-after-ms', '--complete-spread-ms', '--poll-counted-completion', '--tls', '--ca-file', '--help'])
			expect(stdout).toContain(flag);
		expect(stdout).toMatch(/complete this long after submission, polled or not \(default 30000\)/);
	});

	it('an unknown option fails and points at --help', async () => {
		await expect(cli('--bogus')).rejects.toMatchObject({
			code: 1,
			stderr: expect.stringMatching(/Unknown option '--bogus'[\s\S]*--help/),
		});
	});
});
