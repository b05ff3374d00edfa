"""``GET /docs``: one self-contained HTML page on the API (no scripts, no external assets)."""
from __future__ import annotations

import json
from html import escape

from timeline import __version__

from .config import Settings

_STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
code, pre { font: 14px/1.4 ui-monospace, monospace; background: #f4f4f4; }
pre { padding: .75rem; overflow-x: auto; border-radius: 4px; }
h2 { border-bottom: 1px solid #ddd; margin-top: 2.5rem; }
table { border-collapse: collapse; } td, th { border: 1px solid #ddd; padding: .25rem .5rem; text-align: left; }
"""


def _curl(base: str, path: str, body: object) -> str:
    payload = json.dumps(body, indent=2, ensure_ascii=False)
    return (f"curl -sS -X POST {base}{path} \\\n  -H 'Content-Type: application/json' \\\n"
            f"  -d '{payload}'")


def render_docs(settings: Settings, base: str) -> str:
    """The page, with curl examples against ``base`` (the URL this server was reached at)."""
    timeline_body = {"documents": [
        {"id": "a1", "published": "2024-05-16",
         "text": "On Tuesday the Biden administration announced tariffs on Chinese goods."},
        {"id": "a2", "published": "2024-05-17",
         "text": "The tariffs were announced on Tuesday by the Biden administration."}],
        "options": {"merge_threshold": 0.2}}
    timexes_body = {"documents": [{"id": "a1", "text": "On Friday they will head to Harbin.",
                                   "published": "2024-05-16"}]}
    invalid_body = {"documents": [{"id": "a1", "text": "On Tuesday.", "published": "2024-13-45"}]}
    e = escape
    limits = [
        ("Request body", f"{settings.MAX_BODY_BYTES:,} bytes", "413"),
        ("Documents (or texts) per request", f"{settings.MAX_DOCUMENTS:,}", "422"),
        ("Characters per text", f"{settings.MAX_CHARS:,}", "422"),
        ("Characters of text per request", f"{settings.MAX_TOTAL_CHARS:,}", "422"),
    ]
    rows = "\n".join(f"<tr><td>{e(name)}</td><td>{e(value)}</td><td>{status}</td></tr>"
                     for name, value, status in limits)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Timeline API</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_STYLE}</style></head>
<body>
<h1>Timeline API <small>{e(__version__)}</small></h1>
<p>Temporal tagging of news and a merged event timeline. Request bodies are JSON
(<code>Content-Type: application/json</code>); unknown fields are refused. The machine-readable
contract is <a href="{e(base)}/openapi.yaml"><code>/openapi.yaml</code></a> (OpenAPI 3.0).</p>

<h2 id="timeline">POST /timeline</h2>
<p>Articles about one story in, one ordered timeline out: each event with its date, a summary,
participants, places, the documents that report it and the evidence sentences. The response has the
structure of <code>timeline build --format json</code>: <code>events</code>, <code>documents</code>,
<code>warnings</code>.</p>
<p>Each document: <code>id</code> (required, unique in the request), <code>text</code> (required),
<code>published</code> (<code>YYYY-MM-DD</code> or an ISO 8601 date-time; <code>null</code> or absent
when unknown), <code>title</code>, <code>url</code>, <code>language</code> (default <code>en</code>).
<code>options</code> may set <code>merge_threshold</code>, <code>conflict_threshold</code> and
<code>support_threshold</code>, each in (0, 1].</p>
<pre>{e(_curl(base, "/timeline", timeline_body))}</pre>

<h2 id="timexes">POST /timexes</h2>
<p>The temporal expressions of one or more texts, each resolved against its own publication date.
The texts go under <code>documents</code>, as for <code>/timeline</code> (<code>texts</code>, the
older name, is accepted too; give one of the two). Each: <code>text</code> (required),
<code>published</code>, <code>id</code> (echoed back), <code>language</code>. The response lists
<code>{{"id", "timexes"}}</code> per text under <code>texts</code>, in request order.</p>
<pre>{e(_curl(base, "/timexes", timexes_body))}</pre>

<h2 id="service">GET /health, GET /openapi.yaml, GET /docs</h2>
<p><code>/health</code> answers <code>{{"status": "ok", "version": "{e(__version__)}"}}</code> once the
pipeline is loaded. <code>/openapi.yaml</code> is the contract with this server's limits; this page is
<code>/docs</code>.</p>
<pre>curl -sS {e(base)}/health</pre>

<h2 id="errors">Errors</h2>
<p>Every error is <code>application/problem+json</code> (RFC 9457) with <code>type</code>,
<code>title</code>, <code>status</code> and <code>detail</code>:</p>
<table>
<tr><th>Status</th><th>When</th></tr>
<tr><td>400</td><td>The body is not valid JSON, or the request is malformed.</td></tr>
<tr><td>404</td><td>No such endpoint.</td></tr>
<tr><td>408</td><td>The request did not arrive in whole in time (<code>TIMELINE_READ_TIMEOUT</code>).</td></tr>
<tr><td>405</td><td>The endpoint exists but not with this method (the <code>Allow</code> header lists
the methods).</td></tr>
<tr><td>413</td><td>The body is larger than the limit.</td></tr>
<tr><td>414, 431</td><td>The request line, or the headers, are too long.</td></tr>
<tr><td>415</td><td>The body is not declared as JSON.</td></tr>
<tr><td>422</td><td>Invalid fields (see below).</td></tr>
<tr><td>500</td><td>An unexpected error; <code>instance</code> is the id under which it was logged.</td></tr>
</table>
<h3 id="invalid-fields">422: invalid fields</h3>
<p>Missing or unknown fields, wrong types, invalid dates, repeated document ids and exceeded limits.
<code>errors</code> holds the messages by field, nested as the request is, with list positions as keys:</p>
<pre>{e(_curl(base, "/timeline", invalid_body))}

{e(json.dumps({"type": "/docs#invalid-fields", "title": "Unprocessable Content", "status": 422,
               "detail": "The request body has invalid fields; see errors.",
               "errors": {"documents": {"0": {"published": [
                   "invalid publication date '2024-13-45': month must be in 1..12"]}}}}, indent=2))}</pre>

<h2 id="limits">Limits</h2>
<table><tr><th>Limit</th><th>This server</th><th>Status over it</th></tr>
{rows}
</table>
<p>Set with the environment variables <code>TIMELINE_MAX_BODY_BYTES</code>,
<code>TIMELINE_MAX_DOCUMENTS</code>, <code>TIMELINE_MAX_CHARS</code> and
<code>TIMELINE_MAX_TOTAL_CHARS</code>.</p>
</body></html>
"""
