import type { Generated, Insertable, Selectable } from 'kysely';

// Times are UTC epoch milliseconds; booleans are 0/1 integers so one schema fits both engines.

export interface CodesTable {
  id: string;
  slug: string;
  type: string;
  name: string;
  url: string;
  rules: string; // JSON
  tags: string; // JSON; code_tags indexes the same list for filtering
  time_zone: string;
  valid_from: number | null;
  valid_until: number | null;
  max_scans: number | null;
  device_limit: string | null; // JSON
  paused: number;
  printed: Generated<number>;
  department_id: string | null;
  channel_id: string | null;
  setup: string | null; // JSON: the type's own part (a staff code's StaffSetup, a region code's RegionSetup); null for URL codes
  expired_url: string | null;
  note: string | null;
  archived_at: number | null;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface CodeTagsTable {
  code_id: string;
  tag: string;
}

export interface CodeVersionsTable {
  code_id: string;
  version: number;
  actor_id: string | null;
  actor_name: string | null;
  created_at: number;
  changes: string; // JSON: [{ field, from, to }]
  snapshot: string; // JSON: the whole configuration after the change
}

export interface CodeLogosTable {
  code_id: string;
  mime: string;
  data: Buffer;
  updated_at: number;
}

export interface ScansTable {
  id: string;
  code_id: string;
  scanned_at: number;
  local_date: string;
  local_hour: number;
  local_weekday: number;
  outcome: string;
  rule_index: number | null;
  rule_name: string | null;
  destination: string | null;
  visitor_id: string;
  new_visitor: number;
  is_bot: number;
  os: string;
  os_version: string | null;
  browser: string | null;
  browser_version: string | null;
  device_type: string | null;
  device_vendor: string | null;
  device_model: string | null;
  in_wechat: number;
  ip: string | null;
  country: string | null;
  province: string | null;
  city: string | null;
  referrer: string | null;
  user_agent: string | null;
  staff_id: string | null;
}

export interface ApiTokensTable {
  id: string;
  name: string;
  role: string;
  token_hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
  scopes: string | null; // JSON list of permissions, or null for all of the role's
  departments: string | null; // JSON list of department ids, or null for all
  expires_at: number | null;
}

export interface Database {
  codes: CodesTable;
  code_tags: CodeTagsTable;
  code_versions: CodeVersionsTable;
  code_logos: CodeLogosTable;
  scans: ScansTable;
  api_tokens: ApiTokensTable;
  counters: CountersTable;
  code_scan_counts: CodeScanCountsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  audit_log: AuditLogTable;
  users: UsersTable;
  sessions: SessionsTable;
  settings: SettingsTable;
  proposals: ProposalsTable;
  departments: DepartmentsTable;
  roles: RolesTable;
  wecom_events: WeComEventsTable;
  staff: StaffTable;
  staff_open_conversations: StaffOpenConversationsTable;
  channels: ChannelsTable;
  cluster_tasks: ClusterTasksTable;
  contact_ways: ContactWaysTable;
  customers: CustomersTable;
  customer_touches: CustomerTouchesTable;
  stores: StoresTable;
  store_matches: StoreMatchesTable;
  catalog_revisions: CatalogRevisionsTable;
  materials: MaterialsTable;
  material_usage: MaterialUsageTable;
}

export interface CatalogRevisionsTable {
  name: string;
  revision: number | string;
}

export interface CodeScanCountsTable {
  code_id: string;
  shard: number;
  n: number;
}

export interface CountersTable {
  key: string;
  value: number;
  expires_at: number | null;
}

export interface ClusterTasksTable {
  name: string;
  next_run_at: number;
  locked_by: string | null;
  locked_until: number | null;
  last_run_at: number | null;
  last_run_by: string | null;
  last_error: string | null;
}

export type CodeRow = Selectable<CodesTable>;
export type ScanRow = Selectable<ScansTable>;
export type NewScan = Insertable<ScansTable>;

export interface WebhooksTable {
  id: string;
  url: string;
  events: string; // JSON
  description: string | null;
  secret_sealed: string;
  enabled: number;
  disabled_reason: string | null;
  failing_since: number | null;
  /** The creator's department limit (JSON array): only those departments' events. Null: every event. */
  departments: string | null;
  created_at: number;
  updated_at: number;
}

export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  payload: string;
  status: string; // pending | delivered | failed
  attempts: number;
  next_attempt_at: number;
  locked_until: number | null;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

export interface WebhookAttemptsTable {
  delivery_id: string;
  attempt: number;
  at: number;
  status: number | null;
  error: string | null;
  duration_ms: number;
}

export type WebhookRow = Selectable<WebhooksTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;

export interface AuditLogTable {
  id: string;
  at: number;
  actor_id: string | null;
  actor_name: string | null;
  ip: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  outcome: string; // ok | denied
  department_id: string | null;
  detail: string | null; // JSON
}

export type AuditRow = Selectable<AuditLogTable>;

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  role: string;
  totp_sealed: string | null; // the secret in force once totp_enabled
  totp_enabled: Generated<number>;
  totp_pending_sealed: string | null; // a secret being set up, not yet confirmed
  totp_last_step: number | null; // the newest time-step signed in with: older and equal codes are refused
  disabled_at: number | null;
  departments: string | null; // JSON list of department ids, or null for all
  created_at: number;
  updated_at: number;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  csrf_token: string;
  ip: string | null;
  created_at: number;
  expires_at: number;
}

export type UserRow = Selectable<UsersTable>;

export interface SettingsTable {
  key: string;
  value: string; // JSON
  updated_at: number;
}

export interface ProposalsTable {
  id: string;
  code_id: string;
  base_version: number;
  patch: string; // JSON
  changes: string; // JSON
  proposer_id: string;
  proposer_name: string;
  levels: string; // JSON: the approval levels this change needs, in order
  decisions: string; // JSON
  status: string; // pending | applied | rejected | conflict
  created_at: number;
  decided_at: number | null;
}

export type ProposalRow = Selectable<ProposalsTable>;

export interface DepartmentsTable {
  id: string;
  name: string;
  parent_id: string | null;
  created_at: number;
}

export interface RolesTable {
  name: string;
  permissions: string; // JSON
  created_at: number;
}

export interface WeComEventsTable {
  id: string;
  dedupe_key: string;
  event: string;
  change_type: string | null;
  payload: string; // JSON of the decrypted XML's fields
  received_at: number;
  processed_at: number | null;
  claimed_until: number | null;
  attempts: number;
  last_error: string | null;
}

export interface StaffTable {
  id: string;
  name: string;
  department_id: string | null;
  wecom_userid: string | null;
  contact_qr_url: string | null;
  status: string; // active | away | left
  weight: number;
  daily_limit: number | null;
  schedule: string | null; // JSON WorkSchedule
  skills: string; // JSON
  efficiency: number;
  max_open: number | null;
  avatar_url: string | null;
  created_at: number;
  updated_at: number;
}

export type StaffRow = Selectable<StaffTable>;

export interface StaffOpenConversationsTable {
  staff_id: string;
  count: number;
  reported_at: number;
}

export interface ChannelsTable {
  id: string;
  name: string;
  code: string;
  parent_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface ContactWaysTable {
  code_id: string;
  staff_id: string;
  user_id: string;
  config_id: string;
  qr_code: string;
  state: string;
  created_at: number;
}

export interface CustomersTable {
  id: string;
  external_userid: string;
  name: string | null;
  avatar: string | null;
  staff_id: string | null;
  first_code_id: string | null;
  first_channel_id: string | null;
  last_code_id: string | null;
  last_channel_id: string | null;
  tags: string; // JSON
  status: string; // active | lost
  first_seen_at: number;
  last_seen_at: number;
}

export interface CustomerTouchesTable {
  id: string;
  customer_id: string;
  event_key: string;
  kind: string; // add | lost
  at: number;
  code_id: string | null;
  channel_id: string | null;
  staff_id: string | null;
  scan_id: string | null;
  welcome_variant: number | null;
  welcome_status: string | null;
}

export interface StoresTable {
  id: string;
  name: string;
  province: string;
  province_code: string;
  city: string;
  city_code: string;
  district: string | null;
  district_code: string | null;
  address: string;
  lat: number; // WGS-84
  lng: number;
  staff_ids: string; // JSON
  open_hours: string | null; // JSON WorkSchedule
  attributes: string; // JSON
  area_tag: string;
  created_at: number;
  updated_at: number;
}

export type StoreRow = Selectable<StoresTable>;

export interface StoreMatchesTable {
  id: string;
  code_id: string;
  scan_id: string | null;
  visitor_id: string;
  at: number;
  consent: number;
  source: string; // gps | ip | none
  coarse: string | null; // sealed JSON {lat, lng} rounded to about 1 km
  store_id: string | null;
  store_city: string | null;
  staff_id: string | null;
  rule: string;
  fallback: number;
}

export interface MaterialsTable {
  id: string;
  name: string;
  kind: string;
  mime: string;
  size: number;
  width: number;
  height: number;
  sha256: string;
  department_id: string | null;
  data: Buffer;
  created_at: number;
  updated_at: number;
}

/** Bytes the workspace's materials take; one row (`default`), updated under the quota. */
export interface MaterialUsageTable {
  workspace: string;
  used: number;
}
