// A conversation page, live: new messages appear, the form sends over the socket, a
// reconnect resyncs from the last id seen, and what is on screen is marked read.
// Without JavaScript (or without a socket) the page and its form work as plain HTML.
(function () {
  "use strict";
  var root = document.querySelector("[data-conversation][data-live]");
  var live = window.townsquareLive;
  if (!root || !live) return;
  var conversation = Number(root.dataset.conversation);
  var me = Number(root.dataset.userId);
  var list = root.querySelector("[data-message-list]");
  var form = root.querySelector("[data-send-form]");
  var status = form ? form.querySelector("[data-send-status]") : null;
  var seen = new Set();
  var lastId = 0;
  var lastRead = Number(root.dataset.lastRead) || 0;
  var syncing = false;
  var buffered = [];
  var pending = {};
  var format;
  try {
    format = new Intl.DateTimeFormat(undefined, {
      day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
      timeZone: root.dataset.timeZone || undefined
    });
  } catch (e) {
    format = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
  }

  list.querySelectorAll("[data-message-id]").forEach(function (li) {
    var id = Number(li.dataset.messageId);
    seen.add(id);
    lastId = Math.max(lastId, id);
  });

  function render(m) {
    var li = document.createElement("li");
    li.className = "result";
    li.id = "m" + m.id;
    li.dataset.messageId = String(m.id);
    var box = document.createElement("div");
    var head = document.createElement("p");
    var who = document.createElement("strong");
    who.textContent = m.sender === me ? (root.dataset.labelYou || "You") : m.sender_name;
    var when = document.createElement("time");
    when.className = "muted small";
    when.dateTime = m.created_at;
    when.textContent = format.format(new Date(m.created_at));
    head.append(who, " ", when);
    var body = document.createElement("div");
    body.className = "prose";
    body.innerHTML = m.body_html; // rendered and sanitised on the server (nh3)
    box.append(head, body);
    li.append(box);
    return li;
  }

  // Each message once, in id order, wherever it comes from (live, resync, or both).
  function insert(m) {
    if (m.conversation !== conversation || seen.has(m.id)) return;
    seen.add(m.id);
    var empty = list.querySelector("[data-empty]");
    if (empty) empty.remove();
    var next = null;
    list.querySelectorAll("[data-message-id]").forEach(function (li) {
      if (!next && Number(li.dataset.messageId) > m.id) next = li;
    });
    list.insertBefore(render(m), next);
    lastId = Math.max(lastId, m.id);
  }

  function markRead() {
    if (document.visibilityState === "visible" && lastId > lastRead) {
      if (live.send({ type: "read", conversation: conversation, up_to: lastId })) lastRead = lastId;
    }
  }

  function resync() {
    syncing = true;
    buffered = [];
    live.send({ type: "resync", conversation: conversation, after: lastId });
  }

  document.addEventListener("ts:hello", resync); // every (re)connect
  document.addEventListener("ts:message.new", function (e) {
    if (e.detail.conversation !== conversation) return;
    if (syncing) { buffered.push(e.detail); return; }
    insert(e.detail);
    if (e.detail.sender !== me) markRead();
  });
  document.addEventListener("ts:resync", function (e) {
    if (e.detail.conversation !== conversation) return;
    e.detail.messages.forEach(insert);
    if (e.detail.more) { live.send({ type: "resync", conversation: conversation, after: lastId }); return; }
    syncing = false;
    buffered.forEach(insert);
    buffered = [];
    markRead();
  });
  document.addEventListener("visibilitychange", markRead);

  if (!form) return;
  var textarea = form.querySelector("textarea");
  var button = form.querySelector("button[type=submit]");
  form.addEventListener("submit", function (e) {
    var body = textarea.value.trim();
    if (!body || !live.isOpen()) return; // an empty form or no socket: plain HTTP POST
    var clientId = "c" + Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
    if (!live.send({ type: "send", conversation: conversation, body: body, client_id: clientId })) return;
    e.preventDefault();
    pending[clientId] = true;
    button.disabled = true;
    if (status) status.textContent = root.dataset.labelSending || "Sending…";
  });
  textarea.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) form.requestSubmit();
  });
  document.addEventListener("ts:ack", function (e) {
    if (!pending[e.detail.client_id]) return;
    delete pending[e.detail.client_id];
    textarea.value = "";
    button.disabled = false;
    if (status) status.textContent = "";
  });
  document.addEventListener("ts:error", function (e) {
    var d = e.detail;
    if (d.request !== "send" || !pending[d.client_id]) return;
    delete pending[d.client_id];
    button.disabled = false;
    if (status) status.textContent = d.detail || (d.errors && d.errors.body && d.errors.body.join(" ")) || "";
  });
  document.addEventListener("ts:closed", function () {
    // Sends in flight may or may not have been stored: the resync after reconnect shows
    // which; the text stays in the box so nothing typed is lost.
    pending = {};
    button.disabled = false;
    if (status) status.textContent = "";
  });
})();
