/** An SVG line chart of submissions per second against node concurrency, with the server's limit. */
export interface ChartPoint {
	concurrency: number;
	perSecond: number;
}

const WIDTH = 640;
const HEIGHT = 360;
const MARGIN = { left: 64, right: 24, top: 48, bottom: 56 };

function escapeXml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function throughputSvg(points: ChartPoint[], limit: number, title: string): string {
	const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
	const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
	const top = Math.ceil((Math.max(limit, ...points.map((p) => p.perSecond)) * 1.1) / 50) * 50;
	// Concurrency doubles from point to point, so the x axis is logarithmic.
	const levels = points.map((p) => p.concurrency);
	const minLog = Math.log2(Math.min(...levels));
	const spanLog = Math.max(1, Math.log2(Math.max(...levels)) - minLog);
	const x = (concurrency: number) => MARGIN.left + ((Math.log2(concurrency) - minLog) / spanLog) * plotWidth;
	const y = (value: number) => MARGIN.top + plotHeight - (value / top) * plotHeight;
	const parts: string[] = [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
		`<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
		`<text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
	];
	for (let tick = 0; tick <= top; tick += top / 5) {
		parts.push(
			`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(tick).toFixed(1)}" y2="${y(tick).toFixed(1)}" stroke="#e5e5e5"/>`,
			`<text x="${MARGIN.left - 8}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end">${Math.round(tick)}</text>`,
		);
	}
	for (const level of levels) {
		parts.push(`<text x="${x(level)}" y="${HEIGHT - MARGIN.bottom + 18}" text-anchor="middle">${level}</text>`);
	}
	parts.push(
		`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(limit).toFixed(1)}" y2="${y(limit).toFixed(1)}" stroke="#c0392b" stroke-dasharray="6 4"/>`,
		`<text x="${WIDTH - MARGIN.right}" y="${(y(limit) - 6).toFixed(1)}" text-anchor="end" fill="#c0392b">server limit ${limit}/s (cap 8 ÷ 50 ms)</text>`,
		`<polyline fill="none" stroke="#2c6fbb" stroke-width="2.5" points="${points.map((p) => `${x(p.concurrency).toFixed(1)},${y(p.perSecond).toFixed(1)}`).join(' ')}"/>`,
		...points.map(
			(p) =>
				`<circle cx="${x(p.concurrency).toFixed(1)}" cy="${y(p.perSecond).toFixed(1)}" r="4" fill="#2c6fbb"/>` +
				`<text x="${x(p.concurrency).toFixed(1)}" y="${(y(p.perSecond) - 10).toFixed(1)}" text-anchor="middle">${p.perSecond.toFixed(0)}</text>`,
		),
		`<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 16}" text-anchor="middle">node concurrency (items in flight)</text>`,
		`<text transform="translate(18 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">submissions per second</text>`,
		'</svg>',
	);
	return `${parts.join('\n')}\n`;
}
