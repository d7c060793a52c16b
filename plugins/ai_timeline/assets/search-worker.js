// The site's search worker, in place of Material's lunr worker (issue 11, goal 5). Building a
// lunr index of 10,000 events takes seconds in the browser; this keeps each document's title and
// text as plain lower-case text without diacritics (tens of milliseconds for all) and finds a
// query's words in them with indexOf, checking word boundaries (tens of milliseconds a query).
//
// It speaks Material 9.8's worker protocol (integrations/search/worker/message): SETUP (0)
// {config, docs, options} is answered by READY (1); QUERY (2) "text" by RESULT (3) {items,
// suggest}, items being groups of SearchItem ({location, title, text, score, terms}), a page
// first-ranked by its best match. Material inserts title and text with innerHTML: both are
// rebuilt here from the index's HTML, text escaped, only <mark data-md-highlight> added and only
// attribute-less structural tags kept.
//
// Matching: the query is split with the index's separator into terms; each term, folded (case
// and diacritics dropped, punctuation as spaces), must occur as whole words in the title or the
// text, the last as a word prefix while the reader types (AND). Stop words are optional. If no
// document has every term, those with the most terms are shown, the missing ones struck
// through by Material. Ranking: the exact title, then every term in the title, then title
// words, then text words, pages above their sections, then the shorter title, then index order.
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
var TEASERS = 100; // groups posted with highlighted text; the rest with their title only
var NON_WORD = /[^\p{L}\p{N}]+/gu;
var WORD = /[\p{L}\p{N}\p{M}]+/gu; // a word as shown, its combining accents included
var MARKS = /\p{M}+/gu;
var ASCII_WORD = /^[a-z0-9]+$/i;
var ACCENTED = /[\u00c0-\u024f\u0300-\u036f\u0370-\u03ff\u0400-\u04ff\u1e00-\u1fff]+/g;
var TAG = /(<[^>]*>)/;
var SAFE_TAG = /^<\/?(?:p|ul|ol|li|code|pre|em|strong|b|i|br|hr|table|thead|tbody|tr|th|td|blockquote|dl|dt|dd|kbd|s|del|sub|sup|span|div|h[1-6])\s*\/?>$/i;
var ENTITY = /&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|(amp|lt|gt|quot|apos|nbsp));/gi;
var NAMED = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };
// lunr's English stop words (Material's pipeline drops them; here they only never make a result fail).
var STOP = new Set(("a able about across after all almost also am among an and any are as at be because been but by can " +
  "cannot could dear did do does either else ever every for from get got had has have he her hers him his how however i " +
  "if in into is it its just least let like likely may me might most must my neither no nor not of off often on only or " +
  "other our own rather said say says she should since so some than that the their them then there these they this tis to " +
  "too twas us wants was we were what when where which while who whom why will with would yet you your").split(" "));

var separator = /[\s\-]+/g;
var splitsWords = false; // whether the separator splits runs of letters and digits (e.g. camelCase)
var options = { suggest: false };
var docs = [];    // the index's documents
var parents = []; // index of each document's page (itself for a page)
var titles = [];  // searchable title (and tags): plain text, lower case, without diacritics
var texts = [];   // searchable text, likewise
var keys = [];    // folded title, computed when first compared with a query
var safeTitles = []; // title as HTML without marks, computed when first shown so

function decode(text) {
  return text.indexOf("&") < 0 ? text : text.replace(ENTITY, function (whole, dec, hex, name) {
    if (name) return NAMED[name.toLowerCase()];
    var code = dec ? parseInt(dec, 10) : parseInt(hex, 16);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

function plain(html) {
  return decode(html.replace(/<[^>]*>/g, " "));
}

// Lower case, without diacritics: runs of accented Latin, Greek and Cyrillic are decomposed and
// their marks dropped; nothing else changes, so the index's ten megabytes take milliseconds.
function searchable(text) {
  if (splitsWords) text = text.replace(separator, " ");
  return text.toLowerCase().replace(ACCENTED, function (run) { return run.normalize("NFD").replace(MARKS, ""); });
}

// Searchable, then the words alone, single-spaced: "Meta's GPT-4.5" → "meta s gpt 4 5".
function fold(text) {
  return searchable(text).replace(NON_WORD, " ").trim();
}

var wordChars = new Map();
function isWord(code) {
  if (code < 128) return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90);
  if (!wordChars.has(code)) wordChars.set(code, code >= 0xd800 && code <= 0xdfff || /[\p{L}\p{N}]/u.test(String.fromCharCode(code)));
  return wordChars.get(code);
}

// The event and entity pages' documents, packed by the plugin (searchdocs.pack): columns of
// locations, titles and texts, each text the codes of its words in `words`, a code being
// continuation digits (bijective base CONTINUED) then one final digit (base FINAL).
var DIGITS = "!#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";
var FINAL = 50, CONTINUED = DIGITS.length - FINAL;
function unpack(packed) {
  if (!packed) return [];
  var value = new Int16Array(128).fill(-1);
  for (var d = 0; d < DIGITS.length; d++) value[DIGITS.charCodeAt(d)] = d;
  var words = packed.words, found = new Array(packed.text.length);
  for (var i = 0; i < found.length; i++) {
    var code = packed.text[i], text = [], high = 0;
    for (var c = 0; c < code.length; c++) {
      var digit = value[code.charCodeAt(c)];
      if (digit < FINAL) {
        text.push(words[high * FINAL + digit]);
        high = 0;
      } else high = high * CONTINUED + digit - FINAL + 1;
    }
    found[i] = { location: packed.location[i], title: packed.title[i], text: text.join(" ") };
  }
  return found;
}

function setup(data) {
  separator = new RegExp(data.config.separator, "g");
  splitsWords = "aBcDe12fGhIjK3lmÀéßçÑ".replace(separator, " ") !== "aBcDe12fGhIjK3lmÀéßçÑ";
  options = data.options || options;
  docs = data.docs;
  var pages = new Map();
  parents = new Array(docs.length);
  titles = new Array(docs.length);
  texts = new Array(docs.length);
  keys = new Array(docs.length);
  safeTitles = new Array(docs.length);
  for (var i = 0; i < docs.length; i++) {
    var doc = docs[i];
    var path = doc.location.split("#")[0];
    if (!pages.has(path)) pages.set(path, i);
    parents[i] = pages.get(path);
    titles[i] = searchable(plain(doc.title || "") + (doc.tags ? " " + doc.tags.join(" ") : ""));
    texts[i] = searchable(plain(doc.text || ""));
  }
}

// The reader's terms: `key` as Material shows it (lower case, in ?h=), `words` folded ("a b").
function parse(query) {
  var pieces = query.split(separator);
  var typing = !/\s$/.test(query);
  var terms = [], seen = new Set();
  for (var p = 0; p < pieces.length; p++) {
    var words = fold(pieces[p]);
    var key = pieces[p].toLowerCase();
    if (!words || seen.has(key)) continue;
    seen.add(key);
    terms.push({ key: key, words: words, stop: STOP.has(words), prefix: false });
  }
  if (terms.length && typing) terms[terms.length - 1].prefix = true;
  if (terms.every(function (t) { return t.stop; })) terms.forEach(function (t) { t.stop = false; });
  terms.forEach(function (term) {
    if (term.words.indexOf(" ") < 0) return;
    // Several words in one term ("meta's", "4.5"): the words in order, anything but letters between.
    var body = "(?<![\\p{L}\\p{N}])" + term.words.split(" ").join("[^\\p{L}\\p{N}]+");
    term.exact = new RegExp(body + "(?![\\p{L}\\p{N}])", "u");
    term.start = new RegExp(body, "u");
  });
  return terms;
}

// 2: the term as whole words; 1: as a word prefix (the last term only); 0: not at all.
function find(haystack, term) {
  if (term.exact) return term.exact.test(haystack) ? 2 : term.prefix && term.start.test(haystack) ? 1 : 0;
  var word = term.words, found = 0;
  for (var at = haystack.indexOf(word); at >= 0; at = haystack.indexOf(word, at + 1)) {
    if (at > 0 && isWord(haystack.charCodeAt(at - 1))) continue;
    var end = at + word.length;
    if (end === haystack.length || !isWord(haystack.charCodeAt(end))) return 2;
    if (term.prefix) {
      if (word.length < 3) return 1; // one or two letters typed: whether a word is whole hardly matters
      found = 1;
    }
  }
  return found;
}

function titleKey(i) {
  if (keys[i] === undefined) keys[i] = fold(plain(docs[i].title || ""));
  return keys[i];
}

function search(query) {
  var terms = parse(query);
  var required = terms.filter(function (t) { return !t.stop; }).length;
  if (!terms.length) return { items: [] };
  var whole = terms.map(function (t) { return t.words; }).join(" ");
  var matches = [], partial = [], most = 0;
  for (var i = 0; i < docs.length; i++) {
    var inTitle = 0, inText = 0, found = 0, titleTerms = 0, hits = null;
    for (var t = 0; t < terms.length; t++) {
      var a = find(titles[i], terms[t]), b = a === 2 ? 0 : find(texts[i], terms[t]);
      if (!a && !b) continue;
      (hits = hits || []).push(t);
      if (!terms[t].stop) found++;
      if (a) titleTerms++;
      inTitle += a;
      inText += b;
    }
    if (!hits || found === 0 && required > 0) continue;
    var all = titleTerms === terms.length;
    var score = (all && titleKey(i) === whole ? 10000 : 0) + (all ? 1000 : 0) +
      (100 * inTitle + 10 * inText) / (2 * terms.length) + (parents[i] === i ? 1 : 0);
    var match = { doc: i, hits: hits, score: score * (docs[i].boost || 1) };
    if (found === required) matches.push(match);
    else if (found >= most && !matches.length) {
      if (found > most) partial = [];
      most = found;
      partial.push(match);
    }
  }
  if (!matches.length) matches = partial;
  matches.sort(function (x, y) {
    return y.score - x.score || titles[x.doc].length - titles[y.doc].length || x.doc - y.doc;
  });
  return { items: group(matches, terms), suggest: options.suggest ? suggest(matches, terms) : undefined };
}

// Material's `terms`: the reader's terms a result has (in its ?h= link) and lacks (struck through).
function termsOf(match, terms) {
  var result = {};
  terms.forEach(function (term, t) {
    if (match.hits.indexOf(t) >= 0) result[term.key] = true;
    else if (!term.stop) result[term.key] = false;
  });
  return result;
}

function item(i, match, terms, teaser) {
  var doc = docs[i];
  var result = {
    location: doc.location,
    title: highlight(doc.title || "", terms, match ? match.hits : []),
    text: teaser && match ? highlight(doc.text || "", terms, match.hits) : "",
    score: match ? match.score : 0,
    terms: match ? termsOf(match, terms) : {},
  };
  if (doc.tags) result.tags = doc.tags.map(escapeHtml);
  return result;
}

// Material's grouping: a page's results together, the page itself always present. The first
// TEASERS pages come with their sections and highlighted text; every further page as its title
// alone (Material shows the count of all and appends them as the reader scrolls), so that the
// message stays small and quick to read on the main thread however many pages match.
function group(matches, terms) {
  var groups = new Map();
  matches.forEach(function (match) {
    var page = parents[match.doc];
    if (!groups.has(page)) groups.set(page, []);
    groups.get(page).push(match);
  });
  var items = [], shared = new Map();
  groups.forEach(function (members, page) {
    if (items.length < TEASERS) {
      var list = members.map(function (match) { return item(match.doc, match, terms, true); });
      if (!members.some(function (match) { return match.doc === page; })) list.push(item(page, null, terms, false));
      items.push(list);
      return;
    }
    var best = members[0], key = best.hits.join(" ");
    if (!shared.has(key)) shared.set(key, termsOf(best, terms)); // one object for many results: cloned once
    if (safeTitles[page] === undefined) safeTitles[page] = highlight(docs[page].title || "", terms, []);
    items.push([{ location: docs[page].location, title: safeTitles[page], text: "", score: best.score, terms: shared.get(key) }]);
  });
  return items;
}

// The index's HTML again, its text escaped, the words of matched terms marked, only plain
// structural tags kept.
function highlight(html, terms, hits) {
  var marked = hits.map(function (t) { return terms[t]; });
  var exact = new Set(), prefixes = [];
  marked.forEach(function (term) {
    var words = term.words.split(" ");
    // The word being typed, marked wherever a word starts with it; not the "s" of "meta's".
    if (term.prefix && (words.length === 1 || words[words.length - 1].length > 2)) prefixes.push(words.pop());
    words.forEach(function (word) { exact.add(word); });
  });
  return html.split(TAG).map(function (part, index) {
    if (index % 2) return SAFE_TAG.test(part) ? part.toLowerCase() : "";
    var text = decode(part), out = "", last = 0;
    if (!marked.length) return escapeHtml(text);
    text.replace(WORD, function (word, at) {
      var folded = ASCII_WORD.test(word) ? word.toLowerCase() : fold(word);
      if (exact.has(folded) || prefixes.some(function (p) { return folded.startsWith(p); })) {
        out += escapeHtml(text.slice(last, at)) + "<mark data-md-highlight>" + escapeHtml(word) + "</mark>";
        last = at + word.length;
      }
      return word;
    });
    return out + escapeHtml(text.slice(last));
  }).join("");
}

// Material completes the last word typed with the last suggestion: the word of the best-ranked
// title that the last term starts.
function suggest(matches, terms) {
  var last = terms[terms.length - 1];
  if (!last.prefix || last.words.indexOf(" ") >= 0) return [];
  for (var m = 0; m < matches.length && m < 50; m++) {
    var title = plain(docs[matches[m].doc].title || "");
    var words = title.match(WORD) || [];
    for (var w = 0; w < words.length; w++)
      if (fold(words[w]).startsWith(last.words)) return [words[w].toLowerCase()];
  }
  return [];
}

// Queries arrive on every keystroke: answer only the latest once the worker is free.
var pending = null;
function answer() {
  var query = pending;
  pending = null;
  var data;
  try {
    data = search(query);
  } catch (err) {
    console.warn("Invalid query: " + query, err);
    data = { items: [] };
  }
  if (data.suggest === undefined) delete data.suggest;
  postMessage({ type: RESULT, data: data });
}

addEventListener("message", function (ev) {
  var message = ev.data;
  if (message.type === SETUP) {
    var data = message.data, file = data.config.docs_file;
    if (!file || data.docs.length) {
      setup(data);
      postMessage({ type: READY });
      return;
    }
    // The documents in a file of their own (search_index.json keeping only the config, which
    // the page reads and parses on its main thread): fetched and parsed here instead.
    fetch(new URL("../" + file, self.location.href))
      .then(function (response) { return response.json(); })
      .then(function (index) { data.docs = index.docs.concat(unpack(index.packed)); })
      .catch(function (err) { console.warn("Search documents not loaded", err); })
      .then(function () {
        setup(data);
        postMessage({ type: READY });
      });
  } else if (message.type === QUERY) {
    var scheduled = pending !== null;
    pending = message.data;
    if (!scheduled) setTimeout(answer, 0);
  } else {
    throw new TypeError("Invalid message type");
  }
});
