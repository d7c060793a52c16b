// The timeline's filters: each event link carries its facets as data-tl-* attributes (computed
// at build time); this only compares them, hides what does not match, and keeps the choice in
// the URL (?entity=meta&kind=delay) so a filtered view can be shared and survives a reload.
// A long timeline is one page per year (see listings.py): there the year field moves between
// year pages, and links to other years or parts (.tl-carry-query) carry the current choice.
(function () {
  "use strict";
  var fields = ["entity", "kind", "tag", "year", "status"];
  var carried = Array.prototype.slice.call(document.querySelectorAll("a.tl-carry-query"));
  carried.forEach(function (a) { a.setAttribute("data-tl-base", a.getAttribute("href")); });

  function carry(query) {
    carried.forEach(function (a) { a.setAttribute("href", a.getAttribute("data-tl-base") + (query ? "?" + query : "")); });
  }

  function filterQuery(params, without) {
    var kept = new URLSearchParams();
    fields.forEach(function (name) { if (name !== without && params.get(name)) kept.set(name, params.get(name)); });
    return kept.toString();
  }

  var form = document.getElementById("tl-filters");
  if (!form) {
    // The hub of a split timeline: an old link such as timeline/?year=2026&kind=delay goes to
    // that year's page with the rest of its choice; otherwise the year links carry it.
    var asked = new URLSearchParams(window.location.search);
    var yearLink = asked.get("year") && document.querySelector("a.tl-year-link[data-tl-year='" + asked.get("year").replace(/[^0-9]/g, "") + "']");
    if (yearLink) {
      var rest = filterQuery(asked, "year");
      window.location.replace(yearLink.getAttribute("href") + (rest ? "?" + rest : ""));
      return;
    }
    carry(filterQuery(asked));
    return;
  }
  var yearSelect = form.elements.year;
  var navigates = yearSelect.hasAttribute("data-tl-navigate");
  if (navigates) fields = fields.filter(function (name) { return name !== "year"; });
  var links = Array.prototype.slice.call(document.querySelectorAll("a.tl-event-link[data-tl-kind]"));
  var count = document.getElementById("tl-filter-count");

  function chosen() {
    var wanted = {};
    fields.forEach(function (name) {
      var value = form.elements[name].value;
      if (value) wanted[name] = value;
    });
    return wanted;
  }

  function matches(link, wanted) {
    return Object.keys(wanted).every(function (name) {
      return (link.getAttribute("data-tl-" + name) || "").split(" ").indexOf(wanted[name]) >= 0;
    });
  }

  // A heading stays only while something it heads is shown: months (h3) head lists, years (h2)
  // head months and the link to their archive.
  function hideEmptyHeadings(content) {
    var year = null, yearShown = false, month = null, monthShown = false;
    function close(level) {
      // A new month ends the month; a new year ends both.
      if (month) { month.el.forEach(function (el) { el.hidden = !monthShown; }); month = null; }
      if (year && level === 2) { year.el.forEach(function (el) { el.hidden = !yearShown; }); year = null; }
    }
    Array.prototype.forEach.call(content.children, function (el) {
      if (el.tagName === "H2") { close(2); year = { el: [el] }; yearShown = false; return; }
      if (el.tagName === "H3") { close(3); month = { el: [el] }; monthShown = false; return; }
      if (el.tagName === "UL" && el.querySelector("a.tl-event-link")) {
        var shown = Array.prototype.some.call(el.children, function (li) { return !li.hidden; });
        el.hidden = !shown;
        monthShown = monthShown || shown;
        yearShown = yearShown || shown;
        return;
      }
      if (year && el.tagName === "P" && !month) year.el.push(el);  // "Every event of 2026"
    });
    close(2);
  }

  function apply(updateUrl) {
    var wanted = chosen(), shown = 0;
    links.forEach(function (link) {
      var item = link.closest("li"), match = matches(link, wanted);
      item.hidden = !match;
      if (match) shown += 1;
    });
    hideEmptyHeadings(form.parentElement);
    var any = Object.keys(wanted).length > 0;
    count.textContent = any
      ? (shown === 0 ? "No event matches these filters." : shown + " of " + links.length + " events shown.")
      : "All " + links.length + " events shown.";
    form.setAttribute("data-tl-shown", String(shown));
    if (updateUrl) {
      var params = new URLSearchParams(window.location.search);
      if (navigates) params.delete("year");  // the page is the year
      fields.forEach(function (name) {
        if (wanted[name]) params.set(name, wanted[name]); else params.delete(name);
      });
      var query = params.toString();
      history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
      carry(filterQuery(params));
    }
  }

  var params = new URLSearchParams(window.location.search);
  fields.forEach(function (name) {
    var select = form.elements[name], value = params.get(name);
    // A value no option offers (an old link, a typo) is dropped rather than matching nothing.
    if (value && Array.prototype.some.call(select.options, function (o) { return o.value === value; })) select.value = value;
  });
  form.hidden = false;
  form.addEventListener("change", function (event) {
    if (navigates && event.target === yearSelect) {
      var query = filterQuery(new URLSearchParams(window.location.search), "year");
      window.location.assign(yearSelect.options[yearSelect.selectedIndex].getAttribute("data-tl-href") + (query ? "?" + query : ""));
      return;
    }
    apply(true);
  });
  form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  apply(true);
})();
