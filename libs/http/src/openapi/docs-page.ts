/**
 * `GET /docs`: a self-contained page (no CDN, no extra package) that reads `/openapi.json` and lists
 * every operation with its parameters, body schema, responses and whether it needs the operator
 * token. For a richer UI, point Swagger UI or any OpenAPI tool at `/openapi.json`.
 */
export const DOCS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>API</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;max-width:60rem}
summary{cursor:pointer;padding:.3rem 0}
.m{display:inline-block;width:4.5rem;font-weight:600}
.op{color:#a33;font-size:12px;margin-left:.5rem}
pre{background:#f4f4f4;padding:.5rem;overflow:auto}
</style></head>
<body><h1 id="title">API</h1><p><a href="openapi.json">openapi.json</a></p><div id="ops"></div>
<script>
const text = (tag, value) => Object.assign(document.createElement(tag), { textContent: value });
fetch('openapi.json').then((r) => r.json()).then((doc) => {
  document.getElementById('title').textContent = doc.info.title + ' ' + doc.info.version;
  const ops = document.getElementById('ops');
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const details = document.createElement('details');
      const summary = document.createElement('summary');
      summary.append(text('span', method.toUpperCase()), text('code', path));
      summary.firstChild.className = 'm';
      if (op.security) summary.append(Object.assign(text('span', 'operator: Authorization: Bearer <token>'), { className: 'op' }));
      details.append(summary);
      if (op.parameters) details.append(text('h4', 'Parameters'), text('pre', JSON.stringify(op.parameters, null, 2)));
      if (op.requestBody) details.append(text('h4', 'Body'), text('pre', JSON.stringify(op.requestBody.content['application/json'].schema, null, 2)));
      details.append(text('h4', 'Responses'), text('pre', Object.entries(op.responses).map(([code, r]) => code + '  ' + r.description).join('\\n')));
      ops.append(details);
    }
  }
});
</script></body></html>
`;
