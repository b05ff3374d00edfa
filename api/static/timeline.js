// The Timeline page (/) and its embeddable view (/embed). Plain JavaScript, no build step:
// it posts the articles to POST /timeline like any other client and draws the answer.
// Article text is only ever inserted as text (textContent), never as HTML.
"use strict";
(() => {
  const view = document.body.dataset.view; // "page" or "embed"
  const $ = (selector, root = document) => root.querySelector(selector);
  let lastRequest = null; // the body of the last successful build, for the downloads
  let lastTimeline = null;

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
    const field = fieldset && fieldset.querySelector(`[name="${path[2]}"]`);
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

  function sourceNames(timeline) {
    const names = new Map();
    for (const document of timeline.documents) names.set(document.id, document.title || document.id);
    return names;
  }

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

  function reasonOf(mention) {
    const timex = mention.timex;
    if (!timex) return el("p", { class: "reason", text: "Undated sentence that supports this event." });
    const resolution = mention.resolution || {};
    const direction = resolution.direction ? `, ${resolution.direction}` : "";
    return el("p", { class: "reason" },
      `“${timex.text}” → ${timex.value}: ${resolution.reason || "absolute date"}${direction} `,
      el("code", { text: resolution.rule || "" }));
  }

  function eventItem(event, names, index) {
    const panelId = `evidence-${index}`;
    const badges = el("span", { class: "badges" });
    for (const source of event.sources) badges.append(el("span", { class: "badge source", text: names.get(source) || source }));
    if (event.mentions.length > 1) {
      badges.append(el("span", { class: "badge merged", text: `${event.mentions.length} mentions merged` }));
    }
    if (event.conflicting) badges.append(el("span", { class: "badge conflict", text: "Conflicting dates" }));

    const entry = el("button", { type: "button", class: "entry", "aria-expanded": "false", "aria-controls": panelId },
      el("time", { datetime: event.date.start, text: event.date.label || event.date.value }),
      el("span", { class: "summary", text: event.summary }),
      badges);
    const panel = el("div", { class: "evidence", id: panelId, hidden: true, role: "region",
                              "aria-label": `Evidence for: ${event.summary}` });
    if (event.conflicting && event.dates) {
      const claims = event.dates.map((claim) =>
        `${claim.value} (${claim.documents.map((d) => names.get(d) || d).join(", ")})`);
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
    const warnings = $("#warnings");
    warnings.replaceChildren();
    if (timeline.warnings.length) {
      warnings.append(el("h3", { text: "Warnings" }),
                      el("ul", { class: "warnings" }, ...timeline.warnings.map((w) => el("li", { text: w }))));
    }
    const result = $("#result");
    result.hidden = false;
    setStatus(`Timeline ready: ${summary}.`, true);
    if (view === "page") result.focus();
    if (view === "embed" && window.parent !== window) {
      window.parent.postMessage({ type: "timeline:rendered", events: timeline.events.length,
                                  height: document.documentElement.scrollHeight }, "*");
    }
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

  function startEmbed() {
    window.addEventListener("message", (message) => {
      const data = message.data;
      if (data && data.type === "timeline" && Array.isArray(data.documents)) {
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
    $("[name=text]", fieldset).value = document_.text || "";
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
        text: $("[name=text]", fieldset).value,
        published: $("[name=published]", fieldset).value || null,
      };
      if (fieldset.dataset.title) document_.title = fieldset.dataset.title;
      if (fieldset.dataset.url) document_.url = fieldset.dataset.url;
      documents.push(document_);
    });
    return documents;
  }

  // Files: .txt is one article (named after the file); .json a {"documents": [...]} body or a
  // list of documents; .jsonl one document per line.
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
                  (documents.some((d) => !d.published) ? " Fill in the publication dates you know." : ""));
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
        const match = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "");
        if (match) name = match[1];
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
