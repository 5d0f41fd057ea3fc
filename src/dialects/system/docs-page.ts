/**
 * `/docs`: a self-contained reference page (no CDN) that renders `/openapi.json` grouped by tag,
 * with each route's request and response schemas.
 */
export const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tuma API reference</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0; color: #1d2330; background: #f7f8fa; }
  header { background: #0b6e4f; color: #fff; padding: 1.2rem 2rem; }
  header h1 { margin: 0; font-size: 1.4rem; }
  main { max-width: 980px; margin: 0 auto; padding: 1rem 2rem 4rem; }
  h2 { border-bottom: 2px solid #0b6e4f; padding-bottom: .3rem; margin-top: 2.5rem; }
  details { background: #fff; border: 1px solid #dde1e7; border-radius: 6px; margin: .5rem 0; }
  summary { cursor: pointer; padding: .6rem .8rem; font-family: ui-monospace, monospace; }
  .method { display: inline-block; min-width: 4.2rem; font-weight: 700; text-transform: uppercase; }
  .get { color: #1565c0; } .post { color: #0b6e4f; } .patch, .put { color: #b26a00; } .delete { color: #b3261e; }
  .body { padding: 0 1rem 1rem; }
  pre { background: #f0f2f5; padding: .7rem; border-radius: 4px; overflow-x: auto; font-size: 13px; }
  .sec { font-size: 12px; color: #555; margin-left: .6rem; }
</style>
</head>
<body>
<header><h1 id="title">Tuma API reference</h1><div id="subtitle"></div></header>
<main id="content">Loading <a href="/openapi.json">/openapi.json</a>…</main>
<script>
fetch("/openapi.json").then(r => r.json()).then(doc => {
  const esc = s => String(s).replace(/[&<>"]/g, c => ({"&":"&amp;","<":"&lt;",">":"&gt;","\\"":"&quot;"}[c]));
  document.getElementById("title").textContent = doc.info.title + " " + doc.info.version;
  document.getElementById("subtitle").textContent = doc.info.description;
  const byTag = {};
  for (const [path, ops] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(ops))
    (byTag[op.tags[0]] ??= []).push({ path, method, op });
  let html = "";
  for (const [tag, routes] of Object.entries(byTag)) {
    html += "<h2>" + esc(tag) + "</h2>";
    for (const { path, method, op } of routes) {
      const sec = op.security.length ? Object.keys(op.security[0])[0] : "public";
      html += '<details><summary><span class="method ' + method + '">' + method + "</span> " + esc(path) +
        " — " + esc(op.summary) + '<span class="sec">' + esc(sec) + "</span></summary><div class=body>";
      if (op.description) html += "<p>" + esc(op.description) + "</p>";
      const req = op.requestBody && op.requestBody.content["application/json"];
      if (req) html += "<h4>Request body</h4><pre>" + esc(JSON.stringify(req.schema, null, 2)) + "</pre>";
      for (const [status, res] of Object.entries(op.responses)) {
        html += "<h4>" + esc(status) + " " + esc(res.description) + "</h4>";
        const content = res.content && Object.values(res.content)[0];
        if (content) html += "<pre>" + esc(JSON.stringify(content.schema, null, 2)) + "</pre>";
      }
      html += "</div></details>";
    }
  }
  document.getElementById("content").innerHTML = html;
});
</script>
</body>
</html>`;
