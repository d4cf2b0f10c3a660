"use strict";
// The review page's only script. It runs under a Content-Security-Policy that
// admits this exact text (by sha256) and nothing else: no inline handlers, no
// style attributes. Every value from the records is data: it reaches the DOM
// only through H`...` (which escapes each interpolation unless it is itself an
// H result) or through textContent/dataset/CSSOM.
(function () {
const DATA = JSON.parse(document.getElementById("data").textContent);
const META = DATA.meta, DOCS = DATA.docs;
const COLOR = new Map(DATA.types);
const PAGE = 25;
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s == null ? "" : s).replace(/[&<>"'`]/g, (ch) => ({"&":"&amp;","<":"&lt;",">":"&gt;","\"":"&quot;","'":"&#39;","`":"&#96;"}[ch]));

// Markup built from a template literal: interpolated values are escaped, except
// markup made by H itself (Safe) and arrays of those.
class Safe { constructor(s) { this.s = s; } }
const piece = (v) => v instanceof Safe ? v.s : Array.isArray(v) ? v.map(piece).join("") : esc(v);
const H = (strings, ...vals) => {
  let out = strings[0];
  for (let i = 0; i < vals.length; i++) out += piece(vals[i]) + strings[i + 1];
  return new Safe(out);
};
const NONE = new Safe("");

const norm = (s) => String(s == null ? "" : s).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]/g, "");
const col = (t) => COLOR.get(t) || "#888888";
// Colours and stacking levels are set through the CSSOM (allowed by the CSP,
// unlike style attributes in markup) from data-c / data-l / data-lv after each render.
const paint = (el, t) => { el.style.setProperty("--c", col(t)); el.style.setProperty("--b", col(t) + "2b"); };
function paintAll(root) {
  for (const el of root.querySelectorAll("[data-c]")) paint(el, el.dataset.c);
  for (const el of root.querySelectorAll("[data-l]")) el.style.setProperty("--l", el.dataset.l);
  for (const el of root.querySelectorAll("[data-lv]")) el.style.setProperty("--lv", el.dataset.lv);
}
const UNIT = new Map([["lap_time", " s"], ["gap", " s"], ["margin_of_victory", " s"], ["race_duration", " s"],
                      ["speed_mph", " mph"], ["average_speed_mph", " mph"]]);
const fmtVal = (f) => (typeof f.v === "string" ? f.v : JSON.stringify(f.v)) + (UNIT.has(f.t) && typeof f.v === "number" ? UNIT.get(f.t) : "");
const sel = (attr, v) => `[${attr}="${CSS.escape(String(v))}"]`;

// ---- index
const allDrivers = new Map();
for (const d of DOCS) {
  const names = new Set();
  for (const [n] of d.drivers) { names.add(norm(n)); allDrivers.set(norm(n), n); }
  const all = d.facts.concat(d.removed || []);
  for (const f of all) { if (f.d) { names.add(norm(f.d)); if (!allDrivers.has(norm(f.d))) allDrivers.set(norm(f.d), f.d); } if (f.o) names.add(norm(f.o)); }
  d._names = Array.from(names);
  d._types = new Set(all.map((f) => f.t));
  d._fail = d.checks.filter((c) => c[1] === "fail").length;
  d._warn = d.checks.filter((c) => c[1] === "warn").length;
  d._hay = [d.id, d.ev.series, d.ev.track, d.ev.event_name, d.src].join(" ").toLowerCase();
  d._ltext = null;
}

const state = {q: "", driver: "", type: "", check: "", diff: "", page: 0, mentions: true};

function factOk(f) {
  if (state.type && f.t !== state.type) return false;
  if (state.driver) { const k = norm(state.driver); if (!(norm(f.d).includes(k) || norm(f.o).includes(k))) return false; }
  return true;
}
function docOk(d) {
  if (state.q) {
    const q = state.q.toLowerCase();
    if (!d._hay.includes(q)) {
      if (d.text == null) return false;
      if (d._ltext === null) d._ltext = d.text.toLowerCase();
      if (!d._ltext.includes(q)) return false;
    }
  }
  if (state.driver) { const k = norm(state.driver); if (k && !d._names.some((n) => n.includes(k))) return false; }
  if (state.type && !d._types.has(state.type)) return false;
  if (state.type && state.driver && !d.facts.concat(d.removed || []).some(factOk)) return false;
  if (state.check === "fail" && !d._fail) return false;
  if (state.check === "warn" && !d._warn) return false;
  if (state.check === "failwarn" && !(d._fail || d._warn)) return false;
  if (state.check === "error" && !d.err) return false;
  if (state.diff === "any" && !d.ds) return false;
  if ((state.diff === "changed" || state.diff === "new") && d.ds !== state.diff) return false;
  return true;
}

// ---- checks attached to facts
function checksByFact(d) {
  const m = new Map();
  for (const c of d.checks) {
    if (c[1] !== "fail" && c[1] !== "warn") continue;
    for (const i of c[3]) { if (!m.has(i)) m.set(i, []); m.get(i).push(c); }
  }
  return m;
}

// ---- the text with marks
function renderText(d, cbf) {
  const text = d.text, L = text.length;
  const marks = [];
  const add = (f, rm) => {
    const [s, e] = f.s;
    if (!(s >= 0 && e > s && e <= L)) return;
    if (rm && d.inp === "changed") return;   // old spans index another text
    const cs = cbf && !rm ? (cbf.get(f.i) || []) : [];
    marks.push({s, e, f, rm, ok: factOk(f), fail: cs.some((c) => c[1] === "fail"), warn: cs.some((c) => c[1] === "warn")});
  };
  d.facts.forEach((f) => add(f, false));
  (d.removed || []).forEach((f) => add(f, true));
  marks.sort((a, b) => a.s - b.s || (b.e - b.s) - (a.e - a.s));
  const ends = [];
  for (const m of marks) {
    let l = 0; while (l < ends.length && ends[l] > m.s) l++;
    m.l = l; ends[l] = m.e;
  }
  const k = norm(state.driver);
  const ments = [];
  if (state.mentions || k) for (const [name, ms] of d.drivers) {
    const hit = !!k && norm(name).includes(k);
    for (const [s, e] of ms) if (s >= 0 && e > s && e <= L) ments.push({s, e, name, hit});
  }
  const cuts = new Set([0, L]);
  for (const m of marks) { cuts.add(m.s); cuts.add(m.e); }
  for (const m of ments) { cuts.add(m.s); cuts.add(m.e); }
  const pts = Array.from(cuts).sort((a, b) => a - b);
  const out = [];
  for (let p = 0; p + 1 < pts.length; p++) {
    const a = pts[p], b = pts[p + 1];
    let h = H`${text.slice(a, b)}`;
    const act = marks.filter((m) => m.s < b && m.e > a).sort((x, y) => y.l - x.l);
    if (act.length) {
      const tip = act.slice().sort((x, y) => x.l - y.l).map((m) => (m.rm ? "[removed] " : "") + label(m.f)).join("\n");
      act.forEach((m, n) => {
        const cls = ["m"];
        if (!m.ok) cls.push("dim");
        if (m.rm) cls.push("rmv");
        if (m.fail) cls.push("mf"); else if (m.warn) cls.push("mw");
        const key = (m.rm ? "r" : "f") + m.f.i;
        h = H`<span class="${cls.join(" ")}" data-t="${m.f.t}" data-c="${m.f.t}" data-k="${key}" data-l="${m.l}"${n === 0 ? H` title="${tip}"` : NONE}>${h}</span>`;
      });
    }
    const mn = ments.find((m) => m.s < b && m.e > a);
    if (mn) h = H`<span class="mn${mn.hit ? " hit" : ""}" title="${mn.name}">${h}</span>`;
    const starting = marks.filter((m) => m.s === a && (m.rm || m.f.df));
    for (const m of starting) {
      const kind = m.rm ? "rm" : (m.f.df === "changed" ? "chg" : "add");
      h = H`<sup class="dm ${kind}" title="${m.rm ? "removed" : m.f.df}">${m.rm ? "\u2212" : (kind === "chg" ? "~" : "+")}</sup>${h}`;
    }
    out.push(h);
  }
  return H`<div class="text" data-lv="${Math.max(1, ends.length)}">${out}</div>`;
}

function label(f) {
  let who = f.d || "\u2013";
  if (f.o) who += " > " + f.o;
  return `${f.t}: ${who} = ${fmtVal(f)}${f.e ? " (" + f.e + ")" : ""}`;
}

function factRow(d, f, cbf) {
  const rm = f.df === "removed";
  const cls = ["fr"]; if (rm) cls.push("removed"); if (f.so) cls.push("other");
  const notes = [];
  if (f.df === "added") notes.push(H` <span class="badge add">added</span>`);
  if (f.df === "changed") notes.push(H` <span class="badge chg">changed</span>`);
  if (rm) notes.push(H` <span class="badge rm">removed</span>`);
  if (f.was) notes.push(H`<span class="ck was">${f.was}</span>`);
  for (const c of (!rm && cbf.get(f.i)) || [])
    notes.push(H`<span class="ck ${c[1]}" title="${c[2]}">${c[1] === "fail" ? "\u2717" : "!"} ${c[0]}: ${c[2]}</span>`);
  if (f.bad) notes.push(H`<span class="ck bad">\u26a0 ${f.bad}</span>`);
  if (f.e) notes.push(H`<span class="ck extra">${f.e}</span>`);
  const who = f.o ? H`${f.d || "\u2013"} <span class="mut">&gt;</span> ${f.o}` : H`${f.d || "\u2013"}`;
  return H`<tr class="${cls.join(" ")}" data-k="${rm ? "r" : "f"}${f.i}" data-type="${f.t}" data-driver="${f.d || ""}">\
<td class="idx">${rm ? "old " : ""}${f.i}</td>\
<td class="fact"><span class="tchip" data-c="${f.t}">${f.t}</span> <span class="who">${who}</span></td>\
<td class="val">${fmtVal(f)}</td>\
<td class="src"><span class="x" title="span ${f.s.join("\u2013")}">\u201c${f.x}\u201d</span>${notes}</td></tr>`;
}

function renderDoc(d) {
  const cbf = checksByFact(d);
  const ev = d.ev;
  const evs = [ev.series, ev.track, ev.event_name].filter(Boolean).join(" \u00b7 ");
  const dates = [["published", ev.published], ["qualifying", ev.qualifying_date], ["race", ev.race_date]]
    .filter((x) => x[1]).map((x) => `${x[0]} ${x[1]}`).join(", ");
  const badges = [H`<span class="badge">${d.facts.length} facts</span><span class="badge">${d.drivers.length} drivers</span>`];
  if (d._fail) badges.push(H`<span class="badge fail">\u2717 ${d._fail} failed</span>`);
  if (d._warn) badges.push(H`<span class="badge warn">! ${d._warn} warned</span>`);
  if (d.ds === "new") badges.push(H`<span class="badge new">new article</span>`);
  if (d.ds === "changed") badges.push(H`<span class="badge chg">changed</span>`);
  if (d.err) badges.push(H`<span class="badge err">error</span>`);
  const parts = [H`<section class="article" data-doc="${d.id}"><div class="ahead"><span class="id">${d.id}</span>\
<span class="ev">${evs || H`<span class="mut">no event fields</span>`}</span><span class="dates">${dates}</span>${badges}</div>`];
  if (d.err) parts.push(H`<div class="errbox">${d.err}</div>`);
  if (d.dn) parts.push(H`<ul class="dnotes">${d.dn.map((n) => H`<li>${n}</li>`)}</ul>`);
  parts.push(H`<div class="abody">`);
  parts.push(d.text != null ? renderText(d, cbf)
    : H`<div class="notext">Source text not available${d.src ? H` (${d.src} ${d.srcWhy || "is not readable"})` : NONE} \u2014 pass <code>--texts</code> to see the spans in context. Each fact shows its own text.</div>`);
  const all = d.facts.concat(d.removed || []);
  const shown = all.filter(factOk);
  parts.push(H`<div class="side"><table class="facts"><thead><tr><th>#</th><th>fact</th><th>value</th><th>text &amp; notes</th></tr></thead><tbody>`);
  parts.push(H`${shown.map((f) => factRow(d, f, cbf))}</tbody></table>`);
  if (shown.length < all.length) parts.push(H`<p class="filtered">${shown.length} of ${all.length} facts shown (filtered)</p>`);
  const bad = d.checks.filter((c) => c[1] === "fail" || c[1] === "warn");
  const pass = d.checks.filter((c) => c[1] === "pass").length, skip = d.checks.filter((c) => c[1] === "skipped").length;
  if (d.checks.length) {
    parts.push(H`<div class="checks">${bad.map((c) => H`<div class="row ${c[1]}"><b>${c[1] === "fail" ? "\u2717" : "!"} ${c[0]}</b> ${c[2]} <span class="mut">facts ${c[3].join(", ") || "\u2013"}</span></div>`)}\
<div class="row mut">${pass} passed${skip ? ", " + skip + " skipped" : ""}</div></div>`);
  }
  parts.push(H`</div></div></section>`);
  return H`${parts}`;
}

// ---- page
let current = [];
function render() {
  current = DOCS.filter(docOk);
  const pages = Math.max(1, Math.ceil(current.length / PAGE));
  if (state.page >= pages) state.page = pages - 1;
  const slice = current.slice(state.page * PAGE, (state.page + 1) * PAGE);
  const list = $("list");
  list.classList.toggle("hidementions", !state.mentions);
  list.innerHTML = (slice.length ? H`${slice.map(renderDoc)}` : H`<div class="empty">No article matches the filters.</div>`).s;
  paintAll(list);
  $("p-info").textContent = current.length ? `${state.page * PAGE + 1}\u2013${state.page * PAGE + slice.length} of ${current.length}` : "0 of 0";
  $("p-prev").disabled = state.page === 0;
  $("p-next").disabled = state.page >= pages - 1;
  for (const el of document.querySelectorAll(".chip")) el.classList.toggle("on", el.dataset.type === state.type);
  window.scrollTo(0, 0);
}

function init() {
  const nf = DOCS.reduce((a, d) => a + d.facts.length, 0);
  const nfail = DOCS.reduce((a, d) => a + d._fail, 0), nwarn = DOCS.reduce((a, d) => a + d._warn, 0);
  $("stats").textContent = `${DOCS.length} articles \u00b7 ${nf} facts \u00b7 ${nfail} failed / ${nwarn} warned checks \u00b7 extractor ${META.version}`;
  const tsel = $("f-type");
  const counts = new Map();
  for (const d of DOCS) for (const f of d.facts) counts.set(f.t, (counts.get(f.t) || 0) + 1);
  for (const [t] of DATA.types) {
    const o = document.createElement("option"); o.value = t; o.textContent = `${t} (${counts.get(t) || 0})`; tsel.appendChild(o);
    const c = document.createElement("span"); c.className = "chip"; c.dataset.type = t; paint(c, t); c.textContent = t;
    c.title = "show only " + t; c.addEventListener("click", () => { state.type = state.type === t ? "" : t; tsel.value = state.type; state.page = 0; render(); });
    $("legend").appendChild(c);
  }
  const dl = $("driver-list");
  for (const n of Array.from(allDrivers.values()).sort()) { const o = document.createElement("option"); o.value = n; dl.appendChild(o); }
  const notes = [];
  if (META.withText < DOCS.length) notes.push(["", META.withText === 0
    ? "No article texts were given (--texts): facts are listed with their own text only."
    : `${DOCS.length - META.withText} of ${DOCS.length} articles have no text in --texts: those show the facts table only.`]);
  if (META.diff) {
    $("l-diff").hidden = false;
    const c = META.diff.counts || {};
    let s = `Diff against ${META.diff.old || "the old run"}: ${c.changed || 0} changed, ${c.only_new || 0} new, ${c.only_old || 0} only in the old run, ${c.identical || 0} identical. ${META.diff.message || ""}`;
    if (META.diff.only_old && META.diff.only_old.length) s += ` Only in the old run: ${META.diff.only_old.slice(0, 20).join(", ")}${META.diff.only_old.length > 20 ? ", \u2026" : ""}.`;
    notes.push(["info", s]);
    if (META.diffMismatch) notes.push(["", `${META.diffMismatch} diff entries do not match these records' facts and are not marked.`]);
  }
  $("notes").innerHTML = H`${notes.map(([k, s]) => H`<div class="note ${k}">${s}</div>`)}`.s;

  let timer = null;
  const later = () => { clearTimeout(timer); timer = setTimeout(() => { state.page = 0; render(); }, 150); };
  $("f-q").addEventListener("input", (e) => { state.q = e.target.value.trim(); later(); });
  $("f-driver").addEventListener("input", (e) => { state.driver = e.target.value.trim(); later(); });
  tsel.addEventListener("change", (e) => { state.type = e.target.value; state.page = 0; render(); });
  $("f-check").addEventListener("change", (e) => { state.check = e.target.value; state.page = 0; render(); });
  $("f-diff").addEventListener("change", (e) => { state.diff = e.target.value; state.page = 0; render(); });
  $("f-mentions").addEventListener("change", (e) => { state.mentions = e.target.checked; render(); });
  $("f-clear").addEventListener("click", () => {
    Object.assign(state, {q: "", driver: "", type: "", check: "", diff: "", page: 0});
    for (const id of ["f-q", "f-driver", "f-type", "f-check", "f-diff"]) $(id).value = "";
    render();
  });
  $("p-prev").addEventListener("click", () => { state.page--; render(); });
  $("p-next").addEventListener("click", () => { state.page++; render(); });

  // fact row <-> marks
  const list = $("list");
  const hot = (art, key, on) => { for (const el of art.querySelectorAll(sel("data-k", key))) el.classList.toggle("hot", on); };
  list.addEventListener("mouseover", (e) => { const r = e.target.closest("tr.fr"); if (r) hot(r.closest(".article"), r.dataset.k, true); });
  list.addEventListener("mouseout", (e) => { const r = e.target.closest("tr.fr"); if (r) hot(r.closest(".article"), r.dataset.k, false); });
  list.addEventListener("click", (e) => {
    const m = e.target.closest(".m");
    if (m) {
      const row = m.closest(".article").querySelector("tr.fr" + sel("data-k", m.dataset.k));
      if (row) { row.scrollIntoView({block: "nearest"}); row.classList.remove("flash"); void row.offsetWidth; row.classList.add("flash"); }
      return;
    }
    const r = e.target.closest("tr.fr");
    if (r) { const mk = r.closest(".article").querySelector(".m" + sel("data-k", r.dataset.k)); if (mk) mk.scrollIntoView({block: "nearest"}); }
  });
  render();
  document.body.dataset.ready = "1";
}
init();
})();
