// Must run before n8n-core reads its settings.
import './environment';

export type { EngineCredential } from './credentialsHelper';
export { EngineCredentialsHelper } from './credentialsHelper';
export { EngineTypes, PROJECT_ROOT } from './nodeTypes';
export type { EngineOptions, RunOptions, RunResult } from './runWorkflow';
export { runWorkflow } from './runWorkflow';
export type { WorkflowJson } from './workflowJson';
export { readWorkflow } from './workflowJson';
export type { PollOptions, PollResult } from './pollTrigger';
export { pollTrigger } from './pollTrigger';
export { testCredential } from './credentialTest';
