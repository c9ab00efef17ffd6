/* Autocomplete for the search boxes: an ARIA 1.2 combobox with a list popup
   (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/).

   Progressive enhancement only: without this script every search box is a
   plain search field in a GET form. Suggestions come from GET /api/v1/suggest
   as JSON and are put on the page as text, never as HTML.

   Keys in the box: Down / Up move through the suggestions (Alt+Down opens the
   list without moving), Enter takes the highlighted suggestion into the box
   (Enter again searches), Escape closes the list, Tab leaves it closed. */
(function () {
  "use strict";

  var DELAY_MS = 150;
  var MIN_LENGTH = 2;

  function parseLabels(text) {
    try { return JSON.parse(text || "{}"); } catch (error) { return {}; }
  }

  function Combobox(input) {
    this.input = input;
    this.url = input.getAttribute("data-suggest-url");
    this.lang = input.getAttribute("data-suggest-lang") || "fi";
    this.labels = parseLabels(input.getAttribute("data-type-labels"));
    this.statusOne = input.getAttribute("data-status-one") || "";
    this.statusMany = input.getAttribute("data-status-many") || "";
    this.items = [];
    this.active = -1;
    this.timer = null;
    this.controller = null;
    this.shownQuery = null;

    var wrapper = document.createElement("div");
    wrapper.className = "combobox";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);

    this.listbox = document.createElement("ul");
    this.listbox.id = input.id + "-suggestions";
    this.listbox.className = "combobox__listbox";
    this.listbox.setAttribute("role", "listbox");
    this.listbox.setAttribute("aria-label", input.getAttribute("data-suggest-label") || "");
    this.listbox.hidden = true;
    wrapper.appendChild(this.listbox);

    this.status = document.createElement("div");
    this.status.className = "visually-hidden";
    this.status.setAttribute("role", "status");
    wrapper.appendChild(this.status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.listbox.id);
    input.setAttribute("autocomplete", "off");

    input.addEventListener("input", this.onInput.bind(this));
    input.addEventListener("keydown", this.onKeyDown.bind(this));
    input.addEventListener("blur", this.close.bind(this));
    // Keep the focus in the box while an option is clicked.
    this.listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });
    this.listbox.addEventListener("click", this.onClick.bind(this));
  }

  Combobox.prototype.isOpen = function () {
    return !this.listbox.hidden;
  };

  Combobox.prototype.onInput = function () {
    var self = this;
    this.setActive(-1);
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () { self.fetch(); }, DELAY_MS);
  };

  Combobox.prototype.fetch = function () {
    var self = this;
    var query = this.input.value.trim();
    if (query.length < MIN_LENGTH) {
      this.show([], query);
      return;
    }
    if (this.controller) { this.controller.abort(); }
    this.controller = window.AbortController ? new window.AbortController() : null;
    var address = this.url + "?" + new URLSearchParams({ q: query, lang: this.lang }).toString();
    window.fetch(address, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      signal: this.controller ? this.controller.signal : undefined
    })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (items) {
        // An answer to an older query is dropped.
        if (self.input.value.trim() === query) { self.show(Array.isArray(items) ? items : [], query); }
      })
      .catch(function () { /* offline or aborted: the box stays a plain search field */ });
  };

  Combobox.prototype.show = function (items, query) {
    var self = this;
    this.items = items;
    this.shownQuery = query;
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    while (this.listbox.firstChild) { this.listbox.removeChild(this.listbox.firstChild); }
    items.forEach(function (item, index) {
      var option = document.createElement("li");
      option.id = self.listbox.id + "-" + index;
      option.className = "combobox__option";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      // A title in another language than the page (a Finnish name on a Swedish
      // page) is marked, so a screen reader reads it in its own language (WCAG 3.1.2);
      // the type label below is in the page's language and says so.
      var foreign = item.lang && item.lang !== self.lang;
      if (foreign) { option.setAttribute("lang", item.lang); }
      var title = document.createElement("span");
      title.className = "combobox__title";
      title.textContent = item.title;
      option.appendChild(title);
      var label = self.labels[item.type];
      if (label) {
        var kind = document.createElement("span");
        kind.className = "combobox__type";
        if (foreign) { kind.setAttribute("lang", self.lang); }
        kind.textContent = label;
        option.appendChild(document.createTextNode(" "));
        option.appendChild(kind);
      }
      self.listbox.appendChild(option);
    });
    if (items.length && document.activeElement === this.input) {
      this.open();
      var template = items.length === 1 ? this.statusOne : this.statusMany;
      this.status.textContent = template.replace("{count}", String(items.length));
    } else {
      this.close();
      this.status.textContent = "";
    }
  };

  Combobox.prototype.open = function () {
    if (!this.items.length) { return; }
    this.listbox.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  };

  Combobox.prototype.close = function () {
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.setActive(-1);
  };

  Combobox.prototype.setActive = function (index) {
    var options = this.listbox.querySelectorAll("[role=option]");
    Array.prototype.forEach.call(options, function (option, position) {
      option.setAttribute("aria-selected", position === index ? "true" : "false");
    });
    this.active = index;
    if (index >= 0 && options[index]) {
      this.input.setAttribute("aria-activedescendant", options[index].id);
      if (options[index].scrollIntoView) { options[index].scrollIntoView({ block: "nearest" }); }
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  };

  Combobox.prototype.move = function (step) {
    var count = this.items.length;
    if (!count) { return; }
    if (!this.isOpen()) { this.open(); }
    var next = this.active < 0 ? (step > 0 ? 0 : count - 1) : (this.active + step + count) % count;
    this.setActive(next);
  };

  Combobox.prototype.choose = function (index) {
    var item = this.items[index];
    if (!item) { return; }
    this.input.value = item.title;
    this.shownQuery = item.title;
    this.close();
  };

  Combobox.prototype.onKeyDown = function (event) {
    switch (event.key) {
      case "ArrowDown":
      case "Down":
        event.preventDefault();
        if (!this.items.length || this.shownQuery !== this.input.value.trim()) {
          window.clearTimeout(this.timer);
          this.fetch();
        } else if (event.altKey) {
          this.open();
        } else {
          this.move(1);
        }
        break;
      case "ArrowUp":
      case "Up":
        if (this.isOpen()) {
          event.preventDefault();
          this.move(-1);
        }
        break;
      case "Enter":
        if (this.isOpen() && this.active >= 0) {
          event.preventDefault();  // take the suggestion; the next Enter searches
          this.choose(this.active);
        } else {
          this.close();
        }
        break;
      case "Escape":
      case "Esc":
        if (this.isOpen()) {
          event.preventDefault();
          this.close();
        }
        break;
      case "Tab":
        this.close();
        break;
      default:
        break;
    }
  };

  Combobox.prototype.onClick = function (event) {
    var option = event.target.closest ? event.target.closest("[role=option]") : null;
    if (!option) { return; }
    var index = Array.prototype.indexOf.call(this.listbox.children, option);
    this.choose(index);
    this.input.focus();
  };

  if (!window.fetch || !window.URLSearchParams) { return; }
  Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest-url]"), function (input) {
    return new Combobox(input);
  });
})();
