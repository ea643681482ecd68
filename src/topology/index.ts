// The topology module: pure functions from an Inventory to the load-balancer graph and back.
export { buildTopology } from './build';
export { planLoadBalancerDeletion } from './delete-plan';
export type { DeletionPlan, DeletionStep, KeptResource } from './delete-plan';
export * from './model';
export { describeNode, findLoadBalancer, frontingLoadBalancers, frontingOf, loadBalancersUsing, servicesBehindLoadBalancers } from './queries';
export { kindLabel } from '../gcp/resourceKinds';
export type { FrontingLoadBalancer } from './queries';
export { lastSegment, normalizeRef, parseRef, refId, resourceId, sameRef } from '../gcp/refs';
export type { ParsedRef, RefScope } from '../gcp/refs';
