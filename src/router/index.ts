export { Gateway, type GatewayDeps, type CallContext, type ChatOutcome } from './gateway.js';
export type { OpenStream } from './upstream-stream.js';
export type { MessagesOutcome, NativeStream } from './messages.js';
export { DeploymentStates, type DeploymentState } from './deployment-state.js';
export type { AttemptObserver, AttemptRecord, TenantRef } from './lease.js';
export { deploymentHealth, type DeploymentHealth } from './health.js';
export { ReplayStore } from './replay-store.js';
