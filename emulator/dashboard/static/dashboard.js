// The emulator dashboard: plain JavaScript, no framework, nothing fetched but this server's own JSON.
//
// Every string that comes from the server (records, paths, bodies, errors) may be hostile: it is only ever put
// into the page as a text node or a property (el()'s children and `textContent`), never parsed as HTML.
"use strict";

const POLL_MS = 1000;
const params = new URLSearchParams(location.search);
// A server started with --control-token wants it on every /_emulator call; the page URL may carry it.
const TOKEN = params.get("token");

const ui = {
  namespace: params.get("namespace") || "default",
  overview: null,          // /api/overview
  detail: null,            // /api/namespace for the picked namespace
  collection: null,        // {provider, collection} picked
  records: null,           // /api/records answer shown
  recordsStamp: "",        // what the shown records were loaded at, to reload only on change
  journal: [],             // summaries, newest first
  lastId: null,            // newest journal id held
  picked: null,            // {kind: "record"|"request", id}
  live: true,
  timer: null,
  busy: false,
  again: null,            // "full" or "part" when a load was asked for during another
};

// ---- small helpers ---------------------------------------------------------------------------------------------

function $(id) { return document.getElementById(id); }

const drawn = new Map();
/** True when `what` differs from what `part` was last drawn from: polling redraws only what changed, so an
 * opened <details>, a hover or a click half-way through is not lost to a redraw every second. */
function changed(part, what) {
  const signature = JSON.stringify(what);
  if (drawn.get(part) === signature) return false;
  drawn.set(part, signature);
  return true;
}

/** Rows and list items act on click; Enter and Space do the same for keyboard users. */
function clickable(node, action) {
  node.tabIndex = 0;
  node.addEventListener("click", action);
  node.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") { event.preventDefault(); action(); }
  });
  return node;
}

/** Build an element; children are nodes or strings (strings become text nodes, never markup). */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

async function call(method, url) {
  const headers = TOKEN ? {"X-Emulator-Token": TOKEN} : {};
  const response = await fetch(url, {method, headers, cache: "no-store"});
  let body = null;
  try { body = await response.json(); } catch (_) { /* an empty or non-JSON answer */ }
  if (!response.ok) {
    throw new Error((body && body.error) || `${method} ${url}: HTTP ${response.status}`);
  }
  return body;
}

function query(extra) {
  return new URLSearchParams({namespace: ui.namespace, ...extra}).toString();
}

function setStatus(text, isError) {
  const line = $("status-line");
  line.textContent = text;
  line.classList.toggle("error", Boolean(isError));
  line.style.color = isError ? "var(--bad)" : "";
}

/** Compact one-line text of a value for a table cell. */
function cellText(value) {
  if (value === undefined) return "";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 120 ? text.slice(0, 119) + "…" : text;
}

/** Pretty JSON as coloured text spans (built node by node, so nothing in the data is markup). */
function jsonNode(value) {
  const pre = el("pre", {class: "json"});
  if (typeof value === "string") {  // a non-JSON body, shown as the wire carried it
    pre.textContent = value;
    return pre;
  }
  const out = [];
  const put = (text, cls) => out.push(cls ? el("span", {class: cls}, text) : text);
  const walk = (v, depth) => {
    const pad = "  ".repeat(depth + 1), end = "  ".repeat(depth);
    if (Array.isArray(v)) {
      if (!v.length) return put("[]");
      put("[\n");
      v.forEach((item, i) => { put(pad); walk(item, depth + 1); put(i < v.length - 1 ? ",\n" : "\n"); });
      return put(end + "]");
    }
    if (v && typeof v === "object") {
      const keys = Object.keys(v);
      if (!keys.length) return put("{}");
      put("{\n");
      keys.forEach((k, i) => {
        put(pad); put(JSON.stringify(k), "j-key"); put(": "); walk(v[k], depth + 1);
        put(i < keys.length - 1 ? ",\n" : "\n");
      });
      return put(end + "}");
    }
    if (typeof v === "string") return put(JSON.stringify(v), "j-str");
    if (typeof v === "number") return put(String(v), "j-num");
    return put(String(v), "j-lit");  // true, false, null
  };
  walk(value === undefined ? null : value, 0);
  pre.append(...out.map((part) => (part instanceof Node ? part : document.createTextNode(part))));
  return pre;
}

function statusBadge(status) {
  return el("span", {class: `status s${String(status)[0]}`, "data-testid": "status"}, String(status));
}

function providerUrl(provider) {
  const base = ui.overview ? ui.overview.baseUrl : location.origin;
  const scope = ui.namespace === "default" ? "" : `/_ns/${ui.namespace}`;
  return `${base}${scope}/${provider}`;
}

// ---- rendering -------------------------------------------------------------------------------------------------

function renderNamespaces() {
  const known = ui.overview ? ui.overview.namespaces : [];
  const list = known.some((n) => n.name === ui.namespace)
    ? known : [...known, {name: ui.namespace, records: 0, requests: 0, missing: true}];
  if (!changed("namespaces", [ui.namespace, list])) return;
  const select = $("namespace-select");
  select.replaceChildren(...list.map((n) => el("option", {value: n.name}, n.name)));
  select.value = ui.namespace;
  $("namespaces").replaceChildren(...list.map((n) => clickable(el("li", {
    class: n.name === ui.namespace ? "picked" : "",
    title: n.missing ? "not created yet (first use creates it)" : null,
    dataset: {namespace: n.name},
  }, el("span", {class: "name"}, n.name),
  el("span", {class: "count", title: "records · requests"}, `${n.records} · ${n.requests}`)),
  () => pickNamespace(n.name))));
}

function renderCollections() {
  const box = $("collections");
  if (!ui.overview || !ui.detail) return;
  const counts = ui.detail.counts;
  if (!changed("collections", [ui.namespace, ui.collection, counts, ui.overview.providers, ui.overview.baseUrl])) return;
  box.replaceChildren(...ui.overview.providers.map((p) => {
    const total = Object.values(counts[p.name] || {}).reduce((a, b) => a + b, 0);
    return el("div", {class: "provider", dataset: {provider: p.name}},
      el("div", {class: "provider-head", title: p.title},
        el("span", {}, p.name), el("span", {class: "count"}, String(total))),
      el("div", {class: "provider-url", title: "base URL for the real client"}, providerUrl(p.name)),
      el("ul", {class: "plain-list"}, p.collections.map((c) => {
        const count = (counts[p.name] || {})[c.name] || 0;
        const picked = ui.collection && ui.collection.provider === p.name && ui.collection.collection === c.name;
        return clickable(el("li", {
          class: [picked ? "picked" : "", count ? "" : "zero"].join(" ").trim(),
          dataset: {collection: `${p.name}.${c.name}`},
        }, el("span", {class: "name"}, c.name), el("span", {class: "count"}, String(count))),
        () => pickCollection(p.name, c.name));
      })));
  }));
}

function describeAction(action) {
  const rest = Object.entries(action).filter(([k]) => k !== "type").map(([k, v]) => `${k}=${cellText(v)}`);
  return `${action.type}${rest.length ? " " + rest.join(" ") : ""}`;
}

function renderFaults() {
  const faults = ui.detail ? ui.detail.faults : [];
  if (!changed("faults", [ui.namespace, faults])) return;
  if (!faults.length) {
    $("faults").replaceChildren(el("p", {class: "empty"}, "No active fault rules."));
    return;
  }
  $("faults").replaceChildren(...faults.map((f) => el("div", {class: "fault", dataset: {fault: f.id}},
    el("div", {class: "what"}, describeAction(f.action)),
    el("dl", {class: "kv"},
      el("dt", {}, "id"), el("dd", {}, f.id),
      el("dt", {}, "matches"), el("dd", {}, `${f.provider || "any provider"} / ${f.operation || "any operation"}`),
      el("dt", {}, "remaining"), el("dd", {}, f.remaining === null ? "unlimited" : String(f.remaining)),
      el("dt", {}, "probability"), el("dd", {}, String(f.probability)),
      el("dt", {}, "applied"), el("dd", {}, String(f.applied))))));
}

function renderSettings() {
  const config = ui.detail ? ui.detail.config : null;
  if (!config) return;
  const now = $("settings-now");
  if (now) now.textContent = config.now;  // the running clock ticks without redrawing the rest
  if (!changed("settings", {...config, now: null})) return;
  const clock = config.freezeTime ? `frozen at ${config.freezeTime}` : "running";
  const parts = [el("dl", {class: "kv"},
    el("dt", {}, "clock"), el("dd", {}, clock),
    el("dt", {}, "now"), el("dd", {id: "settings-now"}, config.now),
    el("dt", {}, "offset"), el("dd", {}, `${config.offsetSeconds} s`),
    el("dt", {}, "id seed"), el("dd", {}, config.seed === null ? "random" : String(config.seed)))];
  for (const [provider, values] of Object.entries(config.providers || {})) {
    parts.push(el("details", {dataset: {settings: provider}}, el("summary", {}, `${provider} settings`),
      jsonNode(values)));
  }
  $("settings").replaceChildren(...parts);
}

function recordKey(record, key) {
  return key.length ? key.map((f) => String(record[f])).join("|") : "(single record)";
}

function renderRecords() {
  const box = $("records");
  if (!ui.collection) return;
  const {provider, collection} = ui.collection;
  $("records-title").textContent = `${provider}.${collection}`;
  const data = ui.records;
  if (!data) return;
  $("records-note").textContent = data.total > data.records.length
    ? `showing ${data.records.length} of ${data.total}` : `${data.total} record${data.total === 1 ? "" : "s"}`;
  if (!data.records.length) {
    box.replaceChildren(el("p", {class: "empty"}, `No records in ${provider}.${collection}.`));
    return;
  }
  // Columns: the key fields, then the fields most records have, so a wide record still fits a row.
  const frequency = new Map();
  for (const record of data.records) for (const k of Object.keys(record)) frequency.set(k, (frequency.get(k) || 0) + 1);
  const rest = [...frequency.keys()].filter((k) => !data.key.includes(k))
    .sort((a, b) => frequency.get(b) - frequency.get(a)).slice(0, Math.max(0, 8 - data.key.length));
  const columns = [...data.key, ...rest];
  const rows = data.records.map((record) => {
    const key = recordKey(record, data.key);
    const picked = ui.picked && ui.picked.kind === "record" && ui.picked.id === key;
    return clickable(el("tr", {class: picked ? "picked" : "", dataset: {key}},
      columns.map((c) => el("td", {class: typeof record[c] === "string" ? "" : "code", title: cellText(record[c])},
        cellText(record[c])))), () => showRecord(record, key));
  });
  box.replaceChildren(el("table", {class: "grid", "data-testid": "records-table"},
    el("thead", {}, el("tr", {}, columns.map((c) => el("th", {}, c)))), el("tbody", {}, rows)));
}

function journalRow(entry, fresh) {
  const picked = ui.picked && ui.picked.kind === "request" && ui.picked.id === entry.id;
  return clickable(el("tr", {
    class: [picked ? "picked" : "", fresh ? "fresh" : ""].join(" ").trim(),
    dataset: {id: entry.id, operation: entry.operation, status: entry.status},
  },
  el("td", {class: "num"}, String(entry.id)),
  el("td", {}, (entry.time || "").replace(/^.*T/, "").replace("Z", "")),
  el("td", {}, entry.operation, entry.fault ? el("span", {class: "tag", title: "injected fault"}, entry.fault) : null),
  el("td", {}, entry.method),
  el("td", {class: "path", title: entry.path}, entry.path),
  el("td", {}, statusBadge(entry.status)),
  el("td", {class: "num"}, `${Number(entry.latencyMs).toFixed(1)} ms`)), () => showRequest(entry.id));
}

function renderJournal(freshIds) {
  const filter = $("journal-filter").value.trim().toLowerCase();
  const errorsOnly = $("errors-only").checked;
  const shown = ui.journal.filter((e) => (!errorsOnly || e.status >= 400)
    && (!filter || e.operation.toLowerCase().includes(filter) || e.path.toLowerCase().includes(filter)));
  $("journal-rows").replaceChildren(...shown.map((e) => journalRow(e, freshIds && freshIds.has(e.id))));
  const empty = $("journal-empty");
  empty.hidden = shown.length > 0;
  empty.textContent = ui.journal.length
    ? "No request matches the filter."
    : `No requests yet in namespace “${ui.namespace}”. Point a client at ${providerUrl("<provider>")}.`;
  const errors = ui.journal.filter((e) => e.status >= 400).length;
  $("journal-note").textContent = `${ui.journal.length} request${ui.journal.length === 1 ? "" : "s"}`
    + (errors ? `, ${errors} rejected or failed` : "");
}

function showInspector(title, nodes) {
  $("inspector-title").textContent = title;
  $("inspector").replaceChildren(...nodes);
}

// The records view cuts long strings and lists (a file's base64, pushed rows) and says so in this form.
const CUT_MARK = /… \([\d,]+ (characters|items) in all\)$/;

function hasCut(value) {
  if (typeof value === "string") return CUT_MARK.test(value);
  if (value && typeof value === "object") return Object.values(value).some(hasCut);
  return false;
}

function showRecord(record, key) {
  ui.picked = {kind: "record", id: key};
  const {provider, collection} = ui.collection;
  const note = el("p", {class: "empty", "data-testid": "record-cut"}, "Long values are cut here; "
    + `GET /_emulator/state/${provider}/${collection}?namespace=${ui.namespace} has them whole.`);
  showInspector(`${provider}.${collection} · ${key}`,
    [el("h3", {}, "Stored record"), ...(hasCut(record) ? [note] : []), jsonNode(record)]);
  renderRecords();
  renderJournal();
}

async function showRequest(id) {
  ui.picked = {kind: "request", id};
  renderJournal();
  renderRecords();
  let entry;
  try {
    entry = await call("GET", `api/requests/${id}?${query()}`);
  } catch (error) {
    showInspector(`Request #${id}`, [el("p", {class: "empty"}, error.message)]);
    return;
  }
  if (!ui.picked || ui.picked.id !== id) return;  // another row was clicked meanwhile
  const nodes = [
    el("p", {class: "summary-line"}, `${entry.method} ${entry.path} → `, statusBadge(entry.status),
      ` in ${entry.latencyMs} ms`),
    el("dl", {class: "kv"},
      el("dt", {}, "operation"), el("dd", {}, entry.operation),
      el("dt", {}, "time"), el("dd", {}, entry.time),
      entry.fault ? [el("dt", {}, "fault"), el("dd", {}, entry.fault)] : null),
  ];
  if (entry.status >= 400) {
    nodes.push(el("section", {class: "errors", "data-testid": "request-errors"},
      el("h3", {}, entry.status < 500 ? "Why it was rejected" : "Error"), jsonNode(entry.errors)));
  }
  if (entry.query && Object.keys(entry.query).length) nodes.push(el("h3", {}, "Query"), jsonNode(entry.query));
  nodes.push(el("h3", {}, "Request body"),
    entry.body === null ? el("p", {class: "empty"}, "(empty)") : jsonNode(entry.body));
  nodes.push(el("h3", {}, "Response body"),
    entry.responseBody === null ? el("p", {class: "empty"}, "(empty)") : jsonNode(entry.responseBody));
  nodes.push(el("details", {}, el("summary", {}, "Request headers"), jsonNode(entry.headers)));
  nodes.push(el("details", {}, el("summary", {}, "Response headers"), jsonNode(entry.responseHeaders)));
  showInspector(`Request #${entry.id} · ${entry.operation}`, [el("div", {"data-testid": "request-detail"}, nodes)]);
}

// ---- loading ---------------------------------------------------------------------------------------------------

async function loadRecords(force) {
  if (!ui.collection) return;
  const {provider, collection} = ui.collection;
  const count = ((ui.detail && ui.detail.counts[provider]) || {})[collection];
  const stamp = `${ui.namespace}|${provider}|${collection}|${count}|${ui.lastId}`;
  if (!force && stamp === ui.recordsStamp) return;
  const data = await call("GET", `api/records?${query({provider, collection})}`);
  if (!ui.collection || ui.collection.provider !== provider || ui.collection.collection !== collection) return;
  ui.records = data;
  ui.recordsStamp = stamp;
  renderRecords();
}

async function fetchJournal(full) {
  const since = full || ui.lastId === null ? "" : `&since=${ui.lastId}`;
  return call("GET", `api/requests?${query()}${since}`);
}

function applyJournal(data, full) {
  const fresh = new Set(full ? [] : data.requests.map((e) => e.id));
  let journal = full ? data.requests : [...data.requests, ...ui.journal];
  // Rows older than the oldest kept entry were cleared (or pushed out of the ring): drop them.
  journal = data.firstId === null ? [] : journal.filter((e) => e.id >= data.firstId);
  const changed = full || fresh.size > 0 || journal.length !== ui.journal.length;
  ui.journal = journal.slice(0, 500);
  ui.lastId = data.lastId;
  if (changed) renderJournal(fresh);
}

async function refresh(full) {
  if (ui.busy) {  // one load at a time; the latest wish runs right after
    ui.again = ui.again === "full" || full ? "full" : "part";
    return;
  }
  ui.busy = true;
  const namespace = ui.namespace;
  try {
    const [overview, detail, journal] = await Promise.all([
      call("GET", "api/overview"), call("GET", `api/namespace?${query()}`), fetchJournal(full)]);
    if (namespace === ui.namespace) {  // answers for a namespace left meanwhile are dropped
      ui.overview = overview;
      ui.detail = detail;
      applyJournal(journal, full);
      renderNamespaces();
      renderCollections();
      renderFaults();
      renderSettings();
      await loadRecords(full);
    }
    setStatus(`${ui.live ? "live" : "paused"} · updated ${new Date().toLocaleTimeString()}`);
  } catch (error) {
    setStatus(`cannot reach the emulator: ${error.message}`, true);
  } finally {
    ui.busy = false;
  }
  if (ui.again) {
    const again = ui.again === "full";
    ui.again = null;
    await refresh(again);
  }
}

function schedule() {
  clearTimeout(ui.timer);
  if (!ui.live) return;
  ui.timer = setTimeout(async () => {
    if (!document.hidden) await refresh(false);
    schedule();
  }, POLL_MS);
}

function remember() {
  const next = new URLSearchParams(location.search);
  next.set("namespace", ui.namespace);
  history.replaceState(null, "", `${location.pathname}?${next}`);
}

function clearInspector() {
  ui.picked = null;
  showInspector("Details", [el("p", {class: "empty"}, "Click a record or a request to see it in full.")]);
}

async function pickNamespace(name) {
  if (name === ui.namespace) return;
  ui.namespace = name;
  ui.journal = [];
  ui.lastId = null;
  ui.records = null;
  ui.recordsStamp = "";
  clearInspector();
  remember();
  renderJournal();
  await refresh(true);
}

async function pickCollection(provider, collection) {
  ui.collection = {provider, collection};
  ui.records = null;
  $("records").replaceChildren(el("p", {class: "empty"}, "Loading…"));
  renderCollections();
  try {
    await loadRecords(true);
  } catch (error) {
    $("records").replaceChildren(el("p", {class: "empty"}, error.message));
  }
}

// ---- actions ---------------------------------------------------------------------------------------------------

async function resetNamespace() {
  if (!confirm(`Reset namespace “${ui.namespace}” to the world every namespace starts with? Its records are replaced.`)) return;
  try {
    await call("POST", `../reset?${query()}`);
    clearInspector();
    setStatus(`namespace ${ui.namespace} reset`);
    await refresh(true);
  } catch (error) {
    setStatus(`reset failed: ${error.message}`, true);
  }
}

async function clearJournal() {
  try {
    await call("DELETE", `../requests?${query()}`);
    if (ui.picked && ui.picked.kind === "request") clearInspector();
    await refresh(true);
  } catch (error) {
    setStatus(`clearing the journal failed: ${error.message}`, true);
  }
}

function start() {
  $("namespace-select").addEventListener("change", (event) => pickNamespace(event.target.value));
  $("reset-namespace").addEventListener("click", resetNamespace);
  $("clear-journal").addEventListener("click", clearJournal);
  $("inspector-close").addEventListener("click", () => { clearInspector(); renderJournal(); renderRecords(); });
  $("journal-filter").addEventListener("input", () => renderJournal());
  $("errors-only").addEventListener("change", () => renderJournal());
  $("live").addEventListener("change", (event) => {
    ui.live = event.target.checked;
    if (ui.live) refresh(false);
    schedule();
  });
  document.addEventListener("visibilitychange", () => { if (!document.hidden && ui.live) refresh(false); });
  remember();
  const wanted = params.get("collection");  // e.g. ?collection=ckan.packages opens that table
  if (wanted && wanted.includes(".")) {
    const [provider, collection] = wanted.split(".", 2);
    ui.collection = {provider, collection};
  }
  refresh(true).then(schedule);
}

document.addEventListener("DOMContentLoaded", start);
