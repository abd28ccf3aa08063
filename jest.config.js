/** Jest runs every suite under test/ with ts-jest in transpile-only mode; `npm run typecheck` does the type checking. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.dev.json', diagnostics: false }],
	},
	setupFiles: ['<rootDir>/test/setup/environment.ts'],
	testTimeout: 60000,
	maxWorkers: 2,
};
