// arcd dashboard. Plain JavaScript, no dependencies: every byte comes from arcd itself.
// Data is only ever put into the page as text (never as HTML), so nothing a payer writes in
// a remittance line can run here.
"use strict";

const state = { session: null };

// ---- DOM helpers ---------------------------------------------------------------------------
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  return node;
}
function table(headers, rows, numeric = []) {
  return el("table", {},
    el("thead", {}, el("tr", {}, headers.map((h, i) => el("th", { scope: "col", class: numeric.includes(i) ? "num" : null }, h)))),
    el("tbody", {}, rows.length ? rows.map(r => el("tr", {}, r.map((c, i) => el("td", { class: numeric.includes(i) ? "num" : null }, c))))
                                : el("tr", {}, el("td", { colspan: headers.length, class: "muted" }, "Nothing here."))));
}
function say(text, kind = "ok") {
  const s = document.getElementById("status");
  s.textContent = text;
  s.className = "status " + kind;
}
function main(...children) {
  const m = document.getElementById("main");
  m.replaceChildren(...children.filter(c => c !== null && c !== undefined));
  m.focus();
}
const percent = v => (v === null || v === undefined || v === "" ? "—" : v + " %");
const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = n => new Date(Date.now() - n * 86400000).toISOString().slice(0, 10);

// ---- API -----------------------------------------------------------------------------------
class ApiError extends Error {
  constructor(status, problem) { super(problem.detail || problem.title || ("HTTP " + status)); this.status = status; this.problem = problem; }
}
async function api(method, path, body, opts = {}) {
  const headers = { "Accept": "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && state.session) headers["X-CSRF-Token"] = state.session.csrf;
  if (method === "POST") headers["Idempotency-Key"] = opts.key || crypto.randomUUID();
  if (opts.ifMatch) headers["If-Match"] = opts.ifMatch;
  const r = await fetch(path, { method, headers, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  const data = text ? JSON.parse(text) : {};
  if (!r.ok) throw new ApiError(r.status, data);
  return { data, etag: r.headers.get("ETag") };
}
const get = async path => (await api("GET", path)).data;
async function act(label, method, path, body, opts) {
  try {
    const r = await api(method, path, body, opts);
    say(label + ": " + (r.data.message || "done"), "ok");
    return r.data;
  } catch (e) {
    say(label + " failed: " + e.message, "error");
    if (e.status === 401) showSignIn();
    return null;
  }
}

// ---- charts (SVG, drawn here) --------------------------------------------------------------
const SVG = "http://www.w3.org/2000/svg";
function svg(tag, attrs, ...children) {
  const n = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) n.setAttribute(k, String(v));
  for (const c of children) n.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return n;
}
function barChart(title, labels, values) {
  const w = 600, h = 28 * labels.length + 20, max = Math.max(1, ...values);
  const chart = svg("svg", { viewBox: `0 0 ${w} ${h}`, class: "chart", role: "img", "aria-label": title });
  chart.append(svg("title", {}, title));
  labels.forEach((label, i) => {
    const y = 10 + i * 28, len = Math.round((values[i] / max) * (w - 220));
    chart.append(svg("text", { x: 0, y: y + 14 }, label));
    chart.append(svg("rect", { x: 90, y, width: Math.max(len, 1), height: 18, fill: i === 0 ? "#5b8fd1" : (i < 3 ? "#d9822b" : "#a4001d") }));
    chart.append(svg("text", { x: 96 + len, y: y + 14 }, values[i].toLocaleString(undefined, { maximumFractionDigits: 0 })));
  });
  return chart;
}
function lineChart(title, labels, values) {
  const w = 600, h = 180, max = Math.max(1, ...values), step = (w - 80) / Math.max(1, labels.length - 1);
  const chart = svg("svg", { viewBox: `0 0 ${w} ${h}`, class: "chart", role: "img", "aria-label": title });
  chart.append(svg("title", {}, title));
  const pts = values.map((v, i) => [50 + i * step, 150 - (v / max) * 130]);
  chart.append(svg("polyline", { points: pts.map(p => p.join(",")).join(" "), fill: "none", stroke: "#0b4f9c", "stroke-width": 2 }));
  pts.forEach((p, i) => {
    chart.append(svg("circle", { cx: p[0], cy: p[1], r: 3, fill: "#0b4f9c" }));
    chart.append(svg("text", { x: p[0] - 24, y: 170 }, labels[i].slice(5)));
    chart.append(svg("text", { x: p[0] - 10, y: p[1] - 8 }, Math.round(values[i]).toLocaleString()));
  });
  return chart;
}

// ---- sign in -------------------------------------------------------------------------------
function showSignIn(message) {
  state.session = null;
  document.getElementById("nav").hidden = true;
  document.getElementById("logout").hidden = true;
  document.getElementById("who").textContent = "";
  const input = el("input", { id: "token", name: "token", type: "password", autocomplete: "off", required: true });
  const form = el("form", { class: "card signin", onsubmit: async ev => {
      ev.preventDefault();
      try {
        await api("POST", "/web/session", { token: input.value });
        input.value = "";
        await start();
      } catch (e) { say("Sign-in failed: " + e.message, "error"); }
    } },
    el("h1", {}, "Sign in"),
    el("p", { class: "muted" }, "Use the API token you were given (arcctl tokens create)."),
    el("label", { for: "token" }, "API token", input),
    el("div", {}, el("button", { type: "submit" }, "Sign in")));
  if (message) say(message, "error");
  main(form);
}

// ---- pages ---------------------------------------------------------------------------------
async function overview() {
  const [aging, kpis, fresh] = await Promise.all([get("/api/v1/aging"), get("/api/v1/kpis"), get("/api/v1/freshness")]);
  const page = [el("h1", {}, "Overview")];
  page.push(el("h2", {}, "Total AR by currency"),
    table(["Currency", "Open", "Overdue", "Not due", "0-30", "31-60", "61-90", "91-120", "120+"],
      aging.currencies.map(c => [c.currency, c.open, c.overdue, ...["not_due", "0-30", "31-60", "61-90", "91-120", "120+"].map(b => c.buckets[b])]),
      [1, 2, 3, 4, 5, 6, 7, 8]));
  const charts = el("div", { class: "grid" });
  for (const c of aging.currencies) {
    const names = ["not_due", "0-30", "31-60", "61-90", "91-120", "120+"];
    charts.append(el("div", { class: "card" }, el("h2", {}, "Aging " + c.currency),
      barChart("Aging of " + c.currency + " receivables by bucket", names.map(n => n.replace("_", " ")), names.map(n => Number(c.buckets[n])))));
  }
  page.push(charts);
  // Overdue trend: the KPIs as of each of the last eight weeks, from arcd's own history.
  const dates = [49, 42, 35, 28, 21, 14, 7, 0].map(daysAgo);
  const points = await Promise.all(dates.map(d => get("/api/v1/kpis?as_of=" + d)));
  const trend = el("div", { class: "grid" });
  for (const c of kpis.currencies) {
    const values = points.map(p => {
      const x = p.currencies.find(y => y.currency === c.currency);
      return x ? x.aging.slice(1).reduce((s, v) => s + Number(v), 0) : 0;
    });
    trend.append(el("div", { class: "card" }, el("h2", {}, "Overdue trend " + c.currency), lineChart("Overdue " + c.currency + ", last eight weeks", dates, values)));
  }
  page.push(trend);
  page.push(el("h2", {}, "KPIs"),
    table(["Currency", "AR", "DSO", "DSO (countback)", "Best possible DSO", "ADD", "CEI %", "Bad debt %", "Unapplied"],
      kpis.currencies.map(c => [c.currency, c.ar, c.dso_standard, c.dso_countback, c.best_possible_dso, c.average_days_delinquent, c.cei, c.bad_debt_ratio, c.unapplied]),
      [1, 2, 3, 4, 5, 6, 7, 8]),
    el("p", {}, "Auto-match rate: " + percent(kpis.auto_match_rate) + ", promises kept: " + percent(kpis.ptp_kept_rate)));
  page.push(el("h2", {}, "Data freshness"),
    table(["ERP source", "Stream", "Last read"], fresh.erp.map(e => [e.source, e.stream, e.last_sync])),
    table(["Bank account", "Currency", "Newest statement to", "Last arrived"], fresh.accounts.map(a => [a.account, a.currency, a.last_statement_to, a.last_imported_at])));
  main(...page);
}

function outcomeButtons(task, after) {
  const outcomes = [["reached", "Reached"], ["left_message", "Left message"], ["promised", "Promised"], ["wrong_contact", "Wrong contact"], ["done", "Done"]];
  return el("div", {}, outcomes.map(([code, label]) => el("button", { type: "button", class: "secondary", "data-outcome": code,
    onclick: async () => { if (await act("Task " + task.id, "POST", `/api/v1/tasks/${task.id}/done`, { outcome: code })) after(); } }, label)));
}

async function worklist() {
  const [list, tasks] = await Promise.all([get("/api/v1/worklist?limit=50"), get("/api/v1/tasks")]);
  const rows = list.items.map(i => [
    el("a", { href: "#/customer/" + i.customer_id }, i.name),
    String(i.score), i.overdue.map(o => o.amount + " " + o.currency).join(", "), String(i.oldest_days_overdue),
    i.next_action, i.reasons.join("; "),
    el("div", {}, [["Call: reached", "reached"], ["Call: no answer", "no answer"]].map(([label, what]) =>
      el("button", { type: "button", class: "secondary", onclick: () => act("Call logged", "POST", `/api/v1/customers/${i.customer_id}/activities`, { kind: "call", text: "Call: " + what }) }, label)))]);
  main(el("h1", {}, "Worklist" + (state.session.role === "collector" ? " — " + state.session.user : "")),
    table(["Customer", "Score", "Overdue", "Oldest (days)", "Next action", "Why", "Record"], rows, [1, 3]),
    el("h2", {}, "Open tasks"),
    table(["Task", "Customer", "Due", "Assignee", "Outcome"],
      tasks.items.map(t => [t.title, el("a", { href: "#/customer/" + t.customer_id }, "#" + t.customer_id), t.due || "", t.assignee, outcomeButtons(t, worklist)])));
}

async function customers() {
  const q = new URLSearchParams(location.hash.split("?")[1] || "").get("q") || "";
  const list = await get("/api/v1/customers?limit=100" + (q ? "&q=" + encodeURIComponent(q) : ""));
  const input = el("input", { id: "q", name: "q", value: q });
  main(el("h1", {}, "Customers"),
    el("form", { onsubmit: ev => { ev.preventDefault(); location.hash = "#/customers?q=" + encodeURIComponent(input.value); } },
      el("label", { for: "q" }, "Search name or id", input), el("button", { type: "submit" }, "Search")),
    table(["Customer", "Id", "Collector", "Risk", "Open", "Overdue"], list.items.map(c => [
      el("a", { href: "#/customer/" + c.id }, c.name), c.external_id, c.collector, c.risk_class,
      c.balances.map(b => b.open + " " + b.currency).join(", "), c.balances.map(b => b.overdue + " " + b.currency).join(", ")])));
}

function field(label, input) { return el("label", {}, label, input); }

async function customer(id) {
  const [{ data: c }, timeline, ptps, disputes, holds] = await Promise.all([
    api("GET", "/api/v1/customers/" + id), get(`/api/v1/customers/${id}/timeline`), get("/api/v1/ptps?customer=" + id),
    get("/api/v1/disputes?customer=" + id), get("/api/v1/holds?customer=" + id)]);
  const reload = () => customer(id);
  const callText = el("textarea", { name: "call", rows: 2, cols: 50, required: true });
  const callKind = el("select", { name: "kind" }, el("option", { value: "call" }, "Call"), el("option", { value: "note" }, "Note"));
  const logForm = el("form", { class: "card", "aria-label": "Log a call", onsubmit: async ev => {
      ev.preventDefault();
      if (await act("Logged", "POST", `/api/v1/customers/${id}/activities`, { kind: callKind.value, text: callText.value })) reload();
    } }, el("h2", {}, "Log a call or note"), field("Kind", callKind), field("What happened", callText), el("button", { type: "submit" }, "Log"));
  const currency = c.balances.length ? c.balances[0].currency : "EUR";
  const ptpAmount = el("input", { name: "amount", inputmode: "decimal", required: true, size: 10 });
  const ptpCurrency = el("input", { name: "currency", value: currency, size: 4, required: true });
  const ptpDate = el("input", { name: "promised_date", type: "date", required: true });
  const ptpInvoices = c.open_invoices.map(i => el("input", { type: "checkbox", value: i.number, "aria-label": "Invoice " + i.number }));
  const ptpForm = el("form", { class: "card", "aria-label": "Record a promise to pay", onsubmit: async ev => {
      ev.preventDefault();
      const invoices = ptpInvoices.filter(x => x.checked).map(x => x.value);
      if (await act("Promise", "POST", "/api/v1/ptps", { customer: "#" + id, invoices, amount: ptpAmount.value, currency: ptpCurrency.value, promised_date: ptpDate.value, channel: "call" })) reload();
    } }, el("h2", {}, "Record a promise to pay"), field("Amount", ptpAmount), field("Currency", ptpCurrency), field("Promised date", ptpDate),
    el("p", { class: "muted" }, "Tick the invoices it covers below (none: the whole overdue balance)."), el("button", { type: "submit" }, "Record promise"));
  const disputeInvoice = el("select", { name: "invoice" }, c.open_invoices.map(i => el("option", { value: i.number }, i.number)));
  const disputeReason = el("input", { name: "reason", required: true, list: "reasons", size: 14 });
  const disputeNote = el("input", { name: "note", size: 30 });
  const disputeForm = el("form", { class: "card", "aria-label": "Open a dispute", onsubmit: async ev => {
      ev.preventDefault();
      if (await act("Dispute", "POST", "/api/v1/disputes", { invoice: disputeInvoice.value, reason: disputeReason.value, note: disputeNote.value })) reload();
    } }, el("h2", {}, "Open a dispute"), field("Invoice", disputeInvoice), field("Reason code", disputeReason),
    el("datalist", { id: "reasons" }, ["pricing", "quantity", "quality", "not_received", "duplicate", "other"].map(r => el("option", { value: r }))),
    field("Note", disputeNote), el("button", { type: "submit" }, "Open dispute"));
  main(el("h1", {}, c.name + " ", el("span", { class: "tag" }, c.source + ":" + c.external_id)),
    el("p", {}, `Collector ${c.collector || "—"} · risk ${c.risk_class || "—"} · ${c.credit_hold ? "on credit hold" : "no credit hold"}`),
    el("h2", {}, "Balances"),
    table(["Currency", "Open", "Overdue", "Not due", "0-30", "31-60", "61-90", "91-120", "120+"],
      c.balances.map(b => [b.currency, b.open, b.overdue, ...["not_due", "0-30", "31-60", "61-90", "91-120", "120+"].map(k => b.buckets[k])]), [1, 2, 3, 4, 5, 6, 7, 8]),
    c.on_account.length ? el("p", {}, "On account: " + c.on_account.map(o => o.amount + " " + o.currency).join(", ")) : null,
    el("h2", {}, "Open invoices"),
    table(["Promise", "Invoice", "Due", "Days overdue", "Open", "Currency", "Disputed"],
      c.open_invoices.map((i, n) => [ptpInvoices[n], i.number, i.due_date, String(i.days_overdue), i.amount_open, i.currency, i.disputed ? "yes" : ""]), [3, 4]),
    el("div", { class: "grid" }, logForm, ptpForm, disputeForm),
    el("h2", {}, "Promises to pay"),
    table(["Id", "Amount", "Date", "State", "By"], ptps.items.map(p => [String(p.id), p.amount + " " + p.currency, p.promised_date, p.state, p.recorded_by])),
    el("h2", {}, "Disputes"),
    table(["Id", "Invoice", "Reason", "Open", "Resolution"], disputes.items.map(d => [String(d.id), "#" + d.invoice_id, d.reason, d.open ? "open" : "closed", d.resolution])),
    el("h2", {}, "Holds"),
    table(["Id", "Reason", "From", "Until", "Ended"], holds.items.map(h => [String(h.id), h.reason, h.starts_on, h.until, h.ended_at || ""])),
    el("h2", {}, "Timeline"),
    table(["When", "What", "", "Who"], timeline.items.slice().reverse().map(t => [t.at, t.kind, t.text, t.actor])));
}

async function exceptions() {
  const list = await get("/api/v1/exceptions?limit=100");
  const cards = list.items.map(x => {
    const e = x.entry || {};
    const lines = el("div", {});
    const addLine = (number = "", amount = "") => lines.append(el("div", {},
      field("Invoice", el("input", { name: "number", value: number, size: 14 })), field("Amount (empty: what is left)", el("input", { name: "amount", value: amount, size: 10 }))));
    addLine();
    const split = el("form", { "aria-label": "Split entry " + x.entry_id, onsubmit: async ev => {
        ev.preventDefault();
        const invoices = [...lines.children].map(d => ({ number: d.querySelector("[name=number]").value.trim(), amount: d.querySelector("[name=amount]").value.trim() }))
          .filter(l => l.number).map(l => l.amount ? l : { number: l.number });
        if (await act("Entry " + x.entry_id, "POST", `/api/v1/exceptions/${x.entry_id}/apply`, { invoices })) exceptions();
      } }, lines, el("button", { type: "button", class: "secondary", onclick: () => addLine() }, "Add invoice"), " ", el("button", { type: "submit" }, "Apply split"));
    return el("section", { class: "card", "aria-label": "Entry " + x.entry_id },
      el("h2", {}, `${x.amount} ${x.currency} — ${e.payer_name || "unknown payer"}`),
      el("p", { class: "muted" }, `Entry ${x.entry_id} · ${x.reason}${x.detail ? " · " + x.detail : ""} · booked ${e.booking_date || ""}`),
      el("p", {}, "Remittance: " + (e.remittance || e.structured_reference || "—")),
      table(["Candidate", "Score", "Invoices", "Evidence", ""], x.candidates.map((c, n) => [
        c.customer ? c.customer.external_id : "—", String(c.score), c.invoices.map(i => i.number + " (" + i.open + " " + i.currency + ")").join(", "), c.rule + ": " + c.evidence,
        el("button", { type: "button", "data-candidate": n, onclick: async () => {
          if (await act("Entry " + x.entry_id, "POST", `/api/v1/exceptions/${x.entry_id}/apply`, { invoices: c.invoices.map(i => ({ number: i.number })) })) exceptions();
        } }, "Apply")]), [1]),
      el("h2", {}, "Split across invoices"), split);
  });
  main(el("h1", {}, "Exceptions (" + list.items.length + ")"), ...cards);
}

async function disputes() {
  const list = await get("/api/v1/disputes?status=open&limit=500");
  const byReason = {};
  for (const d of list.items) (byReason[d.reason] = byReason[d.reason] || []).push(d);
  const board = el("div", { class: "board" }, Object.entries(byReason).map(([reason, items]) => el("section", { "aria-label": reason },
    el("h2", {}, reason + " (" + items.length + ")"),
    items.map(d => el("div", { class: "card" },
      el("p", {}, `Dispute ${d.id} · invoice #${d.invoice_id}` + (d.amount ? ` · ${d.amount} ${d.currency}` : "")),
      el("p", { class: "muted" }, (d.owner ? d.owner + " · " : "") + d.note),
      el("div", {}, [["customer_pays", "Customer pays"], ["credit_note", "Credit note"], ["rejected", "Reject"]].map(([code, label]) =>
        el("button", { type: "button", class: "secondary", onclick: async () => {
          const { etag } = await api("GET", "/api/v1/disputes/" + d.id);
          if (await act("Dispute " + d.id, "POST", `/api/v1/disputes/${d.id}/resolve`, { resolution: code }, { ifMatch: etag })) disputes();
        } }, label))))))));
  main(el("h1", {}, "Disputes board"), list.items.length ? board : el("p", { class: "muted" }, "No open disputes."));
}

async function forecast(by = "currency") {
  const f = await get("/api/v1/forecast?horizon=120&by=" + by);
  // One chart per currency, or per currency and entity / bank account.
  const key = b => by === "currency" ? b.currency : b.currency + " · " + (b.group || "unknown account");
  const keys = [...new Set(f.buckets.map(key))];
  const charts = el("div", { class: "grid" }, keys.map(k => {
    const rows = f.buckets.filter(b => key(b) === k);
    return el("div", { class: "card" }, el("h2", {}, "Expected inflows " + k),
      barChart("Expected " + k + " inflows by period", rows.map(b => b.from.slice(5) + (b.period === "day" ? "" : " " + b.period[0])), rows.map(b => Number(b.amount))));
  }));
  const grouping = el("select", { id: "forecast-by", onchange: e => forecast(e.target.value) },
    [["currency", "currency"], ["entity", "entity (ERP company)"], ["account", "bank account"]].map(([v, label]) => {
      const o = el("option", { value: v }, label);
      if (v === by) o.selected = true;
      return o;
    }));
  main(el("h1", {}, "Forecast (next " + f.horizon_days + " days, as of " + f.as_of + ")"),
    el("p", { class: "muted" }, "Each open invoice at its due date shifted by the customer's payment behaviour, or at a promised date; money already late even for the customer is expected tomorrow at low probability."),
    el("label", { for: "forecast-by" }, "Group by "), grouping,
    charts,
    el("h2", {}, "Held out and netted"),
    table(["Disputed (held out)", "Cash on account (netted)"], [[f.disputed_held_out.map(d => d.amount + " " + d.currency).join(", ") || "—",
      f.on_account_netted.map(d => d.amount + " " + d.currency).join(", ") || "—"]]),
    el("h2", {}, "By period"),
    by === "currency"
      ? table(["Period", "From", "To", "Currency", "Amount", "Invoices"], f.buckets.map(b => [b.period, b.from, b.to, b.currency, b.amount, String(b.flows)]), [4, 5])
      : table(["Period", "From", "To", "Currency", by === "entity" ? "Entity" : "Account", "Amount", "Invoices"],
          f.buckets.map(b => [b.period, b.from, b.to, b.currency, b.group || "—", b.amount, String(b.flows)]), [5, 6]));
}

// ---- routing -------------------------------------------------------------------------------
const pages = { overview, worklist, customers, exceptions, disputes, forecast };
async function route() {
  if (!state.session) return;
  say("");
  const hash = location.hash.replace(/^#\//, "") || "overview";
  const [name, arg] = hash.split("?")[0].split("/");
  for (const a of document.querySelectorAll("#nav a")) a.toggleAttribute("aria-current", a.dataset.page === name || (name === "customer" && a.dataset.page === "customers"));
  document.querySelectorAll("#nav a[aria-current]").forEach(a => a.setAttribute("aria-current", "page"));
  try {
    if (name === "customer" && arg) await customer(arg);
    else await (pages[name] || overview)();
    document.body.dataset.page = name;
  } catch (e) {
    if (e.status === 401) return showSignIn("Your session ended; sign in again.");
    say("Could not load the page: " + e.message, "error");
  }
}
async function start() {
  try {
    state.session = await get("/web/session");
  } catch (e) {
    return showSignIn();
  }
  document.getElementById("nav").hidden = false;
  document.getElementById("logout").hidden = false;
  document.getElementById("who").textContent = state.session.user + " (" + state.session.role + ")";
  say("");
  await route();
}
window.addEventListener("hashchange", route);
window.addEventListener("DOMContentLoaded", () => {
  document.getElementById("logout").addEventListener("click", async () => {
    await fetch("/web/logout", { method: "POST", credentials: "same-origin" });
    showSignIn();
  });
  start();
});
