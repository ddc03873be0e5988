import type { LookupAddress, LookupOptions } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Whether a webhook may be sent to an address (unless WEBHOOK_ALLOW_PRIVATE_URLS). The ranges come from
 * ipaddr.js, which follows the IANA special-purpose registries, rather than from a list kept here: only
 * what it calls plain `unicast` passes. On top of that, IPv6 forms that carry an IPv4 address inside them
 * are judged by where they would actually lead (an allow-list, so a form nobody thought of is refused).
 */
export function addressRefusal(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  // process() turns IPv4-mapped ::ffff:a.b.c.d into the IPv4 address it stands for.
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') {
    const range = parsed.range();
    return range === 'unicast' ? undefined : `${describeRange(range)} address`;
  }
  const v6 = parsed as ipaddr.IPv6;
  const parts = v6.parts;
  // ::/96: the unspecified and loopback addresses and the deprecated IPv4-compatible ::a.b.c.d (RFC 4291
  // §2.5.5.1), which ipaddr.js counts as unicast, while stacks and proxies may hand them on as IPv4.
  if (parts.slice(0, 6).every((p) => p === 0)) {
    if (parts[6] === 0 && parts[7] === 0) return 'unspecified address';
    if (parts[6] === 0 && parts[7] === 1) return 'loopback address';
    return 'IPv4-compatible (deprecated) address';
  }
  const range = v6.range();
  if (range === 'rfc6052') {
    // NAT64 (64:ff9b::/96): an IPv6-only network reaches IPv4 hosts this way (DNS64 answers with such
    // addresses), so it leads where its embedded IPv4 address does. The local-use 64:ff9b:1::/48 prefix
    // may embed the address anywhere: refused.
    if (parts[1] !== 0xff9b || parts.slice(2, 6).some((p) => p !== 0)) return 'local-use NAT64 address';
    const embedded = embeddedIpv4(parts[6] ?? 0, parts[7] ?? 0);
    const inner = addressRefusal(embedded);
    return inner === undefined ? undefined : `NAT64 address of ${embedded}, a ${inner}`;
  }
  // 6to4 (2002::/16) and Teredo (2001::/32) are deprecated tunnels whose relays deliver to an IPv4
  // address written inside the IPv6 one (6to4: 127.0.0.1 is 2002:7f00:1::): never a receiver's address.
  return range === 'unicast' ? undefined : `${describeRange(range)} address`;
}

function embeddedIpv4(high: number, low: number): string {
  return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
}

const rangeNames: Record<string, string> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade NAT',
  private: 'private',
  uniqueLocal: 'unique-local (private)',
  deprecatedSiteLocal: 'site-local (deprecated, private)',
  rfc6145: 'IPv4-translated',
  '6to4': '6to4 tunnel',
  teredo: 'Teredo tunnel',
  reserved: 'reserved',
};

function describeRange(range: string): string {
  return rangeNames[range] ?? `special-purpose (${range})`;
}

export function isPrivateAddress(address: string): boolean {
  return addressRefusal(address) !== undefined;
}

function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * Why a webhook URL is refused, or undefined when it is fine. Checked at creation and again before
 * every delivery; delivery also checks the address actually connected to (see `guardedLookup`), so a
 * DNS answer that changes after the check cannot reach a private address.
 */
export async function urlRefusal(raw: string, allowPrivate: boolean): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a valid URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'only http and https URLs are allowed';
  if (url.username || url.password) return 'URLs with credentials are not allowed';
  if (allowPrivate) return undefined;
  const host = hostOf(url);
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      return `host ${host} does not resolve`;
    }
  }
  for (const address of addresses) {
    const refusal = addressRefusal(address);
    if (refusal !== undefined) {
      return address === host
        ? `${host} is not a public address (${refusal}): only public addresses may receive webhooks`
        : `${host} resolves to ${address}, not a public address (${refusal}): only public addresses may receive webhooks`;
    }
  }
  return undefined;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** A `lookup` for http.request that refuses private addresses at connect time. */
export function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  lookup(hostname, { ...options, all: true, verbatim: true }).then(
    (addresses) => {
      const bad = addresses.find((a) => isPrivateAddress(a.address));
      if (bad !== undefined) {
        const reason = addressRefusal(bad.address);
        callback(
          Object.assign(new Error(`refused: ${hostname} resolves to ${bad.address}, a ${reason}`), {
            code: 'EPRIVATE',
          }),
          [],
        );
        return;
      }
      if (options.all) callback(null, addresses);
      else {
        const first = addresses[0];
        if (first === undefined)
          callback(Object.assign(new Error(`${hostname} does not resolve`), { code: 'ENOTFOUND' }), []);
        else callback(null, first.address, first.family);
      }
    },
    (error: NodeJS.ErrnoException) => callback(error, []),
  );
}
