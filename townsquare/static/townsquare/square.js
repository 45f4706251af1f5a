// The Square's @mention autocomplete: typing "@ali" in a composer offers members from the
// directory; choosing one inserts "@[Alice Archer](42)", which names exactly that person.
// Without this script people type "@AliceArcher" (docs/square.md); everything still works.
(() => {
  "use strict";
  const TRIGGER = /(^|[\s(])@([\p{L}\p{N}._'-]{2,40})$/u;
  let timer = null;
  let seq = 0;

  function setup(field) {
    const list = document.createElement("ul");
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.id = `${field.id || "field"}-mentions`;
    list.hidden = true;
    field.after(list);
    field.setAttribute("aria-controls", list.id);
    field.setAttribute("aria-autocomplete", "list");
    let options = [];
    let active = -1;

    const close = () => { list.hidden = true; list.replaceChildren(); options = []; active = -1; };

    const choose = (member) => {
      const caret = field.selectionStart;
      const before = field.value.slice(0, caret);
      const match = before.match(TRIGGER);
      if (!match) return close();
      const token = `@[${member.name.replace(/[\]\n]/g, "")}](${member.id}) `;
      const start = caret - match[2].length - 1;
      field.value = field.value.slice(0, start) + token + field.value.slice(caret);
      field.selectionStart = field.selectionEnd = start + token.length;
      field.focus();
      close();
    };

    const highlight = (index) => {
      active = index;
      [...list.children].forEach((li, i) => li.setAttribute("aria-selected", String(i === index)));
    };

    const show = (members) => {
      list.replaceChildren();
      options = members;
      members.forEach((member) => {
        const li = document.createElement("li");
        li.setAttribute("role", "option");
        li.textContent = member.headline ? `${member.name} — ${member.headline}` : member.name;
        li.addEventListener("mousedown", (event) => { event.preventDefault(); choose(member); });
        list.append(li);
      });
      list.hidden = members.length === 0;
      highlight(members.length ? 0 : -1);
    };

    field.addEventListener("input", () => {
      clearTimeout(timer);
      const match = field.value.slice(0, field.selectionStart).match(TRIGGER);
      if (!match) return close();
      const mine = ++seq;
      timer = setTimeout(async () => {
        try {
          const response = await fetch(`/api/v1/members?per_page=6&q=${encodeURIComponent(match[2])}`, {
            credentials: "same-origin", headers: { Accept: "application/json" },
          });
          if (!response.ok || mine !== seq) return;
          const body = await response.json();
          show(body.results.map((m) => ({ id: m.id, name: m.name, headline: m.headline })));
        } catch (_error) {
          close();
        }
      }, 180);
    });

    field.addEventListener("keydown", (event) => {
      if (list.hidden || !options.length) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + options.length) % options.length);
      } else if (event.key === "Enter" || event.key === "Tab") {
        if (active >= 0) { event.preventDefault(); choose(options[active]); }
      } else if (event.key === "Escape") {
        close();
      }
    });
    field.addEventListener("blur", () => setTimeout(close, 150));
  }

  document.querySelectorAll("[data-mentions]").forEach(setup);
})();
