import type { paths } from './schema';

export type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;

export type Code = Json<paths['/api/v1/codes/{id}']['get']['responses'][200]>;
export type CodeList = Json<paths['/api/v1/codes']['get']['responses'][200]>;
export type CodeInput = NonNullable<paths['/api/v1/codes']['post']['requestBody']>['content']['application/json'];
export type CodeStatus = NonNullable<NonNullable<paths['/api/v1/codes']['get']['parameters']['query']>['status']>;
export type CodeType = NonNullable<NonNullable<paths['/api/v1/codes']['get']['parameters']['query']>['type']>;
export type Channels = Json<paths['/api/v1/channels']['get']['responses'][200]>;
export type Stats = Json<paths['/api/v1/codes/{id}/stats']['get']['responses'][200]>;
export type SimulateInput = NonNullable<paths['/api/v1/codes/{id}/simulate']['post']['requestBody']>['content']['application/json'];
export type Me = Json<paths['/api/v1/me']['get']['responses'][200]>;
export type QrOptions = NonNullable<paths['/api/v1/codes/{id}/qr.png']['get']['parameters']['query']>;
export type Lang = NonNullable<Me['lang']>;
