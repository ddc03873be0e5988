import type { Config } from '../config/load-config.ts';
import type { Db } from '../db/database.ts';
import { findDeveloperById } from '../developers/developers.repo.ts';

/**
 * Whether a developer is one of the instance's superusers: its email is in SUPERUSER_EMAILS (set by the
 * operator; nobody is a superuser by default and none is hard-coded). Everyone else must not learn that
 * /admin routes exist: they answer a plain 404.
 */
export async function isSuperuser(db: Db, config: Config, developerId: string): Promise<boolean> {
  if (config.SUPERUSER_EMAILS.length === 0) return false;
  const developer = await findDeveloperById(db, developerId);
  return developer !== undefined && config.SUPERUSER_EMAILS.includes(developer.email.toLowerCase());
}
