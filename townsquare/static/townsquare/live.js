// The one live socket of a signed-in tab (docs/websocket-protocol.md).
// Reconnects with exponential backoff, re-dispatches every server event as a DOM event
// "ts:<type>" (detail: the event), and keeps the navigation's counters current.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !("WebSocket" in window)) return;
  var path = script.dataset.livePath || "/ws/live/";
  var userId = Number(script.dataset.userId);
  var socket = null;
  var ready = false;
  var attempt = 0;
  var stopped = false;
  var timer = null;

  function url() {
    return (location.protocol === "https:" ? "wss://" : "ws://") + location.host + path;
  }

  function setCount(el, n) {
    el.textContent = String(n);
    el.dataset.unreadMessages = String(n);
    el.hidden = !n;
  }

  function onEvent(event) {
    if (event.type === "notification.badge") {
      document.querySelectorAll("[data-live-badge]").forEach(function (el) {
        el.textContent = String(event.unread);
        el.hidden = !event.unread;
      });
    } else if (event.type === "message.new" && event.sender !== userId) {
      document.querySelectorAll("[data-unread-messages]").forEach(function (el) {
        setCount(el, (Number(el.dataset.unreadMessages) || 0) + 1);
      });
    } else if (event.type === "conversation.read") {
      document.querySelectorAll("[data-unread-messages]").forEach(function (el) {
        setCount(el, event.unread_total);
      });
    }
    document.dispatchEvent(new CustomEvent("ts:" + event.type, { detail: event }));
  }

  function schedule() {
    if (stopped || timer) return;
    // 0.5 s, 1 s, 2 s … up to 30 s, with jitter so a restarted server is not stormed.
    var delay = Math.min(30000, 500 * Math.pow(2, attempt)) * (0.5 + Math.random() / 2);
    attempt += 1;
    timer = setTimeout(function () { timer = null; connect(); }, delay);
  }

  function connect() {
    if (stopped || socket) return;
    socket = new WebSocket(url());
    socket.onmessage = function (message) {
      var event;
      try { event = JSON.parse(message.data); } catch (e) { return; }
      if (event.type === "hello") { ready = true; attempt = 0; }
      onEvent(event);
    };
    socket.onclose = function (close) {
      socket = null;
      ready = false;
      document.dispatchEvent(new CustomEvent("ts:closed", { detail: { code: close.code } }));
      // 4401 signed out, 4403 not allowed, 4429 too many frames: reconnecting will not help.
      if (close.code >= 4400 && close.code < 4500) { stopped = true; return; }
      schedule();
    };
  }

  window.townsquareLive = {
    userId: userId,
    isOpen: function () { return ready && socket !== null && socket.readyState === WebSocket.OPEN; },
    // Sends a client message; false when the socket is not open (callers fall back to HTTP).
    send: function (message) {
      if (!this.isOpen()) return false;
      socket.send(JSON.stringify(message));
      return true;
    }
  };

  // Keep idle proxies from closing the socket, and come back at once when the network does.
  setInterval(function () { window.townsquareLive.send({ type: "ping" }); }, 25000);
  window.addEventListener("online", function () {
    if (!socket && !stopped) { clearTimeout(timer); timer = null; attempt = 0; connect(); }
  });
  connect();
})();
