// cnnplay class mode, the teacher's page. The teacher's key comes in the
// URL's fragment (#key=…, which the browser never sends to a server), is
// kept in this tab's sessionStorage and sent only in the Authorization
// header of the teacher's API calls: there is no cookie, so no other site
// can make the browser act for the teacher. The playground's tab this page
// opens gets it by postMessage (see "Test and train in the playground").
// Everything a student typed is shown with textContent, never parsed as
// HTML.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const KEY = "cnnplay-teacher-key";
  const tiles = new Map(); // drawing id -> tile element
  const feed = { after: 0, rev: 0 };
  let key = "";
  let locked = false;
  // classesEdited is set while the class names box holds names not yet
  // sent (typed, or from a My data set): the live feed leaves it alone.
  let classesEdited = false;

  // --- The key ---------------------------------------------------------

  const m = /^#key=([A-Za-z0-9_-]+)$/.exec(location.hash);
  if (m) {
    sessionStorage.setItem(KEY, m[1]);
    history.replaceState(null, "", location.pathname);
  }
  key = sessionStorage.getItem(KEY) || "";

  class HTTPError extends Error {
    constructor(status, msg) { super(msg); this.status = status; }
  }

  async function api(name, body, as) {
    const res = await fetch("/class/api/teacher/" + name, {
      method: "POST", cache: "no-store",
      headers: { "Content-Type": "application/json", "Authorization": "Bearer " + key },
      body: JSON.stringify(body || {}),
    });
    if (!res.ok) {
      let msg = "the server said " + res.status;
      try { msg = (await res.json()).error || msg; } catch { /* not JSON */ }
      throw new HTTPError(res.status, msg);
    }
    return as === "blob" ? res.blob() : res.json();
  }

  function askForKey(msg) {
    $("class-view").hidden = true;
    $("key-view").hidden = false;
    $("key-error").textContent = msg || "";
    $("live").textContent = "";
  }

  $("key-form").addEventListener("submit", (e) => {
    e.preventDefault();
    key = $("key-input").value.trim();
    sessionStorage.setItem(KEY, key);
    start();
  });

  // --- Elements --------------------------------------------------------

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function button(text, onClick, cls) {
    const b = el("button", cls, text);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  function showError(err) {
    $("action-error").textContent = err ? String(err.message || err) : "";
    if (err && err.status === 401) askForKey(err.message);
  }

  // --- The class's state -----------------------------------------------

  function counts(box, list) {
    box.replaceChildren();
    const most = Math.max(1, ...list.map((c) => c.count));
    for (const c of list) {
      box.append(el("span", "", c.name === "" ? "(no nickname)" : c.name));
      const bar = el("div", "bar");
      bar.style.width = (100 * c.count / most) + "%";
      box.append(bar, el("span", "", String(c.count)));
    }
  }

  function showState(st) {
    $("class-code").textContent = st.code;
    $("set-code").textContent = st.code;
    $("join-url").textContent = st.joinURL;
    const s = st.summary;
    $("joined").textContent = s.joined + (s.joined === 1 ? " student joined" : " students joined");
    $("total").textContent = "(" + s.total + (s.flagged ? ", " + s.flagged + " flagged" : "") + ")";
    locked = st.locked;
    $("lock").textContent = locked ? "Unlock" : "Lock";
    $("lock-state").textContent = locked ? "Locked: students' drawings wait on their phones." : "Open: students can send drawings.";
    if (!classesEdited && document.activeElement !== $("classes-input")) $("classes-input").value = st.classes.join(", ");
    counts($("per-class"), s.perClass);
    counts($("per-student"), s.perStudent);
    $("evaluate").disabled = !st.canTest;
  }

  // drawStrokes returns a canvas with the drawing as the student drew it:
  // its strokes, in the pen of the students' 280-pixel canvas, scaled.
  function drawStrokes(strokes) {
    const CANVAS = 280, SIDE = 140;
    const c = el("canvas");
    c.width = c.height = SIDE;
    const g = c.getContext("2d");
    g.fillStyle = "#fff";
    g.fillRect(0, 0, SIDE, SIDE);
    g.scale(SIDE / CANVAS, SIDE / CANVAS);
    g.strokeStyle = g.fillStyle = "#111";
    g.lineWidth = 18;
    g.lineCap = g.lineJoin = "round";
    for (const s of strokes || []) {
      g.beginPath();
      if (s.length === 1) {
        g.arc(s[0][0], s[0][1], 9, 0, 2 * Math.PI);
        g.fill();
        continue;
      }
      g.moveTo(s[0][0], s[0][1]);
      for (const p of s.slice(1)) g.lineTo(p[0], p[1]);
      g.stroke();
    }
    return c;
  }

  function addTile(d) {
    if (tiles.has(d.id)) return;
    const t = el("figure", "tile" + (d.flagged ? " flagged" : ""));
    t.dataset.id = d.id;
    t.dataset.label = d.label;
    const pic = drawStrokes(d.strokes);
    pic.setAttribute("role", "img");
    pic.setAttribute("aria-label", d.label + " by " + (d.nickname || "no nickname"));
    const flag = button(d.flagged ? "Unflag" : "Flag", async () => {
      const want = !t.classList.contains("flagged");
      try {
        await api("flag", { id: d.id, flagged: want });
        t.classList.toggle("flagged", want);
        flag.textContent = want ? "Unflag" : "Flag";
        showError();
      } catch (err) { showError(err); }
    });
    flag.className = "flag";
    const del = button("Delete", async () => {
      try {
        await api("delete", { id: d.id });
        t.remove();
        tiles.delete(d.id);
        showError();
      } catch (err) { showError(err); }
    }, "danger delete");
    const acts = el("div", "acts");
    acts.append(flag, del);
    t.append(pic, el("div", "label", d.label), el("div", "who", d.nickname || "—"), acts);
    tiles.set(d.id, t);
    $("gallery").prepend(t);
  }

  // --- The live feed ---------------------------------------------------

  // poll asks the server for what changed, waiting up to 20 s for a
  // change; the server answers as soon as a drawing is stored.
  async function poll() {
    let wait = 0; // the first answer, and the next page of a long list, at once
    for (;;) {
      try {
        const r = await api("feed", { after: feed.after, rev: feed.rev, wait });
        for (const d of r.drawings) addTile(d);
        feed.after = r.last;
        feed.rev = r.rev;
        wait = r.more ? 0 : 20000;
        showState(r.state);
        $("live").textContent = "live";
      } catch (err) {
        if (err.status === 401) { askForKey(err.message); return; }
        $("live").textContent = "reconnecting…";
        await new Promise((ok) => setTimeout(ok, 2000));
      }
    }
  }

  // --- Actions ---------------------------------------------------------

  $("lock").addEventListener("click", async () => {
    try { await api("lock", { locked: !locked }); showError(); } catch (err) { showError(err); }
  });

  $("classes-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const classes = $("classes-input").value.split(",").map((s) => s.trim()).filter((s) => s !== "");
    try {
      await api("classes", { classes });
      classesEdited = false;
      showError();
      $("mydata-note").textContent = "";
      $("classes-input").blur();
    } catch (err) { showError(err); }
  });
  $("classes-input").addEventListener("input", () => { classesEdited = true; });

  // --- The classes of a My data set -----------------------------------

  // The playground, on this origin, keeps the user's own sets in the
  // IndexedDB database "cnnplay-mydata" (app/mydatastore.go): its object
  // store "kv" holds, under "set/<id>/meta", each set's meta as JSON in a
  // Uint8Array: {format, name, classes: [{name, examples}]}. This page only
  // reads it, and never creates it: a teacher who never used My data in
  // this browser gets no empty database from this page.
  const MYDATA = { db: "cnnplay-mydata", store: "kv", format: 1 };
  // The server's limit on a class's class names (MaxClasses in
  // internal/classroom/drawing.go); it checks the names themselves.
  const MIN_CLASSES = 2, MAX_CLASSES = 50;
  let mySets = [];

  function idbRequest(req) {
    return new Promise((ok, fail) => {
      req.onsuccess = () => ok(req.result);
      req.onerror = () => fail(req.error);
    });
  }

  // openMyData opens the playground's database read-only, or returns null
  // when this browser has none. Opened without a version, a database that
  // does not exist would be made (at version 1, empty): the upgrade that
  // would make it is aborted instead.
  async function openMyData() {
    if (!window.indexedDB) return null;
    if (indexedDB.databases) {
      const dbs = await indexedDB.databases();
      if (!dbs.some((d) => d.name === MYDATA.db)) return null;
    }
    const req = indexedDB.open(MYDATA.db);
    req.onupgradeneeded = () => req.transaction.abort();
    let db;
    try { db = await idbRequest(req); } catch (err) {
      if (err && err.name === "AbortError") return null;
      throw err;
    }
    if (!db.objectStoreNames.contains(MYDATA.store)) { db.close(); return null; }
    return db;
  }

  // readMySets returns the sets of this browser's My data, by name: only
  // their names and class names (the metas, not the pictures). A meta
  // that cannot be read, or of a newer format, is left out.
  async function readMySets() {
    const db = await openMyData();
    if (!db) return [];
    try {
      const st = db.transaction(MYDATA.store, "readonly").objectStore(MYDATA.store);
      const keys = (await idbRequest(st.getAllKeys())).filter((k) => typeof k === "string" && /^set\/[^/]+\/meta$/.test(k));
      const metas = await Promise.all(keys.map((k) => idbRequest(st.get(k))));
      const sets = [];
      for (const v of metas) {
        try {
          const m = JSON.parse(new TextDecoder().decode(v));
          if (m.format > MYDATA.format || typeof m.name !== "string" || !Array.isArray(m.classes)) continue;
          sets.push({ name: m.name, classes: m.classes.map((c) => String(c.name)) });
        } catch { /* not a meta this page can read */ }
      }
      return sets.sort((a, b) => a.name.localeCompare(b.name));
    } finally {
      db.close();
    }
  }

  // fillMySets lists the sets in the select, or says there are none.
  async function fillMySets() {
    const sel = $("mydata-sets");
    let sets;
    try { sets = await readMySets(); } catch (err) {
      sel.replaceChildren(el("option", "", "My data could not be read in this browser"));
      sel.options[0].value = "";
      sel.disabled = true;
      $("mydata-note").textContent = String(err && err.message || err);
      return;
    }
    mySets = sets;
    if (sets.length === 0) {
      const o = el("option", "", "No My data sets in this browser");
      o.value = "";
      sel.replaceChildren(o);
      sel.disabled = true;
      return;
    }
    const first = el("option", "", "Choose a set…");
    first.value = "";
    sel.replaceChildren(first, ...sets.map((s, i) => {
      const o = el("option", "", s.name + " — " + (s.classes.length ? s.classes.join(", ") : "no classes"));
      o.value = String(i);
      return o;
    }));
    sel.disabled = false;
  }

  // A set chosen fills the class names box with its class names; the
  // teacher still sends them with "Set the classes", which the server
  // checks. What the class cannot take is said before that.
  $("mydata-sets").addEventListener("change", () => {
    const s = mySets[Number($("mydata-sets").value)];
    const note = $("mydata-note");
    note.classList.remove("error");
    if ($("mydata-sets").value === "" || !s) { note.textContent = ""; return; }
    let names = s.classes;
    const problems = [];
    if (names.length < MIN_CLASSES) {
      problems.push("The set " + s.name + " has " + names.length + (names.length === 1 ? " class" : " classes") + "; a class needs at least " + MIN_CLASSES + ".");
    }
    if (names.length > MAX_CLASSES) {
      problems.push("The set " + s.name + " has " + names.length + " classes, more than the " + MAX_CLASSES + " a class allows: only its first " + MAX_CLASSES + " are in the box.");
      names = names.slice(0, MAX_CLASSES);
    }
    const commas = names.filter((n) => n.includes(","));
    if (commas.length) {
      problems.push("The box splits names at commas: " + commas.join(" | ") + " will not stay one name each.");
    }
    $("classes-input").value = names.join(", ");
    classesEdited = true;
    note.textContent = problems.length ? problems.join(" ") :
      "Press “Set the classes” to ask the students for these " + names.length + " classes.";
    note.classList.toggle("error", problems.length > 0);
  });
  // Sets made in the playground meanwhile show when the teacher comes back.
  document.addEventListener("visibilitychange", () => { if (!document.hidden) fillMySets(); });

  async function download(format) {
    try {
      const blob = await api("export", { format }, "blob");
      const a = el("a");
      a.href = URL.createObjectURL(blob);
      a.download = "class-" + $("class-code").textContent + "-" + format + ".zip";
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 60000);
      showError();
    } catch (err) { showError(err); }
  }
  $("export-folders").addEventListener("click", () => download("folders"));
  $("export-idx").addEventListener("click", () => download("idx"));

  $("evaluate").addEventListener("click", async () => {
    try {
      const ev = await api("evaluate");
      $("evaluation").hidden = false;
      $("accuracy").textContent = ev.tested === 0 ? "No drawings of the model's classes yet." :
        "Accuracy " + (100 * ev.accuracy).toFixed(1) + "% on " + ev.tested + " drawings (" + ev.correct + " right)" +
        (ev.skipped ? "; " + ev.skipped + " of other classes left out" : "") + ".";
      const table = $("confusion");
      table.replaceChildren();
      const head = el("tr");
      head.append(el("th", "", "true \\ predicted"), ...ev.classes.map((c) => el("th", "", c)));
      table.append(head);
      ev.confusion.forEach((row, i) => {
        const tr = el("tr");
        tr.append(el("th", "", ev.classes[i]), ...row.map((n, j) => el("td", i === j ? "diag" : "", n ? String(n) : "")));
        table.append(tr);
      });
      $("mistakes").replaceChildren(ev.mistakes.length === 0 ? el("p", "muted", "None: the model read every drawing right.") : "");
      $("mistakes").append(...ev.mistakes.map((mk) => {
        const f = el("figure", "tile");
        const img = el("img");
        img.src = mk.image;
        img.alt = mk.label + " read as " + mk.predicted;
        f.append(img, el("div", "label", mk.label + " → " + mk.predicted), el("div", "who", mk.nickname || "—"));
        return f;
      }));
      showError();
    } catch (err) { showError(err); }
  });

  // --- Test and train in the playground --------------------------------

  // The playground opens in a tab of its own at /#class-import (the same
  // tab at every click, which then imports again) and asks this page for
  // the key with postMessage. Only a tab this page opened, of this origin,
  // gets it, and only in a message to this origin: the key is in no URL.
  const PLAYGROUND = "cnnplay-playground";
  const playgrounds = new Set();
  $("playground").addEventListener("click", () => {
    const w = window.open("/#class-import", PLAYGROUND);
    if (!w) {
      showError(new Error("The browser blocked the playground's tab: allow pop-ups for this page, or export the zip and import it in the playground's My data."));
      return;
    }
    playgrounds.add(w);
    showError();
  });
  window.addEventListener("message", (e) => {
    if (e.origin !== location.origin || !playgrounds.has(e.source) || !e.data || e.data.type !== "cnnplay-class-key-request") return;
    e.source.postMessage({ type: "cnnplay-class-key", key }, location.origin);
  });

  // --- Start -----------------------------------------------------------

  async function start() {
    if (!key) { askForKey(); return; }
    try {
      const st = await api("state");
      $("key-view").hidden = true;
      $("class-view").hidden = false;
      showState(st);
      fillMySets();
      const qr = await api("qr", {}, "blob");
      $("qr").src = URL.createObjectURL(qr);
      poll();
    } catch (err) {
      if (err.status === 401) askForKey(err.message); else showError(err);
    }
  }
  start();
})();
