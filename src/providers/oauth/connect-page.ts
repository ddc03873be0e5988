/**
 * The hosted connect page: one self-contained HTML document (inline CSS, no script, no external asset)
 * an end user opens from a connect link. Every dynamic value is escaped.
 */

export interface ConnectPageProvider {
  slug: string;
  name: string;
  /** `active`, `revoked`, `reauth_required`, `error`, or null when never connected. */
  status: string | null;
  connectUrl: string;
}

export interface ConnectPageNotice {
  kind: 'success' | 'error';
  text: string;
}

const STATUS_TEXT: Record<string, string> = {
  active: 'Connected',
  revoked: 'Disconnected',
  reauth_required: 'Needs reconnecting',
  error: 'Connection problem',
};

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] as string,
  );
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1b1f23}
h1{font-size:1.4rem}ul{list-style:none;padding:0}li{display:flex;justify-content:space-between;align-items:center;
padding:.75rem 0;border-bottom:1px solid #e1e4e8}.state{color:#586069;font-size:.9rem}
a.button{background:#0366d6;color:#fff;padding:.4rem .9rem;border-radius:6px;text-decoration:none}
.notice{padding:.75rem;border-radius:6px}.success{background:#e6ffed}.error{background:#ffeef0}`;

function document(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

export function renderConnectPage(input: {
  providers: ConnectPageProvider[];
  notice: ConnectPageNotice | undefined;
  expiresAt: Date;
}): string {
  const notice = input.notice
    ? `<p class="notice ${input.notice.kind}" role="status">${escapeHtml(input.notice.text)}</p>`
    : '';
  const items = input.providers
    .map((p) => {
      const connected = p.status === 'active';
      const state = p.status === null ? 'Not connected' : (STATUS_TEXT[p.status] ?? p.status);
      const label = connected ? 'Reconnect' : 'Connect';
      return `<li data-provider="${escapeHtml(p.slug)}"><span><strong>${escapeHtml(p.name)}</strong><br><span class="state">${escapeHtml(state)}</span></span><a class="button" href="${escapeHtml(p.connectUrl)}">${label}</a></li>`;
    })
    .join('');
  const list =
    input.providers.length > 0 ? `<ul>${items}</ul>` : '<p>No provider is available to connect yet.</p>';
  return document(
    'Connect your devices',
    `<h1>Connect your devices</h1>${notice}${list}<p class="state">This link works until ${escapeHtml(input.expiresAt.toISOString())}.</p>`,
  );
}

export function renderMessagePage(title: string, text: string): string {
  return document(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>`);
}

/** Headers of every connect page: nothing loads from elsewhere, and the link's token never leaks in a Referer. */
export const PAGE_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};
