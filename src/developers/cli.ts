import { randomBytes } from 'node:crypto';
import type { Platform } from '../platform.ts';
import { ConflictError } from '../shared/errors.ts';
import { createDeveloperAccount } from './registration.ts';
import { RegisterBody } from './schemas.ts';

export interface CreateDeveloperOptions {
  email: string;
  name: string;
  password?: string;
}

/**
 * `wearlink developer create`: the operator's way to create an account whatever REGISTRATION_MODE says
 * (the only way when it is `closed`). Prints the account, its API key (shown once) and, when none was
 * given, a generated dashboard password. Returns the process exit code.
 */
export async function createDeveloperFromCli(
  platform: Platform,
  options: CreateDeveloperOptions,
  out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  err: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<number> {
  const generated = options.password === undefined;
  const password = options.password ?? randomBytes(18).toString('base64url');
  const parsed = RegisterBody.safeParse({ email: options.email, name: options.name, password });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) err(`wearlink: --${issue.path.join('.')}: ${issue.message}`);
    return 2;
  }
  try {
    const { developer, key } = await createDeveloperAccount(platform.deps.db, parsed.data, {
      plan: platform.config.DEFAULT_PLAN,
    });
    out(`Developer ${developer.id} created for ${developer.email}.`);
    out(`API key (shown once, store it now): ${key.key}`);
    if (generated) out(`Dashboard password (shown once): ${password}`);
    return 0;
  } catch (error) {
    if (error instanceof ConflictError) {
      err(`wearlink: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
