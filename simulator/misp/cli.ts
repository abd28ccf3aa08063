/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- development-only code, never shipped in dist/ */
/** `npm run misp-simulator -- --port 8124 [--api-key KEY] [--templates file,sandbox-report] [--workflow-webhook URL]` */
import { startMispSimulator } from './index';

function option(name: string): string | undefined {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
	const templates = option('templates');
	const simulator = await startMispSimulator({
		port: Number(option('port') ?? 8124),
		apiKey: option('api-key'),
		knownTemplates: templates ? templates.split(',').map((name) => ({ name: name.trim() })) : 'all',
		workflowWebhook: option('workflow-webhook') ? { url: option('workflow-webhook') as string } : undefined,
	});
	console.log(`MISP simulator listening on ${simulator.url}`);
	console.log(`API key (Authorization header): ${simulator.apiKey}`);
	console.log(
		`Knowledge: ${simulator.knowledge.source} (${simulator.knowledge.templates.length} templates); org ORGNAME, user admin@admin.test`,
	);
	const stop = (): void => {
		void simulator.close().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
