// cnnplay class mode, the students' page: join with the class code, draw
// the digit asked for, submit. Drawings wait in a queue kept in
// localStorage until the server has acknowledged them, so a dropped
// network or a closed tab loses nothing; each carries a random key, so a
// retry is never stored twice.
"use strict";

(() => {
  const CANVAS = 280, BRUSH = 18, MIN_STEP = 1;
  const STORE = "cnnplay-class-";
  const $ = (id) => document.getElementById(id);

  const state = {
    code: "", nickname: "", classes: [], deck: [], label: "",
    strokes: [], current: null, t0: 0,
    sending: false, sent: 0, retryTimer: 0, backoff: 1000,
  };

  const load = (k, d) => { try { return JSON.parse(localStorage.getItem(STORE + k)) ?? d; } catch { return d; } };
  const save = (k, v) => { try { localStorage.setItem(STORE + k, JSON.stringify(v)); } catch { /* private mode: the queue lives in memory */ } };

  function randomId() {
    const b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  }

  const device = load("device", "") || randomId();
  save("device", device);
  let queue = load("queue", []);
  state.sent = load("sent", 0);

  // --- Joining ---------------------------------------------------------

  async function post(path, body) {
    const res = await fetch("/class/api/" + path, {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body), cache: "no-store",
    });
    let data = {};
    try { data = await res.json(); } catch { /* an empty or non-JSON body */ }
    return { status: res.status, data, retryAfter: Number(res.headers.get("Retry-After")) || 0 };
  }

  async function join(ev) {
    ev?.preventDefault();
    const code = $("code").value.trim().toUpperCase();
    const nickname = $("nickname").value.trim();
    $("join-error").textContent = "";
    if (!/^[A-Z]{4}$/.test(code)) {
      $("join-error").textContent = "The class code is 4 letters: look at the board.";
      return;
    }
    $("join").disabled = true;
    try {
      const r = await post("join", { code, device, nickname });
      if (r.status !== 200) {
        $("join-error").textContent = r.data.error || "The server said " + r.status + ".";
        return;
      }
      state.code = code;
      state.nickname = nickname;
      state.classes = r.data.classes;
      save("code", code);
      save("nickname", nickname);
      $("join-view").hidden = true;
      $("draw-view").hidden = false;
      nextPrompt();
      setStatus(r.data.locked ? "The class is locked for now: your drawings wait and go when it opens." : "", r.data.locked);
      flush();
    } catch {
      $("join-error").textContent = "Cannot reach the class's server: check the wifi and try again.";
    } finally {
      $("join").disabled = false;
    }
  }

  // --- Prompts ---------------------------------------------------------

  // nextPrompt asks for the next class of a shuffled deck of all classes:
  // every student draws each class once per round, so the classes get
  // similar shares.
  function nextPrompt() {
    if (state.deck.length === 0) {
      state.deck = state.classes.slice();
      for (let i = state.deck.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [state.deck[i], state.deck[j]] = [state.deck[j], state.deck[i]];
      }
    }
    state.label = state.deck.pop();
    $("target").textContent = state.label;
    $("article").textContent = /^[8aeiouAEIOU]/.test(state.label) || state.label === "11" ? "an" : "a";
    clearPad();
  }

  // --- Drawing ---------------------------------------------------------

  const pad = $("pad");
  const g = pad.getContext("2d");

  function clearPad() {
    state.strokes = [];
    state.current = null;
    redraw();
  }

  function redraw() {
    g.fillStyle = "#fff";
    g.fillRect(0, 0, CANVAS, CANVAS);
    g.strokeStyle = g.fillStyle = "#111";
    g.lineWidth = BRUSH;
    g.lineCap = g.lineJoin = "round";
    for (const s of state.strokes) drawStroke(s);
    $("undo").disabled = state.strokes.length === 0;
  }

  function drawStroke(s) {
    if (s.length === 1) {
      g.beginPath();
      g.arc(s[0][0], s[0][1], BRUSH / 2, 0, 2 * Math.PI);
      g.fill();
      return;
    }
    g.beginPath();
    g.moveTo(s[0][0], s[0][1]);
    for (let i = 1; i < s.length; i++) g.lineTo(s[i][0], s[i][1]);
    g.stroke();
  }

  function toCanvas(e) {
    const r = pad.getBoundingClientRect();
    const clamp = (v) => Math.min(CANVAS, Math.max(0, v));
    const round = (v) => Math.round(v * 10) / 10;
    return [round(clamp((e.clientX - r.left) * CANVAS / r.width)), round(clamp((e.clientY - r.top) * CANVAS / r.height))];
  }

  pad.addEventListener("pointerdown", (e) => {
    e.preventDefault();
    pad.setPointerCapture?.(e.pointerId);
    if (state.strokes.length === 0) state.t0 = performance.now();
    const [x, y] = toCanvas(e);
    state.current = [[x, y, Math.round(performance.now() - state.t0)]];
    state.strokes.push(state.current);
    redraw();
  });
  pad.addEventListener("pointermove", (e) => {
    if (!state.current) return;
    e.preventDefault();
    const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
    for (const ce of events.length ? events : [e]) {
      const [x, y] = toCanvas(ce);
      const last = state.current[state.current.length - 1];
      if (Math.hypot(x - last[0], y - last[1]) < MIN_STEP) continue;
      state.current.push([x, y, Math.round(performance.now() - state.t0)]);
      g.beginPath();
      g.moveTo(last[0], last[1]);
      g.lineTo(x, y);
      g.stroke();
    }
  });
  const end = () => { state.current = null; };
  pad.addEventListener("pointerup", end);
  pad.addEventListener("pointercancel", end);

  $("undo").addEventListener("click", () => { state.strokes.pop(); state.current = null; redraw(); });
  $("skip").addEventListener("click", () => nextPrompt());
  $("submit").addEventListener("click", () => {
    if (state.strokes.length === 0) {
      setStatus("Draw " + $("article").textContent + " " + state.label + " first.", true);
      return;
    }
    queue.push({ code: state.code, key: randomId(), device, nickname: state.nickname, label: state.label, strokes: state.strokes });
    save("queue", queue);
    nextPrompt();
    state.backoff = 1000;
    flush();
  });

  // --- Sending ---------------------------------------------------------

  function setStatus(text, warn) {
    $("status").textContent = text;
    $("status").classList.toggle("warn", !!warn);
  }

  function showCounts(extra) {
    const waiting = queue.length ? " · " + queue.length + " waiting to send" : "";
    setStatus("Sent " + state.sent + waiting + (extra ? " · " + extra : ""), !!extra);
  }

  function retryLater(ms, why) {
    clearTimeout(state.retryTimer);
    state.retryTimer = setTimeout(flush, ms);
    showCounts(why);
  }

  // flush sends the queue, oldest first, one at a time. A drawing leaves
  // the queue only when the server stored it (201, or 200 for a retry) or
  // refused it for good (400: it would be refused again).
  async function flush() {
    if (state.sending) return;
    state.sending = true;
    clearTimeout(state.retryTimer);
    try {
      while (queue.length) {
        let r;
        try {
          r = await post("submit", queue[0]);
        } catch {
          retryLater(state.backoff, "offline: retrying");
          state.backoff = Math.min(state.backoff * 2, 30000);
          return;
        }
        if (r.status === 200 || r.status === 201) {
          queue.shift();
          state.sent++;
          state.backoff = 1000;
        } else if (r.status === 423) {
          retryLater(10000, "the class is locked: your drawings wait");
          return;
        } else if (r.status === 429 || r.status >= 500) {
          retryLater(Math.max(r.retryAfter * 1000, state.backoff), "busy: retrying");
          state.backoff = Math.min(state.backoff * 2, 30000);
          return;
        } else {
          queue.shift();
          setStatus("Not accepted: " + (r.data.error || r.status), true);
          save("queue", queue);
          save("sent", state.sent);
          continue;
        }
        save("queue", queue);
        save("sent", state.sent);
        showCounts();
      }
    } finally {
      state.sending = false;
    }
  }

  window.addEventListener("online", () => { state.backoff = 1000; flush(); });

  // --- Start -----------------------------------------------------------

  $("join-form").addEventListener("submit", join);
  const hashCode = decodeURIComponent(location.hash.slice(1)).toUpperCase();
  $("code").value = /^[A-Z]{4}$/.test(hashCode) ? hashCode : load("code", "");
  $("nickname").value = load("nickname", "");
  if ($("code").value) $("nickname").focus(); else $("code").focus();
  redraw();
})();
