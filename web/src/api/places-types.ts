import type { paths } from './schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;

export type Staff = Json<paths['/api/v1/staff']['get']['responses'][200]>['items'][number];
export type Department = Json<paths['/api/v1/departments']['get']['responses'][200]>['items'][number];
export type Store = Json<paths['/api/v1/stores/{id}']['get']['responses'][200]>;
export type StoreInput = NonNullable<paths['/api/v1/stores']['post']['requestBody']>['content']['application/json'];
export type ImportReport = Json<paths['/api/v1/stores/import']['post']['responses'][200]>;
export type Material = Json<paths['/api/v1/materials/{id}']['get']['responses'][200]>;
export type MaterialKind = Material['kind'];
export type MaterialUse = Json<paths['/api/v1/materials/{id}/uses']['get']['responses'][200]>['items'][number];
export type Usage = Json<paths['/api/v1/materials/usage']['get']['responses'][200]>;
