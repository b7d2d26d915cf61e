/* The search box of Material for MkDocs, made to fit a ledger of households (see overrides/main.html).
 *
 * 1. Unit numbers such as 3-1-602 are one word in the search index, but lunr's query parser splits at
 *    "-": the query sent to the search worker escapes a "-" between letters or digits.
 * 2. Material reads the box on keyup only, so a name pasted with the mouse, dropped, or chosen from an
 *    input method's candidates was never searched. Every input event now reads it (a synthetic keyup,
 *    what Material listens to). While an input method composes (compositionstart..compositionend) the
 *    box holds pinyin or half a name: its keyups are held back and the box is read once, at the end.
 * 3. Material ranks by lunr's score, and a Chinese query is cut into prefixes ("邱玉兰" finds every 邱),
 *    so a household could come fifth for its own owner's full name. The result list is reordered
 *    before Material shows it: a unit page whose unit number, or a name or phone on its card, is
 *    exactly the query comes first. The card is site_templates/pages/unit.md.j2's: the unit number,
 *    then owners and tenant with their phones, separated by "；", and the stage last (not a match).
 * Zensical has its own search dialog and worker, which neither part touches. */
(function () {
  "use strict";
  var QUERY = 2, RESULT = 3; // Material's SearchMessageType
  var BOX = "[data-md-component=search-query]";

  function queryBox(target) {
    return target instanceof HTMLInputElement && target.matches(BOX) ? target : null;
  }

  function normal(text) {
    return text.replace(/\u200b/g, "").replace(/\s+/g, " ").trim().toLowerCase();
  }

  function plainText(html) {
    var holder = document.createElement("template"); // inert: nothing in it loads or runs
    holder.innerHTML = html;
    return holder.content.textContent || "";
  }

  /* " 9-9-909 张三 13900000000 0000 李四 13900000001 0001 ": the card's words without the stage. */
  function cardWords(html) {
    var words = normal(plainText(html).replace(/[；;]/g, " ")).split(" ");
    return " " + words.slice(0, -1).join(" ") + " ";
  }

  function exact(group, query) {
    return group.some(function (item) {
      if (!item || typeof item.location !== "string" || !/(^|\/)units\/[^/#]+\.html(#|$)/.test(item.location)) return false;
      if (typeof item.title === "string" && normal(plainText(item.title)) === query) return true;
      return typeof item.text === "string" && cardWords(item.text).indexOf(" " + query + " ") !== -1;
    });
  }

  /* Material reads message.data.items after this, from the same object. */
  function rank(event) {
    var message = event.data, box = document.querySelector(BOX);
    if (!message || message.type !== RESULT || !message.data || !Array.isArray(message.data.items) || !box) return;
    var query = normal(box.value);
    if (!query) return;
    var first = [], rest = [];
    message.data.items.forEach(function (group) {
      (Array.isArray(group) && exact(group, query) ? first : rest).push(group);
    });
    if (first.length) message.data.items = first.concat(rest);
  }

  function wrap(W) {
    if (!W || !W.prototype || W.prototype.cjQuery) return;
    var post = W.prototype.postMessage, listen = W.prototype.addEventListener;
    W.prototype.postMessage = function (m) {
      if (m && m.type === QUERY && typeof m.data === "string") {
        // Material's worker parses the query twice: "3\\\-1" -> "3\-1" -> the one term "3-1"
        arguments[0] = {type: QUERY, data: m.data.replace(/([0-9A-Za-z])-(?=[0-9A-Za-z])/g, "$1\\\\\\-")};
      }
      return post.apply(this, arguments);
    };
    W.prototype.addEventListener = function (type) {
      if (type === "message" && !this.cjRanked) { // before Material's own listener
        this.cjRanked = true;
        listen.call(this, "message", rank);
      }
      return listen.apply(this, arguments);
    };
    W.prototype.cjQuery = true;
  }
  wrap(window.Worker);
  wrap(window.IFrameWorker);

  var composing = false;
  function read(box) {
    box.dispatchEvent(new KeyboardEvent("keyup", {bubbles: true}));
  }
  document.addEventListener("compositionstart", function (event) {
    if (queryBox(event.target)) composing = true;
  }, true);
  document.addEventListener("compositionend", function (event) {
    var box = queryBox(event.target);
    if (box) {
      composing = false;
      read(box);
    }
  }, true);
  document.addEventListener("keyup", function (event) {
    if (queryBox(event.target) && (composing || event.isComposing)) event.stopPropagation();
  }, true);
  document.addEventListener("input", function (event) {
    var box = queryBox(event.target);
    if (box && !composing && !event.isComposing) read(box);
  }, true);
})();
