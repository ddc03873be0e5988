import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Timestamps are written as Date (or left to their default) and always read back as Date. */
type CreatedAt = ColumnType<Date, Date | undefined, never>;
type Timestamp = ColumnType<Date, Date | undefined, Date>;
type NullableTimestamp = ColumnType<Date | null, Date | null | undefined, Date | null>;

export interface DevelopersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  plan: Generated<string>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface ApiKeysTable {
  id: string;
  developer_id: string;
  name: string;
  /** SHA-256 (hex) of the full key: keys are high-entropy, so a fast hash is enough and allows an index. */
  key_hash: string;
  /** First characters of the key, safe to show in lists. */
  prefix: string;
  created_at: CreatedAt;
  last_used_at: NullableTimestamp;
}

export interface UsersTable {
  id: string;
  developer_id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  external_id: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface Database {
  developers: DevelopersTable;
  api_keys: ApiKeysTable;
  users: UsersTable;
}

export type DeveloperRow = Selectable<DevelopersTable>;
export type NewDeveloper = Insertable<DevelopersTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
