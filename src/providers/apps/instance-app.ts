import { ENV_CONFIGURABLE_PROVIDERS } from '../../config/config.ts';
import type { Config } from '../../config/load-config.ts';
import { readServiceAccountKey } from '../fitbit/service-account.ts';
import { findProviderModule } from '../registry.ts';
import type { ProviderAppCredentials } from '../types.ts';

type EnvProvider = (typeof ENV_CONFIGURABLE_PROVIDERS)[number];

function isEnvProvider(provider: string): provider is EnvProvider {
  return (ENV_CONFIGURABLE_PROVIDERS as readonly string[]).includes(provider);
}

/** The environment variables of a vendor's instance-wide app, e.g. `OURA_CLIENT_ID`. */
export function instanceAppVariables(provider: string): string[] | undefined {
  if (!isEnvProvider(provider)) return undefined;
  const prefix = provider.toUpperCase();
  return ['CLIENT_ID', 'CLIENT_SECRET', 'WEBHOOK_SECRET', 'SCOPES'].map((s) => `${prefix}_${s}`);
}

/**
 * The scopes requested when an app names none: the manifest's. A vendor whose module is not (yet) in
 * the registry has none to offer, which is not an error: its app can still be stored.
 */
export function defaultScopes(provider: string): string[] {
  return [...(findProviderModule(provider)?.manifest.oauth?.default_scopes ?? [])];
}

/**
 * `OURA_SCOPES` and the like: the manifest's separator is a space or a comma, and an operator may well
 * type the other one, so both (and any run of them) separate scopes.
 */
export function splitScopes(value: string): string[] {
  return value.split(/[\s,]+/).filter((s) => s.length > 0);
}

/**
 * The instance-wide app of a vendor from the environment (`<VENDOR>_CLIENT_ID`, `_CLIENT_SECRET`,
 * `_WEBHOOK_SECRET`, `_SCOPES`), or undefined when `<VENDOR>_CLIENT_ID` is unset. Used by every
 * developer who has not registered an app of their own (self-hosters run one developer, one app).
 *
 * @example
 * // OURA_CLIENT_ID=abc OURA_CLIENT_SECRET=s3cret OURA_SCOPES="daily,heartrate"
 * instanceApp(config, 'oura');
 * // { developerId: null, clientId: 'abc', clientSecret: 's3cret', webhookSecret: undefined, scopes: ['daily', 'heartrate'] }
 */
export function instanceApp(config: Config, provider: string): ProviderAppCredentials | undefined {
  if (!isEnvProvider(provider)) return undefined;
  const prefix = provider.toUpperCase() as Uppercase<EnvProvider>;
  const clientId = config[`${prefix}_CLIENT_ID`];
  if (clientId === undefined) return undefined;
  const scopes = config[`${prefix}_SCOPES`];
  const listed = scopes === undefined ? [] : splitScopes(scopes);
  return {
    developerId: null,
    clientId,
    clientSecret: config[`${prefix}_CLIENT_SECRET`],
    webhookSecret: config[`${prefix}_WEBHOOK_SECRET`],
    scopes: listed.length > 0 ? listed : defaultScopes(provider),
    // Google's project-level calls (webhook subscribers) need the project's service account.
    ...(provider === 'fitbit' && config.FITBIT_SERVICE_ACCOUNT_KEY_FILE !== undefined
      ? {
          serviceAccount: readServiceAccountKey(
            config.FITBIT_SERVICE_ACCOUNT_KEY_FILE,
            'FITBIT_SERVICE_ACCOUNT_KEY_FILE',
          ),
        }
      : {}),
  };
}
