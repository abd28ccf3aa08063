/**
 * Deterministic result documents (`data` of `analysis/get`) of any size, in the shapes of ata-api.md §8
 * and the fixtures: ll-int-win for files, ll-web for URLs. Same options (seed included) → identical document.
 * All text is ASCII, so JSON length equals byte length, which keeps size targeting cheap and exact.
 */
import { formatAtaTime, formatAtaTimeMicros } from './ataTime';
import { createSeededRandom, type SeededRandom } from './seededRandom';

export interface FileAnalysisSubject {
	md5: string;
	sha1: string;
	sha256: string;
	mime_type: string;
}

export interface ReportGeneratorOptions {
	kind: 'file' | 'url';
	seed: number;
	/** Approximate JSON size of the document; never below the skeleton (~15 kB file, ~6 kB URL). Default 60 000. */
	targetBytes?: number;
	taskUuid?: string;
	/** 0–100; derived from the seed when absent. */
	score?: number;
	subject?: FileAnalysisSubject | { url: string };
	/** Sample file name, used for the first process' command line. */
	filename?: string;
	/** First submission time (epoch ms); report timestamps follow it. Default 2024-03-18 09:41:07 UTC. */
	submittedAt?: number;
}

export type ResultDocument = Record<string, unknown>;

type Json = Record<string, unknown>;

const DEFAULT_TARGET_BYTES = 60_000;
const DEFAULT_SUBMITTED_AT = Date.UTC(2024, 2, 18, 9, 41, 7);

interface Technique {
	id: string;
	name: string;
	tactics: Array<[string, string]>;
}

const FILE_ACTIVITIES: Array<[string, Technique[]]> = [
	[
		'Anomaly: Office document spawned a command shell',
		[{ id: 'T1204.002', name: 'Malicious File', tactics: [['TA0002', 'Execution']] }],
	],
	[
		'Evasion: Ability to detect virtualized environment',
		[
			{
				id: 'T1497.001',
				name: 'System Checks',
				tactics: [
					['TA0005', 'Defense Evasion'],
					['TA0007', 'Discovery'],
				],
			},
		],
	],
	[
		'Evasion: Disabling Windows Defender via registry',
		[
			{
				id: 'T1562.001',
				name: 'Disable or Modify Tools',
				tactics: [['TA0005', 'Defense Evasion']],
			},
		],
	],
	[
		'Execution: Encoded PowerShell command line',
		[{ id: 'T1059.001', name: 'PowerShell', tactics: [['TA0002', 'Execution']] }],
	],
	[
		'Execution: Injection of code into a trusted process',
		[
			{
				id: 'T1055',
				name: 'Process Injection',
				tactics: [
					['TA0005', 'Defense Evasion'],
					['TA0004', 'Privilege Escalation'],
				],
			},
		],
	],
	[
		'Network: Download of an executable over HTTP',
		[{ id: 'T1105', name: 'Ingress Tool Transfer', tactics: [['TA0011', 'Command and Control']] }],
	],
	[
		'Network: HTTP POST beaconing to a suspicious host',
		[{ id: 'T1071.001', name: 'Web Protocols', tactics: [['TA0011', 'Command and Control']] }],
	],
	[
		'Network: Resolution of algorithmically generated domain names',
		[
			{
				id: 'T1568.002',
				name: 'Domain Generation Algorithms',
				tactics: [['TA0011', 'Command and Control']],
			},
		],
	],
	[
		'Persistence: Installation of a Run registry key',
		[
			{
				id: 'T1547.001',
				name: 'Registry Run Keys / Startup Folder',
				tactics: [
					['TA0003', 'Persistence'],
					['TA0004', 'Privilege Escalation'],
				],
			},
		],
	],
	[
		'Persistence: Creation of a scheduled task',
		[
			{
				id: 'T1053.005',
				name: 'Scheduled Task',
				tactics: [
					['TA0002', 'Execution'],
					['TA0003', 'Persistence'],
					['TA0004', 'Privilege Escalation'],
				],
			},
		],
	],
	[
		'Search: Enumeration of browser credential stores',
		[
			{
				id: 'T1555.003',
				name: 'Credentials from Web Browsers',
				tactics: [['TA0006', 'Credential Access']],
			},
		],
	],
	[
		'Stealth: Hiding files from Explorer',
		[
			{
				id: 'T1564.001',
				name: 'Hidden Files and Directories',
				tactics: [['TA0005', 'Defense Evasion']],
			},
		],
	],
	[
		'Discovery: Enumeration of running processes',
		[{ id: 'T1057', name: 'Process Discovery', tactics: [['TA0007', 'Discovery']] }],
	],
	[
		'Collection: Periodic screen capture',
		[{ id: 'T1113', name: 'Screen Capture', tactics: [['TA0009', 'Collection']] }],
	],
	['Signature: Identified downloader code', []],
	['Family: Generic banking trojan', []],
];

/** Mapped to ATT&CK but not listed in malicious_activity, as in the real sample (parsers differ on it). */
const UNLISTED_FILE_ACTIVITY: [string, Technique[]] = [
	'Search: Retrieving the computer name',
	[{ id: 'T1082', name: 'System Information Discovery', tactics: [['TA0007', 'Discovery']] }],
];

const URL_ACTIVITIES: Array<[string, Technique[]]> = [
	[
		'Phishing: Page contains a credential harvesting form',
		[{ id: 'T1566.002', name: 'Spearphishing Link', tactics: [['TA0001', 'Initial Access']] }],
	],
	['Phishing: Page imitates a well-known webmail login', []],
	[
		'Network: Credentials posted to an external script',
		[
			{
				id: 'T1056.003',
				name: 'Web Portal Capture',
				tactics: [
					['TA0009', 'Collection'],
					['TA0006', 'Credential Access'],
				],
			},
		],
	],
	[
		'Exploit: Browser exploit kit landing page',
		[{ id: 'T1189', name: 'Drive-by Compromise', tactics: [['TA0001', 'Initial Access']] }],
	],
	['Redirection: Multiple cross-domain redirects', []],
];

interface FileKind {
	mime: string;
	llfile: string;
	fileInfo: string;
	extension: string;
}

const FILE_KINDS: FileKind[] = [
	{
		mime: 'application/x-pe-app-32bit-i386',
		llfile: 'PeExeFile',
		fileInfo: 'PE executable, 32-bit, Intel i386',
		extension: 'exe',
	},
	{
		mime: 'application/x-pe-app-64bit-x86-64',
		llfile: 'PeExeFile',
		fileInfo: 'PE executable, 64-bit, x86-64',
		extension: 'dll',
	},
	{
		mime: 'text/plain',
		llfile: 'TextFile',
		fileInfo: 'ASCII text, with very long lines',
		extension: 'ps1',
	},
	{ mime: 'application/octet-stream', llfile: 'DataFile', fileInfo: 'data', extension: 'dat' },
	{
		mime: 'application/x-sqlite3',
		llfile: 'DataFile',
		fileInfo: 'SQLite 3.x database',
		extension: 'tmp',
	},
];

const WORDS = [
	'update',
	'cdn',
	'portal',
	'secure',
	'mail',
	'login',
	'static',
	'track',
	'files',
	'share',
	'invoice',
	'docs',
	'api',
	'gate',
	'sync',
	'cloud',
];
const TLDS = ['example.com', 'example.net', 'example.org'];
const IP_PREFIXES = ['192.0.2.', '198.51.100.', '203.0.113.'];
const DIRECTORIES = [
	'C:\\Users\\Walter\\AppData\\Roaming\\MsUpdate',
	'C:\\Users\\Walter\\AppData\\Local\\Temp',
	'C:\\Users\\Walter\\Documents',
	'C:\\ProgramData\\SyncHost',
	'C:\\Windows\\Temp',
];
const REGISTRY_KEYS = [
	'HKLM\\SOFTWARE\\MICROSOFT\\WINDOWS NT\\CURRENTVERSION',
	'HKCU\\SOFTWARE\\MICROSOFT\\WINDOWS\\CURRENTVERSION\\RUN',
	'HKCU\\SOFTWARE\\MICROSOFT\\WINDOWS\\CURRENTVERSION\\INTERNET SETTINGS',
	'HKLM\\SYSTEM\\CURRENTCONTROLSET\\CONTROL\\NLS\\LANGUAGE',
	'HKLM\\SOFTWARE\\POLICIES\\MICROSOFT\\WINDOWS DEFENDER',
	'HKCU\\SOFTWARE\\MICROSOFT\\WINDOWS\\CURRENTVERSION\\EXPLORER\\ADVANCED',
	'HKLM\\SOFTWARE\\MICROSOFT\\CRYPTOGRAPHY',
];
const REGISTRY_VALUES = [
	'ProductName',
	'MsUpdate Helper',
	'ProxyEnable',
	'Default',
	'DisableAntiSpyware',
	'Hidden',
	'MachineGuid',
	'InstallLanguage',
];
const PROCESS_NAMES = [
	'cmd.exe',
	'powershell.exe',
	'rundll32.exe',
	'svchost.exe',
	'schtasks.exe',
	'wuauhlp.exe',
	'explorer.exe',
	'regsvr32.exe',
];
const WEB_CONTENT_TYPES = [
	'text/html',
	'text/css',
	'application/javascript',
	'image/png',
	'image/gif',
	'font/woff',
	'application/json',
];

/** Generates the full result document for a file (ll-int-win) or URL (ll-web) analysis. */
export function generateResultDocument(options: ReportGeneratorOptions): ResultDocument {
	const random = createSeededRandom(options.seed);
	const build = options.kind === 'file' ? buildFileDocument : buildUrlDocument;
	return build(random, options, options.targetBytes ?? DEFAULT_TARGET_BYTES);
}

/** A task uuid in the real layout: 32 hex characters with `0010` at index 12 (tau-clients' heuristic). */
export function generateTaskUuid(random: SeededRandom): string {
	return `${random.hex(12)}0010${random.hex(16)}`;
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function reportUuid(random: SeededRandom): string {
	let tail = '';
	for (let i = 0; i < 38; i++) tail += BASE64URL[random.int(64)];
	return `${random.hex(16)}${tail}`;
}

function ip(random: SeededRandom): string {
	return `${random.pick(IP_PREFIXES)}${random.between(2, 254)}`;
}

function ipv6(random: SeededRandom): string {
	return `2001:db8:${random.hex(4)}::${random.hex(3)}`;
}

function domain(random: SeededRandom): string {
	return `${random.pick(WORDS)}-${random.pick(WORDS)}.${random.pick(TLDS)}`;
}

function algorithmicDomain(random: SeededRandom): string {
	let label = '';
	const length = random.between(10, 16);
	for (let i = 0; i < length; i++) label += String.fromCharCode(97 + random.int(26));
	return `${label}.example.net`;
}

function pickActivities(
	random: SeededRandom,
	catalogue: Array<[string, Technique[]]>,
	score: number,
): Array<[string, Technique[]]> {
	const count =
		score >= 70
			? random.between(6, catalogue.length)
			: score >= 30
				? random.between(2, 4)
				: random.int(2);
	const pool = [...catalogue];
	const chosen: Array<[string, Technique[]]> = [];
	while (chosen.length < Math.min(count, catalogue.length))
		chosen.push(pool.splice(random.int(pool.length), 1)[0]);
	return chosen;
}

function mitreMap(entries: Array<[string, Technique[]]>): Json {
	const map: Json = {};
	for (const [activity, techniques] of entries) {
		if (techniques.length === 0) continue;
		map[activity] = techniques.map((technique) => ({
			tactics: technique.tactics.map(([id, name]) => ({ id, name })),
			id: technique.id,
			name: technique.name,
		}));
	}
	return map;
}

function taskEnvelope(
	random: SeededRandom,
	options: ReportGeneratorOptions,
	score: number,
	activities: Array<[string, Technique[]]>,
	mapped: Array<[string, Technique[]]>,
	reports: Json[],
	report: Json,
	subject: Json,
): Json {
	const submittedAt = options.submittedAt ?? DEFAULT_SUBMITTED_AT;
	const childCount = score >= 70 ? random.between(1, 3) : random.int(2);
	const parentReport = String(reports[0].report_uuid);
	return {
		task_uuid: options.taskUuid ?? generateTaskUuid(random),
		submission: formatAtaTime(submittedAt),
		last_submission_timestamp: formatAtaTime(submittedAt),
		expires: formatAtaTime(submittedAt + (options.kind === 'file' ? 48 : 24) * 3_600_000),
		score,
		analysis_subject: subject,
		malicious_activity: activities.map(([activity]) => activity),
		activity_to_mitre_techniques: mitreMap(mapped),
		reports,
		child_tasks: Array.from({ length: childCount }, () => ({
			task_uuid: generateTaskUuid(random),
			score: random.pick([0, 30, 70, 100]),
			tag:
				options.kind === 'file'
					? random.pick(['file created during analysis', 'network traffic analysis'])
					: 'network traffic analysis',
			parent_report_uuid: parentReport,
		})),
		report,
	};
}

function deriveScore(random: SeededRandom, options: ReportGeneratorOptions): number {
	return options.score ?? random.pick([0, 10, 30, 45, 70, 85, 100]);
}

// ---------------------------------------------------------------- file analyses (ll-int-win)

interface FileContext {
	random: SeededRandom;
	start: number;
	subjects: Json[];
	metadata: Json[];
}

function extInfo(context: FileContext, kind: FileKind): Json {
	const { random } = context;
	return {
		sha1: random.hex(40),
		file_info: kind.fileInfo,
		sha256: random.hex(64),
		mime: kind.mime,
		create_timestamp: formatAtaTimeMicros(context.start + random.int(400_000)),
		md5: random.hex(32),
		llfile: kind.llfile,
		size: random.between(120, 2_500_000),
	};
}

function executable(context: FileContext, path: string): Json {
	const { random } = context;
	const info = extInfo(context, FILE_KINDS[random.int(2)]);
	return {
		abs_path: path,
		filename: path,
		ext_info: info,
		static_pe_information: {
			imphash: random.hex(32),
			compile_timestamp: formatAtaTimeMicros(Date.UTC(2019, 2, 19, 4, 38, 11)),
			original_filename: path.slice(path.lastIndexOf('\\') + 1),
			description: 'Synthetic sample component',
		},
	};
}

function processSubject(
	context: FileContext,
	id: number,
	parentId: number | undefined,
	path: string,
	argumentsText: string,
): Json {
	const { random } = context;
	const exe = executable(context, path);
	const process = {
		bitsize: random.pick([32, 64]),
		executable: exe,
		process_id: String(random.between(400, 9000)),
		arguments: argumentsText,
		analysis_subject_id: id,
	};
	const overview: Json = {
		ext_info: exe.ext_info,
		process,
		kernel_mode: false,
		id,
		analysis_reason:
			parentId === undefined
				? 'Process started'
				: random.pick(['Process creation', 'Process creation', 'Code injection']),
	};
	if (parentId !== undefined) overview.parent_id = parentId;
	context.metadata.push({
		ext_info: exe.ext_info,
		analysis_subject_id: id,
		delete_date: formatAtaTimeMicros(context.start + 530_000),
		name: `analysis_subject_${id}`,
		metadata_type: 'analysis_subject',
	});
	return {
		overview,
		process,
		dns_queries: [],
		http_conversations: [],
		network_connections: [],
		file_writes: [],
		file_reads: [],
		registry_writes: [],
		registry_deletions: [],
		registry_reads: [],
		mutex_creates: [],
		mutex_opens: [],
	};
}

function dnsQuery(context: FileContext, hostname?: string): Json {
	const { random } = context;
	const name = hostname ?? (random.chance(0.3) ? algorithmicDomain(random) : domain(random));
	const resolved = hostname === undefined && random.chance(0.8);
	return {
		hostname: name,
		results: resolved ? Array.from({ length: random.between(1, 3) }, () => ip(random)) : [],
		dns_server: '10.0.2.3',
		response_flags: resolved ? 'NOERROR' : 'NXDOMAIN',
	};
}

function httpConversation(context: FileContext): Json {
	const { random } = context;
	const method = random.pick(['GET', 'GET', 'POST']);
	const path =
		method === 'POST'
			? `/${random.pick(WORDS)}.php`
			: `/${random.pick(WORDS)}/${random.hex(6)}.${random.pick(['png', 'ps1', 'bin', 'js'])}`;
	return {
		src_ip: '10.0.2.15',
		src_port: random.between(49152, 65000),
		dst_ip: ip(random),
		dst_port: random.pick([80, 80, 8080, 8443]),
		dst_host: domain(random),
		url: `${method} ${path} HTTP/1.1`,
	};
}

function networkConnection(
	context: FileContext,
	family: 'v4' | 'v6' = context.random.chance(0.1) ? 'v6' : 'v4',
): Json {
	const { random } = context;
	const udp = random.chance(0.25);
	return {
		protocol: udp ? 'UDP' : 'TCP',
		src_ip: family === 'v6' ? 'fe80::5efe:a00:20f' : '10.0.2.15',
		src_port: random.between(49152, 65000),
		dst_ip: family === 'v6' ? ipv6(random) : ip(random),
		dst_port: udp ? random.pick([53, 123, 5353]) : random.pick([80, 443, 8080, 8443, 25, 587]),
		type: 'connect',
	};
}

/** A file write; with `hashed`, it carries ext_info and is also listed as generated_file metadata. */
function fileWrite(context: FileContext, subjectId: number, hashed: boolean): Json[] {
	const { random } = context;
	const kind = random.pick(FILE_KINDS);
	const path = `${random.pick(DIRECTORIES)}\\${random.pick(WORDS)}_${random.hex(4)}.${kind.extension}`;
	const write: Json = {
		filename: path,
		abs_path: path,
		iostatus: [random.pick(['FILE_CREATED', 'FILE_OVERWRITTEN'])],
		accesses: [
			{
				options: ['FILE_NON_DIRECTORY_FILE'],
				disposition: [random.pick(['FILE_OVERWRITE_IF', 'FILE_CREATE'])],
			},
		],
	};
	if (!hashed) return [write];
	write.ext_info = extInfo(context, kind);
	const generated = {
		metadata_type: 'generated_file',
		name: `generated_file_${String((write.ext_info as Json).sha1).slice(0, 16)}`,
		analysis_subject_id: subjectId,
		retention_date: formatAtaTimeMicros(context.start + 30 * 86_400_000),
		file: { filename: path, abs_path: path, ext_info: write.ext_info },
	};
	return [write, generated];
}

function registryEntry(context: FileContext, withData: boolean): Json {
	const { random } = context;
	const entry: Json = {
		key: `${random.pick(REGISTRY_KEYS)}\\${random.hex(4).toUpperCase()}`,
		value: random.pick(REGISTRY_VALUES),
	};
	if (withData)
		entry.data = random.chance(0.5)
			? String(random.int(2))
			: `C:\\ProgramData\\SyncHost\\${random.hex(8)}.exe`;
	return entry;
}

function mutex(context: FileContext): Json {
	return {
		mutex_name: `${context.random.pick(['Global', 'Local'])}\\${context.random.pick(WORDS)}_${context.random.hex(8)}`,
	};
}

type FileSection =
	| 'dns_queries'
	| 'http_conversations'
	| 'network_connections'
	| 'file_writes'
	| 'file_reads'
	| 'registry_writes'
	| 'registry_deletions'
	| 'registry_reads'
	| 'mutex_creates'
	| 'mutex_opens';

/** Filler proportions loosely follow real reports, where registry reads dominate. */
const FILE_FILLER: Array<[FileSection, number]> = [
	['registry_reads', 30],
	['dns_queries', 10],
	['http_conversations', 10],
	['network_connections', 10],
	['file_writes', 10],
	['registry_writes', 10],
	['file_reads', 6],
	['registry_deletions', 5],
	['mutex_creates', 5],
	['mutex_opens', 4],
];

/** Returns the new items: the section entry first, then any analysis_metadata entry it implies. */
function fileItem(context: FileContext, section: FileSection, subjectId: number): Json[] {
	const { random } = context;
	switch (section) {
		case 'dns_queries':
			return [dnsQuery(context)];
		case 'http_conversations':
			return [httpConversation(context)];
		case 'network_connections':
			return [networkConnection(context)];
		case 'file_writes':
			return fileWrite(context, subjectId, random.chance(0.5));
		case 'file_reads': {
			const path = `${random.pick(DIRECTORIES)}\\${random.pick(WORDS)}.${random.pick(['ini', 'dat', 'db'])}`;
			return [{ filename: path, abs_path: path, iostatus: ['FILE_OPENED'] }];
		}
		case 'registry_writes':
		case 'registry_reads':
			return [registryEntry(context, true)];
		case 'registry_deletions':
			return [registryEntry(context, false)];
		case 'mutex_creates':
		case 'mutex_opens':
			return [mutex(context)];
	}
}

function jsonLength(value: unknown): number {
	return JSON.stringify(value).length;
}

function weightedPick<T>(random: SeededRandom, table: Array<[T, number]>): T {
	let roll = random.int(table.reduce((sum, [, weight]) => sum + weight, 0));
	for (const [item, weight] of table) {
		roll -= weight;
		if (roll < 0) return item;
	}
	return table[table.length - 1][0];
}

function buildFileDocument(
	random: SeededRandom,
	options: ReportGeneratorOptions,
	targetBytes: number,
): ResultDocument {
	const submittedAt = options.submittedAt ?? DEFAULT_SUBMITTED_AT;
	const context: FileContext = { random, start: submittedAt + 42_000, subjects: [], metadata: [] };
	const score = deriveScore(random, options);
	const sampleKind = FILE_KINDS[0];
	const subject: Json = {
		...(options.subject ?? {
			md5: random.hex(32),
			sha1: random.hex(40),
			sha256: random.hex(64),
			mime_type: sampleKind.mime,
		}),
	};
	const sampleName = options.filename ?? `sample_${random.hex(6)}.exe`;

	const processCount = random.between(3, 6);
	for (let id = 1; id <= processCount; id++) {
		const parentId = id === 1 ? undefined : random.between(1, id - 1);
		const path =
			id === 1
				? `C:\\Users\\Walter\\Desktop\\${sampleName}`
				: `C:\\Windows\\System32\\${random.pick(PROCESS_NAMES)}`;
		const argumentsText =
			id === 1
				? `"${path}"`
				: `${path.slice(path.lastIndexOf('\\') + 1)} /c ${random.pick(WORDS)} ${random.hex(8)}`;
		context.subjects.push(processSubject(context, id, parentId, path, argumentsText));
	}
	seedFileSections(context, subject, `C:\\Users\\Walter\\Desktop\\${sampleName}`);

	for (const name of ['screenshot_6.png', 'screenshot_96.png', 'screenshot_187.png']) {
		context.metadata.push({
			timestamp: Number(name.slice(11, -4)),
			retention_date: formatAtaTimeMicros(submittedAt + 30 * 86_400_000),
			name,
			metadata_type: 'screenshot',
		});
	}
	context.metadata.push({
		name: 'traffic.pcap',
		metadata_type: 'traffic_capture',
		retention_date: formatAtaTimeMicros(submittedAt + 30 * 86_400_000),
	});

	const activities = pickActivities(random, FILE_ACTIVITIES, score);
	const reports = [
		{
			relevance: 0.86,
			report_versions: [
				'll-int-win',
				'll-win-timeline-based',
				'ioc:ll',
				'ioc:stix',
				'ioc:openioc',
				'ioc:openioc:tanium',
				'll-win-timeline-thread-based',
			],
			description: 'Dynamic analysis on Microsoft Windows 7',
			report_uuid: reportUuid(random),
		},
		{
			relevance: 0.0,
			report_versions: ['ll-static'],
			description: 'Static analysis',
			report_uuid: reportUuid(random),
		},
	];
	const report: Json = {
		uuid: reports[0].report_uuid,
		format: { build_version: 0, major_version: 1, name: 'll-int-win', minor_version: 1 },
		overview: {
			analysis_start: formatAtaTimeMicros(context.start),
			analysis_end: formatAtaTimeMicros(context.start + 420_000),
			analysis_engine: 'LLama - Windows7',
			analysis_engine_version: '1.7.3112',
			analysis_termination_reason: 'analysis timeout reached',
		},
		remarks: { info: [] },
		analysis_metadata: context.metadata,
		analysis_subjects: context.subjects,
	};
	const document = taskEnvelope(
		random,
		options,
		score,
		activities,
		[...activities, UNLISTED_FILE_ACTIVITY],
		reports,
		report,
		subject,
	);

	let size = jsonLength(document);
	while (size < targetBytes) {
		const subjectIndex = random.int(context.subjects.length);
		const section = weightedPick(random, FILE_FILLER);
		const [item, metadata] = fileItem(context, section, subjectIndex + 1);
		(context.subjects[subjectIndex][section] as Json[]).push(item);
		size += jsonLength(item) + 1;
		if (metadata) {
			context.metadata.push(metadata);
			size += jsonLength(metadata) + 1;
		}
	}
	return document;
}

/** Guarantees every feature consumers must handle, whatever the target size. */
function seedFileSections(context: FileContext, subject: Json, samplePath: string): void {
	const { random, subjects } = context;
	const first = subjects[0];
	const last = subjects[subjects.length - 1];
	const dns = (target: Json, name?: string) =>
		(target.dns_queries as Json[]).push(dnsQuery(context, name));
	// Noise names that converters must filter or keep deliberately.
	for (const name of [
		'wpad',
		'localhost',
		'WKS-FIN-07',
		'192.0.2.7',
		'7.2.0.192.in-addr.arpa.',
		'smtp.mailrelay.example.com.',
	])
		dns(first, name);
	for (let i = 0; i < 4; i++) dns(last);
	(last.dns_queries as Json[]).push({ ...(last.dns_queries as Json[])[0] }); // a duplicate answer, as real reports have
	// The monitored process opening the sample itself, identified by the submitted hashes.
	(first.file_reads as Json[]).push({
		filename: samplePath,
		abs_path: samplePath,
		ext_info: {
			sha1: subject.sha1,
			file_info: 'data',
			sha256: subject.sha256,
			mime: subject.mime_type,
			create_timestamp: formatAtaTimeMicros(context.start - 5_000),
			md5: subject.md5,
			llfile: 'DataFile',
			size: random.between(1_000, 900_000),
		},
		iostatus: ['FILE_OPENED'],
	});
	for (let i = 0; i < 3; i++) (last.http_conversations as Json[]).push(httpConversation(context));
	(last.network_connections as Json[]).push(
		networkConnection(context, 'v4'),
		networkConnection(context, 'v6'),
	);
	for (const hashed of [true, true, false]) {
		const [write, metadata] = fileWrite(context, subjects.length, hashed);
		(last.file_writes as Json[]).push(write);
		if (metadata) context.metadata.push(metadata);
	}
	(last.registry_writes as Json[]).push({
		key: 'HKCU\\SOFTWARE\\MICROSOFT\\WINDOWS\\CURRENTVERSION\\RUN',
		value: 'MsUpdate Helper',
		data: 'C:\\Users\\Walter\\AppData\\Roaming\\MsUpdate\\wuauhlp.exe',
	});
	(last.registry_deletions as Json[]).push(registryEntry(context, false));
	(first.registry_reads as Json[]).push(registryEntry(context, true), registryEntry(context, true));
	(last.mutex_creates as Json[]).push(mutex(context));
	(last.mutex_opens as Json[]).push(mutex(context));
	(last as Json).process_interactions = [
		{ ...(subjects[0].process as Json), operations: ['create_suspended', 'resume_thread'] },
	];
	if (random.chance(0.5)) (first.registry_reads as Json[]).push(registryEntry(context, true));
}

// ---------------------------------------------------------------- URL analyses (ll-web)

function webRequest(random: SeededRandom, start: number, parentUrl: string, url?: string): Json {
	const host = domain(random);
	const contentType = random.pick(WEB_CONTENT_TYPES);
	const requestUrl =
		url ?? `${random.pick(['http', 'https'])}://${host}/${random.pick(WORDS)}/${random.hex(8)}`;
	// Real reports contain entries with empty url and/or ip (and null ip); parsers must cope.
	const shape = url === undefined ? random.int(20) : -1;
	return {
		status: random.pick([200, 200, 200, 302, 404]),
		content_length: random.int(60_000),
		end: start + random.between(20, 400),
		relation_type_str: url === undefined ? random.pick([6, 10, 11]) : 'USER',
		activities: [],
		url: shape === 0 || shape === 1 ? '' : requestUrl,
		content_sha1: random.hex(40),
		relation_type: null,
		filename: null,
		start,
		task_uuid: null,
		content_type: contentType,
		error: null,
		parent_url: parentUrl,
		content_md5: random.hex(32),
		ip: shape === 0 || shape === 2 ? '' : shape === 3 ? null : ip(random),
	};
}

function buildUrlDocument(
	random: SeededRandom,
	options: ReportGeneratorOptions,
	targetBytes: number,
): ResultDocument {
	const submittedAt = options.submittedAt ?? DEFAULT_SUBMITTED_AT;
	const score = deriveScore(random, options);
	const subjectUrl =
		options.subject && 'url' in options.subject
			? options.subject.url
			: `http://${domain(random)}/${random.pick(WORDS)}/?id=${random.hex(6)}`;
	const activities = pickActivities(random, URL_ACTIVITIES, score);
	const requests: Json[] = [webRequest(random, 1, 'USER_URL', subjectUrl)];
	for (let i = 0; i < 8; i++) requests.push(webRequest(random, 200 + i * 50, subjectUrl));
	// Deterministic coverage of the empty-field variants, whatever the PRNG drew.
	requests.push(
		{ ...webRequest(random, 700, subjectUrl), url: '', ip: '' },
		{ ...webRequest(random, 720, subjectUrl), url: '', ip: null },
		{ ...webRequest(random, 740, subjectUrl), ip: '' },
	);
	if (activities.length > 0) {
		(requests[1].activities as Json[]).push(
			...activities.slice(0, 2).map(([desc], index) => ({
				is_test: false,
				score: 30 + index * 15,
				version: 1,
				name: `llweb:activity-${index}`,
				desc,
			})),
		);
	}
	const reports = [
		{
			relevance: 1.0,
			report_versions: ['ll-web'],
			description: 'Dynamic analysis in instrumented Chrome browser',
			report_uuid: reportUuid(random),
		},
		{
			relevance: 1.0,
			report_versions: ['ll-pcap'],
			description: 'Pcap analysis',
			report_uuid: reportUuid(random),
		},
	];
	const analysisEnded = formatAtaTime(submittedAt + 159_000);
	const report: Json = {
		activities: [],
		uuid: reports[0].report_uuid,
		prefilter_scanners: [
			{
				test: false,
				detector_id: 'llweb:prefilter-password-field',
				score: 20,
				version: 2,
				activity: 'A page contains a password input field',
			},
		],
		format: { build_version: 0, major_version: 1, name: 'll-web', minor_version: 2 },
		analysis_engine_version: 16777216,
		analysis: {
			evals: [],
			processes: [],
			exploits: [],
			shellcodes: [],
			urls_from_documents: [],
			applets: {},
			writes: [],
			dropped_files: [],
			statics: [
				{ media_type: 'application/javascript', code: '-', activities: [], source_url: null },
			],
			strings: [],
			artifacts: [],
			result: { analysis_ended: `${analysisEnded}+0000`, detector: '1.0.0' },
			plugins: [],
			text_from_documents: [],
			subject: { url: subjectUrl, type: 'url' },
			new_functions: [],
			resources: [],
			hidden_elements: [],
			network: { requests },
		},
		analysis_metadata: [
			{
				timestamp: 7,
				metadata_type: 'screenshot',
				name: 'screenshot_capture.png',
				retention_date: formatAtaTime(submittedAt + 90 * 86_400_000),
			},
			{ name: 'traffic.pcap', metadata_type: 'traffic_capture' },
			{
				metadata_type: 'llurl_framework_trace',
				name: 'trace.json',
				retention_date: formatAtaTime(submittedAt + 30 * 86_400_000),
			},
		],
		score,
		prefilter_score: Math.min(score, 45),
	};
	const document = taskEnvelope(random, options, score, activities, activities, reports, report, {
		url: subjectUrl,
	});
	let size = jsonLength(document);
	let clock = 800;
	while (size < targetBytes) {
		const request = webRequest(
			random,
			clock,
			random.chance(0.5)
				? subjectUrl
				: String(requests[random.int(requests.length)].url || subjectUrl),
		);
		clock += random.between(1, 30);
		requests.push(request);
		size += jsonLength(request) + 1;
	}
	return document;
}
