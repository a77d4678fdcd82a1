/* Wegweiser hours: "Jetzt geöffnet · bis 12:00" from the visitor's clock.
   The build computed the coming days of each place (opening hours, the public holidays
   of its Land, closures) and wrote them into data-hours; the words of the page's
   language stand in data-hours-words of an element around it. Places are in Germany,
   so "now" is read as the wall clock of Europe/Berlin, wherever the phone is.
   Past the computed days the state is unknown: the script never claims "open" then. */
(function () {
  "use strict";
  var DAY = 1440;

  function berlinNow() {
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Berlin", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23"
    }).formatToParts(new Date()).forEach(function (p) { parts[p.type] = p.value; });
    return {
      day: Date.UTC(+parts.year, +parts.month - 1, +parts.day) / 864e5,
      minute: +parts.hour * 60 + +parts.minute
    };
  }

  function dayNumber(iso) {
    var p = iso.split("-");
    return Date.UTC(+p[0], +p[1] - 1, +p[2]) / 864e5;
  }

  function clock(minute) {
    var m = minute % DAY;
    return String(Math.floor(m / 60)).padStart(2, "0") + ":" + String(m % 60).padStart(2, "0");
  }

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, key) {
      return key in values ? values[key] : all;
    });
  }

  /* On a right-to-left page a date or time stays left to right (Unicode LRI … PDI). */
  function ltr(text, words) {
    return words.rtl ? "\u2066" + text + "\u2069" : text;
  }

  function spansOf(data, index) {
    return index < data.d.length ? data.t[data.d[index]] : null;
  }

  /* Minute of the horizon (day * 1440 + minute) when the open time around `at` ends. */
  function openUntil(data, index, end) {
    for (;;) {
      var next = spansOf(data, index + 1);
      if (end !== DAY || !next || !next.length || next[0][0] !== 0 || next[0][2] !== 1) {
        return end;
      }
      index += 1;
      end = next[0][1];
    }
  }

  function nextOpening(data, index, minute) {
    for (var i = index; i < data.d.length; i += 1) {
      var spans = spansOf(data, i);
      for (var s = 0; s < spans.length; s += 1) {
        if (i === index && spans[s][0] <= minute) continue;
        if (spans[s][2] !== 1) return null; /* "maybe" comes first: say no time */
        return { index: i, minute: spans[s][0] };
      }
    }
    return null;
  }

  function stateText(data, words, now) {
    var index = now.day - dayNumber(data.s);
    if (index < 0 || index >= data.d.length) return [words.state_past, "unknown"];
    if (data.r && String(index) in data.r) return [data.m[data.r[index]], "closed"];
    var spans = spansOf(data, index);
    for (var s = 0; s < spans.length; s += 1) {
      if (spans[s][0] <= now.minute && now.minute < spans[s][1]) {
        if (spans[s][2] !== 1) return [words.unknown_now, "unknown"];
        var end = openUntil(data, index, spans[s][1]);
        return [words.open_now + " · " + fill(words.open_until, { time: ltr(clock(end), words) }), "open"];
      }
    }
    var next = nextOpening(data, index, now.minute);
    if (!next) return [words.closed_now, "closed"];
    var ahead = next.index - index;
    var weekday = (new Date((now.day + ahead) * 864e5).getUTCDay() + 6) % 7;
    var when = { day: ahead === 0 ? words.today : words.days[weekday],
      time: ltr(clock(next.minute), words), date: ltr(shortDate(now.day + ahead), words) };
    var text = fill(ahead < 7 ? words.opens_at : words.opens_on, when);
    return [words.closed_now + " · " + text, "closed"];
  }

  function shortDate(day) {
    var d = new Date(day * 864e5);
    return String(d.getUTCDate()).padStart(2, "0") + "." + String(d.getUTCMonth() + 1).padStart(2, "0") + ".";
  }

  function markToday(now) {
    document.querySelectorAll(".ww-week tr[data-date]").forEach(function (row) {
      var today = dayNumber(row.getAttribute("data-date")) === now.day;
      row.classList.toggle("ww-week__today", today);
      if (today) row.setAttribute("aria-current", "date");
      else row.removeAttribute("aria-current");
    });
  }

  function start() {
    var now = berlinNow();
    document.querySelectorAll("[data-hours]").forEach(function (el) {
      var holder = el.closest("[data-hours-words]");
      if (!holder) return;
      var words = JSON.parse(holder.getAttribute("data-hours-words"));
      var state = stateText(JSON.parse(el.getAttribute("data-hours")), words, now);
      el.textContent = state[0];
      el.setAttribute("data-state", state[1]);
      el.hidden = false;
    });
    markToday(now);
  }

  if (window.document$) window.document$.subscribe(start);
  else document.addEventListener("DOMContentLoaded", start);
})();
