/**
 * MISP's stock import filters: the rows MISP 2.5.1 installs into its `regexp` table
 * (`INSTALL/MYSQL.sql`, ids 1–29, all of type `ALL`), which `RegexpBehavior::runRegexp` applies in
 * id order to every attribute value after trimming, re-fanging and type normalisation
 * (misp.md §10). A row with a replacement rewrites every match (`preg_replace`); a row with an
 * empty replacement blocks the value when it matches. Types MISP exempts: sigma, size-in-bytes,
 * counter, float.
 *
 * `pattern` is the PCRE pattern as stored in the table (delimiters and flags included);
 * `replacement` is the text a match becomes (the table's `\\` is one backslash).
 */
const STOCK_IMPORT_REGEXPS: ReadonlyArray<{
	pattern: string;
	replacement: string;
}> = [
	{ pattern: '/.:.ProgramData./i', replacement: '%ALLUSERSPROFILE%\\' },
	{
		pattern: '/.:.Documents and Settings.All Users./i',
		replacement: '%ALLUSERSPROFILE%\\',
	},
	{
		pattern: '/.:.Program Files.Common Files./i',
		replacement: '%COMMONPROGRAMFILES%\\',
	},
	{
		pattern: '/.:.Program Files (x86).Common Files./i',
		replacement: '%COMMONPROGRAMFILES(x86)%\\',
	},
	{
		pattern: '/.:.Users\\\\(.*?)\\\\AppData.Local.Temp./i',
		replacement: '%TEMP%\\',
	},
	{ pattern: '/.:.ProgramData./i', replacement: '%PROGRAMDATA%\\' },
	{ pattern: '/.:.Program Files./i', replacement: '%PROGRAMFILES%\\' },
	{
		pattern: '/.:.Program Files (x86)./i',
		replacement: '%PROGRAMFILES(X86)%\\',
	},
	{ pattern: '/.:.Users.Public./i', replacement: '%PUBLIC%\\' },
	{
		pattern: '/.:.Documents and Settings\\\\(.*?)\\\\Local Settings.Temp./i',
		replacement: '%TEMP%\\',
	},
	{
		pattern: '/.:.Users\\\\(.*?)\\\\AppData.Local.Temp./i',
		replacement: '%TEMP%\\',
	},
	{
		pattern: '/.:.Users\\\\(.*?)\\\\AppData.Local./i',
		replacement: '%LOCALAPPDATA%\\',
	},
	{
		pattern: '/.:.Users\\\\(.*?)\\\\AppData.Roaming./i',
		replacement: '%APPDATA%\\',
	},
	{
		pattern: '/.:.Users\\\\(.*?)\\\\Application Data./i',
		replacement: '%APPDATA%\\',
	},
	{
		pattern: '/.:.Windows\\\\(.*?)\\\\Application Data./i',
		replacement: '%APPDATA%\\',
	},
	{ pattern: '/.:.Users\\\\(.*?)\\\\/i', replacement: '%USERPROFILE%\\' },
	{ pattern: '/.:.DOCUME~1.\\\\(.*?)\\\\/i', replacement: '%USERPROFILE%\\' },
	{
		pattern: '/.:.Documents and Settings\\\\(.*?)\\\\/i',
		replacement: '%USERPROFILE%\\',
	},
	{ pattern: '/.:.Windows./i', replacement: '%WINDIR%\\' },
	{ pattern: '/.:.Windows./i', replacement: '%WINDIR%\\' },
	{
		pattern:
			'/.REGISTRY.USER.S(-[0-9]{1}){2}-[0-9]{2}(-[0-9]{9}){1}(-[0-9]{10}){1}-[0-9]{9}-[0-9]{4}/i',
		replacement: 'HKCU',
	},
	{
		pattern: '/.REGISTRY.USER.S(-[0-9]{1}){2}-[0-9]{2}(-[0-9]{10}){2}-[0-9]{9}-[0-9]{4}/i',
		replacement: 'HKCU',
	},
	{
		pattern: '/.REGISTRY.USER.S(-[0-9]{1}){2}-[0-9]{2}(-[0-9]{10}){3}-[0-9]{4}/i',
		replacement: 'HKCU',
	},
	{ pattern: '/.REGISTRY.MACHINE./i', replacement: 'HKLM\\' },
	{ pattern: '/.Registry.Machine./i', replacement: 'HKLM\\' },
	{
		pattern: '/%USERPROFILE%.Application Data.Microsoft.UProof/i',
		replacement: '',
	},
	{ pattern: '/%USERPROFILE%.Local Settings.History/i', replacement: '' },
	{ pattern: '/%APPDATA%.Microsoft.UProof/i ', replacement: '' },
	{
		pattern: '/%LOCALAPPDATA%.Microsoft.Windows.Temporary Internet Files/i',
		replacement: '',
	},
];

const EXEMPT_TYPES = new Set(['sigma', 'size-in-bytes', 'counter', 'float']);

/** Text MISP answers for a value a blocking rule matches. */
export const BLOCKED_BY_IMPORT_REGEXP =
	'This value is blocked by a regular expression in the import filters.';

/**
 * A PCRE pattern without the `u` flag, as a JS regular expression over a byte string (one char per
 * UTF-8 byte): PCRE's `.` is any byte but LF (JS's `.` also refuses CR), trailing blanks after the
 * flags are ignored as PHP does.
 */
function compilePcre(pattern: string): RegExp {
	const end = pattern.lastIndexOf('/');
	const flags = pattern.slice(end + 1).trim();
	let source = '';
	const body = pattern.slice(1, end);
	for (let i = 0; i < body.length; i++) {
		if (body[i] === '\\') {
			source += body.slice(i, i + 2);
			i++;
		} else source += body[i] === '.' ? '[^\\n]' : body[i];
	}
	return new RegExp(source, `g${flags.includes('i') ? 'i' : ''}`);
}

const COMPILED = STOCK_IMPORT_REGEXPS.map((row) => ({
	regex: compilePcre(row.pattern),
	replacement: row.replacement,
}));

/**
 * `runRegexp` with the stock table: the rewritten value, or `false` when a blocking row matches.
 * Works on the UTF-8 bytes, as PCRE does without the `u` flag.
 */
export function applyImportRegexps(type: string, value: string): string | false {
	if (EXEMPT_TYPES.has(type)) return value;
	let bytes = Buffer.from(value, 'utf8').toString('latin1');
	for (const { regex, replacement } of COMPILED) {
		regex.lastIndex = 0;
		if (replacement !== '') bytes = bytes.replace(regex, () => replacement);
		else if (regex.test(bytes)) return false;
	}
	return Buffer.from(bytes, 'latin1').toString('utf8');
}
