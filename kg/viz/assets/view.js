/* kg view: draws the graph data embedded in #kg-data with vis-network.
 * Every string from the data is untrusted: it only ever reaches the page
 * through textContent (tooltips are our own div, filled on hover; vis-network
 * gets no titles). Globals, as in pyvis pages: network, nodes, edges. */
var network = null, nodes = null, edges = null;
window.kgReady = false;
window.kgTiming = { start: performance.now() };  /* ms since navigation, for benchmarks */
(function () {
  "use strict";
  var T = window.kgTiming;
  var D = JSON.parse(document.getElementById("kg-data").textContent);
  T.parsed = performance.now();
  var N = D.nodes, E = D.edges, C = D.classes, P = D.predicates, DOCS = D.docs, S = D.sentences;
  /* Large graphs start light: no labels or arrows until zoomed in far enough
   * to read them, then added for what is on screen (level of detail). */
  var BIG = !!D.large;
  var DETAIL_SCALE = 0.45;
  var GLYPH = { dot: "\u25CF", square: "\u25A0", diamond: "\u25C6", triangle: "\u25B2",
    triangleDown: "\u25BC", star: "\u2605", hexagon: "\u2B22", box: "\u25AC" };
  var $ = function (id) { return document.getElementById(id); };

  function h(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function fmtConf(c) { return c === null || c === undefined ? "" : c.toFixed(2); }
  function docText(i) {
    var d = DOCS[i];
    var t = d.title || d.iri;
    if (d.publisher) t += " (" + d.publisher + ")";
    if (d.issued) t += ", " + d.issued;
    return t;
  }
  function safeHref(u) {
    if (!u) return null;
    try {
      var url = new URL(u);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch (err) { return null; }
  }
  function clip(s, n) { return s.length > n ? s.slice(0, n - 1) + "\u2026" : s; }

  /* ---------- tooltips: plain text only ---------- */
  function nodeTitle(n) {
    var lines = [n.f, C[n.c].name + (n.t.length ? " (" + n.t.join(", ") + ")" : "")];
    if (n.a.length) lines.push("also: " + n.a.join(", "));
    for (var k = 0; k < n.at.length && k < 6; k++) lines.push(n.at[k][0] + ": " + n.at[k][1]);
    if (n.m) lines.push("stands for: " + clip(n.m.slice(0, 12).join("; "), 300));
    lines.push(n.d + " relation" + (n.d === 1 ? "" : "s") +
      (n.dc.length ? ", " + n.dc.length + " source document" + (n.dc.length === 1 ? "" : "s") : ""));
    return lines.join("\n");
  }
  function edgeTitle(e) {
    var lines = [P[e.p].name + (e.c !== null ? "  (confidence " + fmtConf(e.c) + ")" : "")];
    lines.push(N[e.f].f + " \u2192 " + N[e.t].f);
    if (e.g) lines.push("stands for " + e.g + " relations");
    var shown = 0;
    for (var k = 0; k < e.s.length && shown < 3; k++, shown++) {
      var src = e.s[k];
      if (src[1] >= 0) lines.push("\u201C" + clip(S[src[1]], 400) + "\u201D");
      if (src[0] >= 0) lines.push("    \u2014 " + docText(src[0]));
    }
    if (e.s.length > shown) lines.push("+ " + (e.s.length - shown) + " more source(s): click the edge");
    if (!e.s.length && e.dc.length) lines.push("asserted in: " + e.dc.slice(0, 3).map(docText).join("; "));
    if (e.r) lines.push("reference (gazetteer)");
    if (e.n) lines.push("inferred");
    return lines.join("\n");
  }

  /* ---------- vis data: styles come from one group per class ---------- */
  var showEdgeLabels = !!D.edgeLabels;
  var nodeItems = new Array(N.length);
  for (var i = 0; i < N.length; i++) {
    var n = N[i];
    var it = { id: i, x: n.x, y: n.y, size: n.z, group: "c" + n.c };
    if (!BIG) it.label = n.s;
    if (n.g) it.shape = "box";
    nodeItems[i] = it;
  }
  var edgeItems = new Array(E.length);
  for (var j = 0; j < E.length; j++) {
    var e = E[j];
    var item = { id: j, from: e.f, to: e.t };
    if (showEdgeLabels && !BIG) item.label = P[e.p].name;
    if (e.r && !e.dc.length && !e.s.length) item.dashes = true;
    if (e.g) item.width = Math.min(6, 1 + Math.log2(e.g));
    if (e.sm) item.smooth = { enabled: true, type: e.sm[0], roundness: e.sm[1] };
    edgeItems[j] = item;
  }
  T.items = performance.now();
  nodes = new vis.DataSet(nodeItems);
  edges = new vis.DataSet(edgeItems);
  window.nodes = nodes; window.edges = edges;
  T.datasets = performance.now();
  var groups = {};
  C.forEach(function (c, ci) {
    groups["c" + ci] = { shape: c.shape, color: { background: c.colour, border: "#2b2f36",
      highlight: { background: c.colour, border: "#000000" }, hover: { background: c.colour, border: "#000000" } } };
  });

  var options = {
    autoResize: true,
    groups: groups,
    layout: { improvedLayout: false, randomSeed: 1 },
    physics: {
      enabled: false, solver: "barnesHut",
      barnesHut: { gravitationalConstant: -4000, springLength: 140, springConstant: 0.02, damping: 0.35, avoidOverlap: 0.1 },
      stabilization: { enabled: false }
    },
    interaction: { hover: false, hideEdgesOnDrag: BIG, hideEdgesOnZoom: BIG,
      navigationButtons: false, keyboard: false, multiselect: false },
    nodes: {
      font: { size: 14, face: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", color: "#1d2430",
        strokeWidth: 3, strokeColor: "#ffffff" },
      scaling: { label: { drawThreshold: 4 } }, borderWidth: 1
    },
    edges: {
      smooth: false, width: 1, selectionWidth: 2,
      arrows: { to: { enabled: !BIG, scaleFactor: 0.5 } },
      color: { color: "#98a4b3", highlight: "#1d3557", hover: "#1d3557", inherit: false },
      font: { size: 10, color: "#4a5562", strokeWidth: 3, strokeColor: "#ffffff", align: "middle" }
    }
  };
  network = new vis.Network($("kg-network"), { nodes: nodes, edges: edges }, options);
  window.network = network;
  T.network = performance.now();
  network.once("afterDrawing", function () {
    T.drawn = performance.now();
    window.kgReady = true;
    document.body.setAttribute("data-ready", "true");
  });
  /* fit from the known positions (vis-network's fit measures every label first) */
  function fitAll(animate) {
    if (!N.length) return;
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (var k = 0; k < N.length; k++) {
      var b = network.body.nodes[k], x = b ? b.x : N[k].x, y = b ? b.y : N[k].y;
      if (nodeHidden && nodeHidden[k]) continue;
      if (x < x0) x0 = x; if (x > x1) x1 = x; if (y < y0) y0 = y; if (y > y1) y1 = y;
    }
    if (x0 === Infinity) return;
    var el = $("kg-network"), pad = BIG ? 40 : 160;
    var scale = Math.min(1.0, el.clientWidth / (x1 - x0 + 2 * pad), el.clientHeight / (y1 - y0 + 2 * pad));
    network.moveTo({ position: { x: (x0 + x1) / 2, y: (y0 + y1) / 2 }, scale: scale,
      animation: animate ? { duration: 300, easingFunction: "easeInOutQuad" } : false });
  }
  var nodeHidden = null;
  fitAll(false);

  /* level of detail for large graphs */
  var labelled = new Uint8Array(N.length), arrowed = new Uint8Array(E.length);
  var byNode = null;
  function incident() {
    if (byNode) return byNode;
    byNode = N.map(function () { return []; });
    for (var k = 0; k < E.length; k++) { byNode[E[k].f].push(k); byNode[E[k].t].push(k); }
    return byNode;
  }
  function addDetail() {
    if (!BIG || network.getScale() < DETAIL_SCALE) return;
    var el = $("kg-network");
    var a = network.DOMtoCanvas({ x: -100, y: -100 });
    var b = network.DOMtoCanvas({ x: el.clientWidth + 100, y: el.clientHeight + 100 });
    var nu = [], eu = [], inc = null;
    for (var k = 0; k < N.length; k++) {
      if (labelled[k]) continue;
      var body = network.body.nodes[k];
      if (!body || body.x < a.x || body.x > b.x || body.y < a.y || body.y > b.y) continue;
      labelled[k] = 1;
      nu.push({ id: k, label: N[k].s });
      inc = inc || incident();
      var list = inc[k];
      for (var m = 0; m < list.length; m++) {
        var j = list[m];
        if (arrowed[j]) continue;
        arrowed[j] = 1;
        var upd = { id: j, arrows: { to: { enabled: true, scaleFactor: 0.5 } } };
        if (showEdgeLabels) upd.label = P[E[j].p].name;
        eu.push(upd);
      }
    }
    if (nu.length) nodes.update(nu);
    if (eu.length) edges.update(eu);
  }
  var detailTimer = null;
  function detailSoon() {
    if (!BIG) return;
    if (detailTimer) clearTimeout(detailTimer);
    detailTimer = setTimeout(function () { detailTimer = null; addDetail(); }, 120);
  }
  network.on("zoom", detailSoon);
  network.on("dragEnd", detailSoon);
  network.on("animationFinished", detailSoon);

  /* ---------- tooltips: our own div, filled with textContent, built on hover ---------- */
  var tip = h("div", null, "kg-tooltip");
  tip.id = "kg-tooltip";
  tip.hidden = true;
  $("kg-network").appendChild(tip);
  var tipTarget = null, pending = null;
  function hideTip() { tip.hidden = true; tipTarget = null; }
  function showTip(ev) {
    var rect = $("kg-network").getBoundingClientRect();
    var pt = { x: ev.clientX - rect.left, y: ev.clientY - rect.top };
    var k = network.getNodeAt(pt), target = null, text = null;
    if (k !== undefined && !nodeHidden[k]) { target = "n" + k; if (target !== tipTarget) text = nodeTitle(N[k]); }
    else {
      var j2 = BIG && network.getScale() < 0.3 ? undefined : network.getEdgeAt(pt);
      if (j2 !== undefined && !edgeHidden[j2]) { target = "e" + j2; if (target !== tipTarget) text = edgeTitle(E[j2]); }
    }
    if (target === null) { hideTip(); return; }
    if (text !== null) { tip.textContent = text; tipTarget = target; }
    tip.hidden = false;
    var x = pt.x + 14, y = pt.y + 14;
    if (x + tip.offsetWidth > rect.width) x = Math.max(0, pt.x - tip.offsetWidth - 8);
    if (y + tip.offsetHeight > rect.height) y = Math.max(0, pt.y - tip.offsetHeight - 8);
    tip.style.left = x + "px"; tip.style.top = y + "px";
  }
  $("kg-network").addEventListener("mousemove", function (ev) {
    if (ev.target === tip) return;
    if (pending) return;
    pending = requestAnimationFrame(function () { pending = null; showTip(ev); });
  });
  $("kg-network").addEventListener("mouseleave", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);

  /* ---------- sidebar ---------- */
  var visibleCounts = function () {
    var vn = 0, ve = 0, k;
    for (k = 0; k < nodeHidden.length; k++) if (!nodeHidden[k]) vn++;
    for (k = 0; k < edgeHidden.length; k++) if (!edgeHidden[k]) ve++;
    var txt = N.length.toLocaleString("en") + " entities \u00B7 " + E.length.toLocaleString("en") + " relations";
    if (vn !== N.length || ve !== E.length) txt += " (" + vn.toLocaleString("en") + " / " + ve.toLocaleString("en") + " shown)";
    $("kg-counts").textContent = txt;
  };
  var msg = D.message;
  if (D.groups) msg = (msg ? msg + " " : "") + "\u25AC boxes are groups: click one for its members.";
  if (msg) { $("kg-message").textContent = msg; $("kg-message").hidden = false; }

  var classOn = C.map(function () { return true; });
  var predOn = P.map(function () { return true; });
  var minDeg = 0;
  // entities no document names: the gazetteer's background, hidden by default when the
  // graph has documents (the "gazetteer-only entities" box brings them back)
  var context = N.map(function (n) { return !!(n.dc && n.dc.length); });
  var anyDocs = context.some(function (x) { return x; });
  var showRef = !anyDocs;
  nodeHidden = N.map(function () { return false; });
  var edgeHidden = E.map(function () { return false; });
  var forced = {};  // nodes shown by search even when a filter hides them

  function checkbox(container, name, count, swatch, colour, onChange) {
    var lab = h("label");
    var box = h("input"); box.type = "checkbox"; box.checked = true;
    box.addEventListener("change", function () { onChange(box.checked); });
    lab.appendChild(box);
    if (swatch) { var sw = h("span", swatch, "kg-swatch"); sw.style.color = colour; lab.appendChild(sw); }
    lab.appendChild(h("span", name));
    lab.appendChild(h("span", count.toLocaleString("en"), "kg-count"));
    container.appendChild(lab);
  }
  C.forEach(function (c, ci) {
    checkbox($("kg-classes"), c.name, c.count, GLYPH[c.shape] || "\u25CF", c.colour,
      function (on) { classOn[ci] = on; applyFilters(); });
  });
  P.forEach(function (p, pi) {
    checkbox($("kg-predicates"), p.name, p.count, null, null,
      function (on) { predOn[pi] = on; applyFilters(); });
  });

  function applyFilters() {
    var nu = [], eu = [], k;
    for (k = 0; k < N.length; k++) {
      var hide = !forced[k] && (!classOn[N[k].c] || N[k].d < minDeg || (!showRef && !context[k]));
      if (hide !== nodeHidden[k]) { nodeHidden[k] = hide; nu.push({ id: k, hidden: hide }); }
    }
    for (k = 0; k < E.length; k++) {
      var e = E[k];
      var eh = !predOn[e.p] || nodeHidden[e.f] || nodeHidden[e.t];
      if (eh !== edgeHidden[k]) { edgeHidden[k] = eh; eu.push({ id: k, hidden: eh }); }
    }
    if (nu.length) nodes.update(nu);
    if (eu.length) edges.update(eu);
    visibleCounts();
  }

  var maxDeg = 0;
  for (var q = 0; q < N.length; q++) if (N[q].d > maxDeg) maxDeg = N[q].d;
  $("kg-mindeg").max = String(Math.max(1, Math.min(maxDeg, 20)));
  $("kg-mindeg").addEventListener("input", function () {
    minDeg = parseInt(this.value, 10) || 0;
    $("kg-mindeg-out").textContent = String(minDeg);
    applyFilters();
  });
  $("kg-reference").checked = showRef;
  $("kg-reference").addEventListener("change", function () { showRef = this.checked; applyFilters(); });
  if (!showRef) {
    applyFilters();
    fitAll(false);
  }
  $("kg-physics").addEventListener("change", function () {
    network.setOptions({ physics: { enabled: this.checked } });
  });
  $("kg-edge-labels").checked = showEdgeLabels;
  $("kg-edge-labels").addEventListener("change", function () {
    showEdgeLabels = this.checked;
    var upd = [];
    for (var k = 0; k < E.length; k++) {
      if (BIG && !arrowed[k]) continue;
      upd.push({ id: k, label: showEdgeLabels ? P[E[k].p].name : "" });
    }
    edges.update(upd);
  });
  $("kg-fit").addEventListener("click", function () { fitAll(true); });
  visibleCounts();

  /* ---------- search ---------- */
  var names = N.map(function (n) {
    return [n.s.split("\n")[0], n.f].concat(n.a).map(function (s) { return s.toLowerCase(); });
  });
  function matches(query) {
    var qq = query.trim().toLowerCase();
    if (!qq) return [];
    var out = [];
    for (var k = 0; k < N.length; k++) {
      var best = 9, list = names[k];
      for (var m = 0; m < list.length; m++) {
        var s = list[m], sc = 9;
        if (s === qq) sc = 0;
        else if (s.lastIndexOf(qq, 0) === 0) sc = 1;
        else if (s.indexOf(" " + qq) >= 0) sc = 2;
        else if (s.indexOf(qq) >= 0) sc = 3;
        if (sc < best) best = sc;
      }
      if (best < 9) out.push([best, -N[k].d, N[k].f.length, k]);
    }
    out.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || a[3] - b[3]; });
    return out.slice(0, 25).map(function (r) { return r[3]; });
  }
  var current = [];
  function showMatches(list) {
    var ul = $("kg-matches");
    ul.textContent = "";
    list.forEach(function (k, pos) {
      var li = h("li");
      if (pos === 0) li.className = "kg-current";
      var b = h("button", N[k].f);
      b.type = "button";
      b.title = N[k].f + " \u2014 " + C[N[k].c].name;
      b.appendChild(h("span", "  " + C[N[k].c].name, "kg-muted"));
      b.addEventListener("click", function () { focusNode(k); });
      li.appendChild(b);
      ul.appendChild(li);
    });
    if (!list.length && $("kg-search").value.trim()) ul.appendChild(h("li", "no match", "kg-muted"));
  }
  function focusNode(k) {
    if (nodeHidden[k]) { forced[k] = true; applyFilters(); }
    network.selectNodes([k]);
    /* vis-network animates frame by frame: on a large graph jump instead */
    network.focus(k, { scale: Math.max(network.getScale(), 1.0),
      animation: BIG ? false : { duration: 300, easingFunction: "easeInOutQuad" } });
    detailSoon();
    showNode(k);
  }
  var timer = null;
  function runSearch(andFocus) {
    current = matches($("kg-search").value);
    showMatches(current);
    if (andFocus && current.length) focusNode(current[0]);
  }
  $("kg-search").addEventListener("input", function () {
    if (timer) clearTimeout(timer);
    timer = setTimeout(function () { timer = null; runSearch(true); }, 180);
  });
  $("kg-search").addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { ev.preventDefault(); if (timer) clearTimeout(timer); timer = null; runSearch(true); }
    if (ev.key === "Escape") { this.value = ""; showMatches([]); }
  });

  /* ---------- details panel ---------- */
  var panel = $("kg-details"), body = $("kg-details-body");
  function link(text, onClick) {
    var b = h("button", text, "kg-link"); b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }
  function docItem(i) {
    var li = h("li"), d = DOCS[i], href = safeHref(d.url);
    var label = d.title || d.iri;
    if (href) {
      var a = h("a", label); a.href = href; a.target = "_blank"; a.rel = "noopener noreferrer";
      li.appendChild(a);
    } else li.appendChild(h("span", label));
    var meta = [d.publisher, d.issued].filter(Boolean).join(", ");
    if (meta) li.appendChild(h("span", " \u2014 " + meta, "kg-muted"));
    return li;
  }
  function open() { panel.hidden = false; panel.scrollTop = 0; }
  function showNode(k) {
    var n = N[k];
    body.textContent = "";
    body.appendChild(h("h2", n.f));
    var sub = C[n.c].name + (n.t.length ? " \u00B7 " + n.t.join(", ") : "");
    body.appendChild(h("div", sub, "kg-muted"));
    if (!n.g) body.appendChild(h("div", n.i, "kg-iri"));
    var dl = h("dl");
    function row(k2, v) { dl.appendChild(h("dt", k2)); dl.appendChild(h("dd", v)); }
    if (n.a.length) row("also", n.a.join(", "));
    n.at.forEach(function (a) { row(a[0], a[1]); });
    row("relations", String(n.d));
    body.appendChild(dl);
    if (n.m) {
      body.appendChild(h("h3", "Stands for " + n.m.length));
      var ulm = h("ul");
      n.m.slice(0, 200).forEach(function (s) { ulm.appendChild(h("li", s)); });
      if (n.m.length > 200) ulm.appendChild(h("li", "\u2026", "kg-muted"));
      body.appendChild(ulm);
    }
    var inc = incident()[k];
    if (inc.length) {
      body.appendChild(h("h3", "Relations"));
      var ul = h("ul");
      inc.slice(0, 150).forEach(function (j) {
        var e = E[j], out = e.f === k, other = out ? e.t : e.f;
        var li = h("li");
        li.appendChild(h("span", out ? P[e.p].name + " \u2192 " : "\u2190 " + P[e.p].name + " ", "kg-muted"));
        li.appendChild(link(N[other].f, function () { focusNode(other); }));
        li.appendChild(document.createTextNode(" "));
        li.appendChild(link("(why?)", function () { network.selectEdges([j]); showEdge(j); }));
        ul.appendChild(li);
      });
      if (inc.length > 150) ul.appendChild(h("li", "+ " + (inc.length - 150) + " more", "kg-muted"));
      body.appendChild(ul);
    }
    if (n.dc.length) {
      body.appendChild(h("h3", "Source documents (" + n.dc.length + ")"));
      var uld = h("ul");
      n.dc.slice(0, 100).forEach(function (i) { uld.appendChild(docItem(i)); });
      body.appendChild(uld);
    }
    open();
  }
  function showEdge(j) {
    var e = E[j];
    body.textContent = "";
    body.appendChild(h("h2", P[e.p].name));
    var p = h("div");
    p.appendChild(link(N[e.f].f, function () { focusNode(e.f); }));
    p.appendChild(h("span", " \u2192 ", "kg-muted"));
    p.appendChild(link(N[e.t].f, function () { focusNode(e.t); }));
    body.appendChild(p);
    var dl = h("dl");
    function row(k2, v) { dl.appendChild(h("dt", k2)); dl.appendChild(h("dd", v)); }
    if (e.c !== null) row("confidence", fmtConf(e.c));
    if (e.r) row("reference", "reference (gazetteer)");
    if (e.n) row("inferred", "yes");
    if (e.g) row("stands for", e.g + " relations");
    body.appendChild(dl);
    if (e.s.length) {
      body.appendChild(h("h3", "Evidence (" + e.s.length + ")"));
      e.s.slice(0, 50).forEach(function (src) {
        if (src[1] >= 0) body.appendChild(h("blockquote", S[src[1]]));
        var meta = [];
        if (src[0] >= 0) meta.push(docText(src[0]));
        if (src[2] !== null) meta.push("confidence " + fmtConf(src[2]));
        if (src[3]) meta.push("rule " + src[3]);
        body.appendChild(h("div", meta.join(" \u00B7 "), "kg-muted"));
      });
    }
    if (e.dc.length) {
      body.appendChild(h("h3", "Asserted in"));
      var uld = h("ul");
      e.dc.slice(0, 100).forEach(function (i) { uld.appendChild(docItem(i)); });
      body.appendChild(uld);
    }
    open();
  }
  $("kg-details-close").addEventListener("click", function () { panel.hidden = true; });
  /* for tests, notebooks and the console: the data and a few actions */
  window.kgView = {
    data: D,
    idOf: function (iri) { for (var k = 0; k < N.length; k++) if (N[k].i === iri) return k; return null; },
    focus: focusNode, showNode: showNode, showEdge: showEdge, applyFilters: applyFilters
  };
  network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
    else panel.hidden = true;
  });
})();
