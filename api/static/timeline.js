// The Timeline page (/) and its embeddable view (/embed). Plain JavaScript, no build step:
// it posts the articles to POST /timeline like any other client and draws the answer.
// Article text is only ever inserted as text (textContent), never as HTML.
"use strict";
(() => {
  const view = document.body.dataset.view; // "page" or "embed"
  const $ = (selector, root = document) => root.querySelector(selector);
  let lastRequest = null; // the body of the last successful build, for the downloads
  let lastTimeline = null;
  let embedder = null; // the origin whose message the embed drew, told when it has drawn it

  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = value;
      else if (name === "class") node.className = value;
      else node.setAttribute(name, value === true ? "" : value);
    }
    node.append(...children.filter((child) => child !== null && child !== undefined));
    return node;
  }

  // Progress shows on screen; the final "ready" message is for screen readers only, since
  // the result's own summary says the same.
  function setStatus(message, spokenOnly = false) {
    const status = $("#status");
    status.textContent = message;
    status.classList.toggle("visually-hidden", spokenOnly);
  }

  // --- problems (RFC 9457 answers, network failures, bad files) --------------------------------

  function flatten(errors, path = []) {
    if (Array.isArray(errors) && errors.every((item) => typeof item === "string")) {
      return [[path, errors.join(" ")]];
    }
    if (errors && typeof errors === "object") {
      return Object.entries(errors).flatMap(([key, value]) => flatten(value, [...path, key]));
    }
    return [[path, String(errors)]];
  }

  function clearProblem() {
    const box = $("#problem");
    box.hidden = true;
    box.replaceChildren();
    document.querySelectorAll("[aria-invalid]").forEach((field) => {
      field.removeAttribute("aria-invalid");
      field.removeAttribute("aria-describedby");
    });
    document.querySelectorAll(".field-error").forEach((node) => node.remove());
  }

  function showProblem(problem) {
    clearProblem();
    const inputs = $("#inputs");
    if (inputs) inputs.open = true; // the fields named in the problem must be in sight
    const box = $("#problem");
    box.append(el("h3", { text: problem.title || "Something went wrong" }));
    if (problem.detail) box.append(el("p", { text: problem.detail }));
    const list = el("ul");
    for (const [path, message] of flatten(problem.errors || {})) {
      list.append(el("li", { text: `${describePath(path)}: ${message}` }));
      markField(path, message);
    }
    if (list.children.length) box.append(list);
    box.hidden = false;
    box.focus();
    setStatus("");
  }

  function describePath(path) {
    if (path[0] === "documents" && path.length >= 2 && /^\d+$/.test(path[1])) {
      const rest = path.slice(2).join(" ");
      return `Article ${Number(path[1]) + 1}${rest ? ` (${rest})` : ""}`;
    }
    return path.join(" ") || "Request";
  }

  // Field errors of the form's articles are shown next to the field too.
  function markField(path, message) {
    if (view !== "page" || path[0] !== "documents" || !/^\d+$/.test(path[1] || "")) return;
    const fieldset = document.querySelectorAll("#articles .article")[Number(path[1])];
    const name = path[2] === "html" ? "text" : path[2]; // a web page is edited in the text box
    const field = fieldset && fieldset.querySelector(`[name="${name}"]`);
    if (!field) return;
    const id = `error-${path.slice(1).join("-")}`;
    field.setAttribute("aria-invalid", "true");
    field.setAttribute("aria-describedby", id);
    field.closest("label").append(el("p", { class: "field-error", id, text: message }));
  }

  async function problemOf(response) {
    try {
      const body = await response.json();
      if (body && typeof body === "object") return body;
    } catch (error) { /* not JSON: described below */ }
    return { title: `The server answered ${response.status}`, detail: response.statusText };
  }

  // --- building -------------------------------------------------------------------------------

  async function build(body) {
    clearProblem();
    setStatus("Building the timeline…");
    const button = $("#build");
    if (button) button.disabled = true;
    try {
      const response = await fetch("/timeline", {
        method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(body),
      });
      if (!response.ok) {
        showProblem(await problemOf(response));
        return;
      }
      lastRequest = body;
      currentStory = null;
      lastTimeline = await response.json();
      render(lastTimeline);
    } catch (error) {
      showProblem({ title: "The server could not be reached", detail: String(error.message || error) });
    } finally {
      if (button) button.disabled = false;
    }
  }

  // --- drawing the timeline -------------------------------------------------------------------

  // A source is known by its site and title ("Example News: Tariffs announced"), its title, or its
  // opening words: the server's "name" of each document.
  function sourceNames(timeline) {
    const names = new Map();
    for (const document of timeline.documents) names.set(document.id, document.name || document.title || document.id);
    return names;
  }

  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December"];
  const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

  // "2024-05-16" as "16 May 2024" (with its weekday: "Thursday 16 May 2024").
  function dayWords(iso, weekday = false) {
    const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    if (!match) return iso;
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const words = `${day} ${MONTHS[month - 1]} ${year}`;
    if (!weekday) return words;
    return `${WEEKDAYS[new Date(Date.UTC(year, month - 1, day)).getUTCDay()]} ${words}`;
  }

  const PUBLISHED_SOURCES = {
    given: "date given with the article", "html-metadata": "date from the page's metadata",
    url: "date from the page's address", text: "date read on the page",
  };

  // The sentence with the temporal expression marked; offsets are code points, as the API gives them.
  function highlighted(mention) {
    const sentence = mention.sentence;
    const timex = mention.timex;
    if (!timex) return [sentence];
    const characters = Array.from(sentence);
    const start = timex.start - mention.sentence_start;
    const length = Array.from(timex.text).length;
    if (start >= 0 && characters.slice(start, start + length).join("") === timex.text) {
      return [characters.slice(0, start).join(""), el("mark", { text: timex.text }),
              characters.slice(start + length).join("")];
    }
    const at = sentence.indexOf(timex.text);
    if (at < 0) return [sentence];
    return [sentence.slice(0, at), el("mark", { text: timex.text }), sentence.slice(at + timex.text.length)];
  }

  // How the date was found, in words: "“Tuesday” is 14 May 2024: Tuesday on or before publication
  // (Thursday 16 May 2024), past tense ('announced')." Rule names stay in the JSON.
  function explanation(mention) {
    const timex = mention.timex;
    if (!timex && mention.basis && mention.basis !== "support" && mention.reason) {
      const reason = mention.reason.replace(/\b\d{4}-\d{2}-\d{2}\b/g, (iso) => dayWords(iso));
      return `${BASIS_LABELS[mention.basis] || mention.basis}: ${reason}.`;
    }
    if (!timex) return "An undated sentence that tells of the same event.";
    const resolution = mention.resolution || {};
    let why = (resolution.reason || "").replace(/\b\d{4}-\d{2}-\d{2}\b/g, (iso) => dayWords(iso));
    if (why === "absolute date" || !why) why = "the date is written in full";
    if (resolution.anchor === "publication" && resolution.anchor_value) {
      const published = `publication (${dayWords(resolution.anchor_value, true)})`;
      why = /the publication (date|time|day)/.test(why)
        ? why.replace(/the publication (date|time|day)/, published) : `${why}; counted from ${published}`;
    }
    if (resolution.underspecified) why = `left open: ${why}`;
    return `“${timex.text}” is ${timex.label || dayWords(timex.value)}: ${why}.`;
  }

  function reasonOf(mention) {
    return el("p", { class: "reason", text: explanation(mention) });
  }

  // How a date was found when no time expression of the event's own clause gives it (date.basis).
  const BASIS_LABELS = { explicit: "Dated in the clause", narrative: "Date from the story",
                         publication: "Publication date", undated: "Undated" };

  function eventItem(event, names, index) {
    const panelId = `evidence-${index}`;
    const badges = el("span", { class: "badges" });
    for (const source of event.sources) badges.append(el("span", { class: "badge source", text: names.get(source) || source }));
    if (event.mentions.length > 1) {
      badges.append(el("span", { class: "badge merged", text: `${event.mentions.length} mentions merged` }));
    }
    if (event.conflicting) badges.append(el("span", { class: "badge conflict", text: "Conflicting dates" }));
    if (event.date.basis && event.date.basis !== "explicit") {
      badges.append(el("span", { class: `badge basis ${event.date.basis}`, text: BASIS_LABELS[event.date.basis],
                                 title: event.date.reason || "" }));
    }

    const entry = el("button", { type: "button", class: "entry", "aria-expanded": "false", "aria-controls": panelId },
      el("time", { datetime: event.date.start || "", text: event.date.label || event.date.value || "undated" }),
      el("span", { class: "summary", text: event.summary }),
      badges);
    const panel = el("div", { class: "evidence", id: panelId, hidden: true, role: "region",
                              "aria-label": `Evidence for: ${event.summary}` });
    if (event.conflicting && event.dates) {
      const claims = event.dates.map((claim) =>
        `${claim.label || claim.value} (${claim.documents.map((d) => names.get(d) || d).join(", ")})`);
      panel.append(el("p", { class: "dates", text: `Sources disagree on the date: ${claims.join("; ")}.` }));
    }
    for (const mention of event.mentions) {
      panel.append(el("div", { class: "mention" },
        el("blockquote", {}, ...highlighted(mention)),
        reasonOf(mention),
        el("p", { class: "source", text: `— ${names.get(mention.document) || mention.document}` })));
    }
    entry.addEventListener("click", () => {
      const open = entry.getAttribute("aria-expanded") === "true";
      entry.setAttribute("aria-expanded", String(!open));
      panel.hidden = open;
    });
    return el("li", { class: `event${event.conflicting ? " conflicting" : ""}`, "data-event": event.id },
              entry, panel);
  }

  function render(timeline) {
    const names = sourceNames(timeline);
    const list = $("#events");
    list.replaceChildren(...timeline.events.map((event, index) => eventItem(event, names, index)));
    const conflicts = timeline.events.filter((event) => event.conflicting).length;
    const articles = timeline.documents.length;
    let summary = `${timeline.events.length} event${timeline.events.length === 1 ? "" : "s"} from ` +
                  `${articles} article${articles === 1 ? "" : "s"}`;
    if (conflicts) summary += `, ${conflicts} with conflicting dates`;
    $("#result-summary").textContent = `${summary}. Select an entry to see its evidence.`;
    renderNotices(timeline, names);
    renderSources(timeline, names);
    const warnings = $("#warnings");
    warnings.replaceChildren();
    if (timeline.warnings.length) {
      warnings.append(el("h3", { text: "Warnings" }),
                      el("ul", { class: "warnings" }, ...timeline.warnings.map((w) => el("li", { text: w }))));
    }
    const result = $("#result");
    result.hidden = false;
    const inputs = $("#inputs");
    if (inputs) { // the timeline first; the articles stay one click away, to edit and rebuild
      inputs.open = false;
      $("#inputs-summary").textContent = `Articles (${articles}): edit and build again`;
    }
    setStatus(`Timeline ready: ${summary}.`, true);
    if (view === "page") result.focus();
    if (view === "embed" && window.parent !== window) {
      // Only counts and a height: with ?story=seeds no message named the embedding page's origin.
      window.parent.postMessage({ type: "timeline:rendered", events: timeline.events.length,
                                  height: document.documentElement.scrollHeight }, embedder || "*");
    }
  }

  // Articles nothing was read from (a language without a grammar, a page without an article).
  function renderNotices(timeline, names) {
    const box = $("#notices");
    if (!box) return;
    const unread = timeline.documents.filter((document) => (document.warnings || []).length);
    box.replaceChildren();
    if (!unread.length) return;
    box.append(el("div", { class: "notice", role: "note" },
      el("h3", { text: `${unread.length} article${unread.length === 1 ? " was" : "s were"} not read` }),
      el("ul", {}, ...unread.map((document) =>
        el("li", { text: `${names.get(document.id)}: ${document.warnings.join("; ")}` })))));
  }

  // Each source with its publication date and where that date came from.
  function renderSources(timeline, names) {
    const box = $("#sources");
    if (!box) return;
    const items = timeline.documents.map((document) => {
      const published = document.published
        ? `published ${dayWords(document.published)} (${PUBLISHED_SOURCES[document.published_source] || "date given"})`
        : "no publication date";
      return el("li", { text: `${names.get(document.id)} — ${published}` });
    });
    box.replaceChildren(el("details", { class: "sources" },
      el("summary", { text: `Sources (${items.length})` }), el("ul", {}, ...items)));
  }

  // --- stored stories: read from GET /stories/NAME/timeline, polled with the ETag ---------------

  let currentStory = null;
  let storyTag = null;

  async function openStory(name, quiet = false) {
    if (!quiet) {
      clearProblem();
      setStatus(`Opening the story ${name}…`);
    }
    try {
      const headers = { Accept: "application/json" };
      if (storyTag && currentStory === name) headers["If-None-Match"] = storyTag;
      const response = await fetch(`/stories/${encodeURIComponent(name)}/timeline`, { headers, cache: "no-store" });
      if (response.status === 304) return;
      if (!response.ok) {
        showProblem(await problemOf(response));
        return;
      }
      currentStory = name;
      storyTag = response.headers.get("ETag");
      lastRequest = null;
      lastTimeline = await response.json();
      render(lastTimeline);
    } catch (error) {
      if (!quiet) showProblem({ title: "The server could not be reached", detail: String(error.message || error) });
    }
  }

  function plural(count, noun) {
    return `${count} ${noun}${count === 1 ? "" : "s"}`;
  }

  async function listStories() {
    const section = $("#stories");
    if (!section) return;
    try {
      const response = await fetch("/stories", { headers: { Accept: "application/json" }, cache: "no-store" });
      if (!response.ok) return; // no store, or it needs a key: the section stays hidden
      const { stories } = await response.json();
      if (!stories.length) return;
      $("#story-list").replaceChildren(...stories.map((story) => el("li", {},
        el("button", { type: "button", class: "story", "data-story": story.name,
                       text: story.title ? `${story.title} (${story.name})` : story.name }),
        el("span", { class: "story-counts",
                     text: ` ${plural(story.documents, "article")}, ${plural(story.events, "event")}, ` +
                           `updated ${story.updated.slice(0, 10)}` }))));
      section.hidden = false;
      section.querySelectorAll("button.story").forEach((button) =>
        button.addEventListener("click", () => openStory(button.dataset.story)));
    } catch (error) { /* no stories to show */ }
  }

  // --- the embed: input from ?story=NAME or from the embedding page ---------------------------

  // Whether a message from `origin` may feed the timeline: the server's EMBED_ORIGINS, sources as
  // CSP writes them ('self', *, https:, example.org, https://*.example.org:8443).
  function allowedOrigin(origin, sources) {
    let url;
    try {
      url = new URL(origin);
    } catch (error) {
      return sources.includes("*") && origin !== "null";
    }
    return sources.some((source) => {
      if (source === "*") return true;
      if (source === "'self'") return origin === location.origin;
      if (/^[a-z][a-z0-9+.-]*:$/i.test(source)) return url.protocol === source.toLowerCase();
      const match = /^(?:([a-z][a-z0-9+.-]*):\/\/)?(\*\.)?([^:/]+)(?::(\d+|\*))?$/i.exec(source);
      if (!match) return false;
      const [, scheme, wildcard, host, port] = match;
      if (scheme && url.protocol !== `${scheme.toLowerCase()}:`) return false;
      const name = url.hostname.toLowerCase();
      const wanted = host.toLowerCase();
      if (wildcard ? !name.endsWith(`.${wanted}`) : name !== wanted) return false;
      return port === "*" || (url.port || "") === (port || "");
    });
  }

  function startEmbed() {
    const sources = JSON.parse(document.body.dataset.origins || "[]");
    window.addEventListener("message", (message) => {
      const data = message.data;
      if (!data || data.type !== "timeline") return;
      if (!allowedOrigin(message.origin, sources)) {
        setStatus(`Ignored a message from ${message.origin}: this server takes articles only from ` +
                  `${sources.join(" ") || "no page"} (its EMBED_ORIGINS setting).`);
        return;
      }
      if (Array.isArray(data.documents)) {
        embedder = message.origin;
        build(data.options ? { documents: data.documents, options: data.options } : { documents: data.documents });
      }
    });
    const query = new URLSearchParams(location.search);
    const story = query.get("story");
    if (story === "seeds") {
      loadSeeds().then((body) => body && build(body));
    } else if (story) {
      // a stored story, refreshed by polling with its ETag: an unchanged story costs a 304
      const seconds = Math.max(2, Number(query.get("poll")) || 30);
      openStory(story).then(() => setInterval(() => openStory(story, true), seconds * 1000));
    }
  }

  async function loadSeeds() {
    try {
      const response = await fetch("/examples/seeds");
      if (!response.ok) {
        if (view === "embed") showProblem(await problemOf(response));
        return null;
      }
      return await response.json();
    } catch (error) {
      return null;
    }
  }

  // --- the page: the articles form ------------------------------------------------------------

  function renumber() {
    document.querySelectorAll("#articles .article").forEach((fieldset, index) => {
      $("legend", fieldset).textContent = `Article ${index + 1}`;
      $(".remove", fieldset).setAttribute("aria-label", `Remove article ${index + 1}`);
    });
  }

  function addArticle(document_ = {}) {
    const fieldset = $("#article-template").content.firstElementChild.cloneNode(true);
    $("[name=id]", fieldset).value = document_.id || "";
    $("[name=published]", fieldset).value = (document_.published || "").slice(0, 10);
    $("[name=text]", fieldset).value = document_.html !== undefined ? document_.html : document_.text || "";
    if (document_.html !== undefined) { // a web page: the server reads its article, title and date
      fieldset.dataset.kind = "html";
      $(".text-label", fieldset).firstChild.textContent = "Web page (HTML: the article and its date are read from it) ";
    }
    if (document_.title) fieldset.dataset.title = document_.title;
    if (document_.url) fieldset.dataset.url = document_.url;
    $(".remove", fieldset).addEventListener("click", () => {
      fieldset.remove();
      if (!document.querySelector("#articles .article")) addArticle();
      renumber();
    });
    $("#articles").append(fieldset);
    renumber();
    return fieldset;
  }

  function isBlank(fieldset) {
    return !$("[name=text]", fieldset).value.trim() && !$("[name=id]", fieldset).value.trim();
  }

  function replaceArticles(documents) {
    $("#articles").replaceChildren();
    for (const document_ of documents) addArticle(document_);
    if (!documents.length) addArticle();
  }

  function collect() {
    const documents = [];
    document.querySelectorAll("#articles .article").forEach((fieldset, index) => {
      if (isBlank(fieldset)) return;
      const document_ = {
        id: $("[name=id]", fieldset).value.trim() || `article-${index + 1}`,
        [fieldset.dataset.kind === "html" ? "html" : "text"]: $("[name=text]", fieldset).value,
        published: $("[name=published]", fieldset).value || null,
      };
      if (fieldset.dataset.title) document_.title = fieldset.dataset.title;
      if (fieldset.dataset.url) document_.url = fieldset.dataset.url;
      documents.push(document_);
    });
    return documents;
  }

  // Files: .txt is one article (named after the file); .html/.htm a web page, read by the server;
  // .json a {"documents": [...]} body or a list of documents; .jsonl one document per line.
  async function readFiles(files) {
    const documents = [];
    for (const file of files) {
      const text = await file.text();
      const name = file.name.toLowerCase();
      try {
        if (name.endsWith(".jsonl")) {
          text.split(/\r?\n/).forEach((line, number) => {
            if (!line.trim()) return;
            try { documents.push(JSON.parse(line)); } catch (error) {
              throw new Error(`line ${number + 1} is not valid JSON`);
            }
          });
        } else if (name.endsWith(".json")) {
          const value = JSON.parse(text);
          const list = Array.isArray(value) ? value : value && value.documents;
          if (!Array.isArray(list)) throw new Error('expected a list of documents or {"documents": [...]}');
          documents.push(...list);
        } else if (name.endsWith(".html") || name.endsWith(".htm")) {
          documents.push({ id: file.name, html: text, published: null });
        } else {
          documents.push({ id: file.name, text, published: null });
        }
      } catch (error) {
        throw new Error(`${file.name}: ${error.message}`);
      }
    }
    return documents.map((item) => (item && typeof item === "object" ? item : { text: String(item) }));
  }

  function startPage() {
    addArticle();
    $("#add-article").addEventListener("click", () => $("[name=id]", addArticle()).focus());
    $("#upload").addEventListener("change", async (change) => {
      clearProblem();
      try {
        const documents = await readFiles(change.target.files);
        const kept = Array.from(document.querySelectorAll("#articles .article")).filter((f) => !isBlank(f));
        if (!kept.length) $("#articles").replaceChildren();
        documents.forEach((document_) => addArticle(document_));
        setStatus(`${documents.length} article${documents.length === 1 ? "" : "s"} added from files.` +
                  (documents.some((d) => !d.published && d.html === undefined)
                    ? " Fill in the publication dates you know." : ""));
      } catch (error) {
        showProblem({ title: "A file could not be read", detail: error.message });
      } finally {
        change.target.value = "";
      }
    });
    $("#articles-form").addEventListener("submit", (submit) => {
      submit.preventDefault();
      const documents = collect();
      if (!documents.length) {
        showProblem({ title: "No article yet", detail: "Paste the text of at least one article, or upload files." });
        return;
      }
      build({ documents });
    });
    const seeds = $("#open-seeds");
    loadSeeds().then((body) => {
      if (!body) return;
      seeds.hidden = false;
      seeds.addEventListener("click", () => {
        replaceArticles(body.documents);
        build({ documents: body.documents });
      });
    });
    document.querySelectorAll(".downloads button").forEach((button) =>
      button.addEventListener("click", () => download(button.dataset.format)));
    listStories();
  }

  async function download(format) {
    if (!lastRequest && !currentStory) return;
    let blob;
    // The server names each export (Content-Disposition); only the JSON is saved from here.
    let name = format === "json" ? "timeline.json" : `timeline-${format}`;
    if (format === "json") {
      blob = new Blob([JSON.stringify(lastTimeline, null, 2)], { type: "application/json" });
    } else {
      try {
        const response = lastRequest
          ? await fetch(`/timeline?format=${encodeURIComponent(format)}`, {
            method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(lastRequest),
          })
          : await fetch(`/stories/${encodeURIComponent(currentStory)}/timeline?format=${encodeURIComponent(format)}`);
        if (!response.ok) {
          showProblem(await problemOf(response));
          return;
        }
        // filename* (RFC 8187) holds a non-ASCII name in full; filename is its ASCII fallback.
        const disposition = response.headers.get("Content-Disposition") || "";
        const encoded = /filename\*=UTF-8''([^;\s]+)/i.exec(disposition);
        const plain = /filename="([^"]+)"/.exec(disposition);
        if (encoded) name = decodeURIComponent(encoded[1]);
        else if (plain) name = plain[1];
        blob = await response.blob();
      } catch (error) {
        showProblem({ title: "The server could not be reached", detail: String(error.message || error) });
        return;
      }
    }
    const link = el("a", { href: URL.createObjectURL(blob), download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    setStatus(`Downloaded ${name}.`);
  }

  if (view === "embed") startEmbed(); else startPage();
})();
