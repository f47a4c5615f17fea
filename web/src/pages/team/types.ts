import type { Json } from '../../api/types.ts';
import type { paths } from '../../api/schema';

// The team and settings screens' shapes, from the OpenAPI document.
export type User = Json<paths['/api/v1/users']['get']['responses'][200]>['items'][number];
export type UserInput = NonNullable<paths['/api/v1/users']['post']['requestBody']>['content']['application/json'];
export type Role = Json<paths['/api/v1/roles']['get']['responses'][200]>['items'][number];
export type Department = Json<paths['/api/v1/departments']['get']['responses'][200]>['items'][number];
export type ApiKey = Json<paths['/api/v1/tokens']['get']['responses'][200]>['items'][number];
export type NewKey = Json<paths['/api/v1/tokens']['post']['responses'][201]>;
export type Permission = NonNullable<ApiKey['scopes']>[number];
export type AuditEntry = Json<paths['/api/v1/audit']['get']['responses'][200]>['items'][number];
export type AuditQuery = NonNullable<paths['/api/v1/audit']['get']['parameters']['query']>;
export type Proposal = Json<paths['/api/v1/proposals']['get']['responses'][200]>['items'][number];
export type ApprovalPolicy = Json<paths['/api/v1/settings/approvals']['get']['responses'][200]>;
