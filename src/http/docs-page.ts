/**
 * A self-contained, human-readable API reference rendered from the OpenAPI document. No CDN assets:
 * a self-hosted WearLink may have no internet access.
 */
type Json = Record<string, unknown>;

const escapeHtml = (text: unknown): string =>
  String(text ?? '').replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function schemaSummary(schema: unknown, components: Json, depth = 0): string {
  if (typeof schema !== 'object' || schema === null) return '';
  const s = schema as Json;
  if (typeof s.$ref === 'string') {
    const name = s.$ref.split('/').pop() ?? '';
    return depth > 2 ? name : `${name} ${schemaSummary(components[name], components, depth + 1)}`;
  }
  if (s.type === 'object' && typeof s.properties === 'object' && s.properties !== null) {
    const required = new Set(Array.isArray(s.required) ? s.required : []);
    const fields = Object.entries(s.properties as Json).map(
      ([key, value]) =>
        `${key}${required.has(key) ? '' : '?'}: ${schemaSummary(value, components, depth + 1)}`,
    );
    return `{ ${fields.join(', ')} }`;
  }
  if (s.type === 'array') return `${schemaSummary(s.items, components, depth + 1)}[]`;
  for (const combinator of ['anyOf', 'oneOf'] as const) {
    const options = s[combinator];
    if (Array.isArray(options))
      return options.map((o) => schemaSummary(o, components, depth + 1)).join(' | ');
  }
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  const type = Array.isArray(s.type) ? s.type.join(' | ') : String(s.type ?? 'any');
  return s.format ? `${type} (${String(s.format)})` : type;
}

export function renderDocsPage(doc: Json): string {
  const info = (doc.info ?? {}) as Json;
  const components = ((doc.components as Json | undefined)?.schemas ?? {}) as Json;
  const byTag = new Map<string, string[]>();
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Json)) {
    for (const [method, op] of Object.entries(item as Json)) {
      const operation = op as Json;
      const tag = (Array.isArray(operation.tags) ? operation.tags[0] : undefined) ?? 'Other';
      const params = (Array.isArray(operation.parameters) ? operation.parameters : []) as Json[];
      const body = (operation.requestBody as Json | undefined)?.content as Json | undefined;
      const responses = Object.entries((operation.responses ?? {}) as Json);
      const html = `
<section class="op">
  <h3><span class="method ${escapeHtml(method)}">${escapeHtml(method.toUpperCase())}</span> <code>${escapeHtml(path)}</code></h3>
  <p>${escapeHtml(operation.summary)}</p>
  ${
    params.length
      ? `<table><tr><th>parameter</th><th>in</th><th>type</th></tr>${params
          .map(
            (p) =>
              `<tr><td><code>${escapeHtml(p.name)}</code>${p.required ? ' (required)' : ''}</td><td>${escapeHtml(p.in)}</td><td>${escapeHtml(schemaSummary(p.schema, components))}</td></tr>`,
          )
          .join('')}</table>`
      : ''
  }
  ${
    body
      ? Object.entries(body)
          .map(
            ([type, media]) =>
              `<p class="body">Body <code>${escapeHtml(type)}</code>: <code>${escapeHtml(schemaSummary((media as Json).schema, components))}</code></p>`,
          )
          .join('')
      : ''
  }
  <ul>${responses.map(([code, r]) => `<li><b>${escapeHtml(code)}</b> ${escapeHtml((r as Json).description)}</li>`).join('')}</ul>
</section>`;
      byTag.set(String(tag), [...(byTag.get(String(tag)) ?? []), html]);
    }
  }
  const toc = [...byTag.keys()]
    .map((tag) => `<a href="#${escapeHtml(tag)}">${escapeHtml(tag)}</a>`)
    .join(' · ');
  const sections = [...byTag.entries()]
    .map(([tag, ops]) => `<h2 id="${escapeHtml(tag)}">${escapeHtml(tag)}</h2>${ops.join('')}`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(info.title)} API reference</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1d2330}
code{background:#f2f4f8;padding:.1rem .3rem;border-radius:4px}
.op{border:1px solid #e2e6ee;border-radius:8px;padding:.2rem 1rem;margin:.8rem 0}
.method{font:600 12px monospace;padding:.2rem .45rem;border-radius:4px;color:#fff;background:#58627a}
.get{background:#2f7d4f}.post{background:#2a5db0}.patch{background:#a86b00}.put{background:#7a4bb0}.delete{background:#b03030}
table{border-collapse:collapse}td,th{border-bottom:1px solid #eee;padding:.2rem .6rem;text-align:left}
</style></head><body>
<h1>${escapeHtml(info.title)} <small>${escapeHtml(info.version)}</small></h1>
<p>${escapeHtml(info.description)}</p>
<p>Authenticate with <code>X-WearLink-API-Key: sk-…</code> (or <code>X-API-Key</code>), or <code>Authorization: Bearer &lt;JWT&gt;</code> from <code>POST /api/v1/auth/login</code>.
Errors are <code>{"detail": …}</code>. Machine-readable document: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
<nav>${toc}</nav>${sections}
</body></html>`;
}
