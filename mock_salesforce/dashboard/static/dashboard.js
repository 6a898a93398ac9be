// The dashboard's little progressive JavaScript: every page works without it.
// - [data-poll] tbody: fetch its URL every 1.5 s; with data-since, new rows (journal) go on top;
//   with data-replace, the rows are replaced (fault counters).
// - [data-copy]: copy the named input's value.
// - form[data-confirm]: ask before submitting.
(function () {
  "use strict";
  const PERIOD_MS = 1500;

  function pollInto(body) {
    const replace = body.dataset.replace === "true";
    const tick = async function () {
      const url = new URL(body.dataset.poll, window.location.href);
      if (!replace) url.searchParams.set("since_seq", body.dataset.since || "0");
      try {
        const response = await fetch(url, { headers: { Accept: "text/html" }, cache: "no-store" });
        if (response.ok) {
          const html = (await response.text()).trim();
          if (replace) {
            if (html !== body.dataset.last) { body.innerHTML = html; body.dataset.last = html; }
          } else if (html) {
            body.insertAdjacentHTML("afterbegin", html);
            body.dataset.since = response.headers.get("X-Last-Seq") || body.dataset.since;
            const count = html.split("<tr").length - 1;
            body.querySelectorAll("tr").forEach(function (row, index) {
              if (index < count) row.classList.add("fresh");
            });
            const state = document.getElementById("live-state");
            if (state) state.textContent = "Live: " + count + " new call(s) at the top.";
          }
        }
      } catch (error) {
        const state = document.getElementById("live-state");
        if (state) state.textContent = "Live updates paused: the mock did not answer.";
      }
      window.setTimeout(tick, PERIOD_MS);
    };
    window.setTimeout(tick, PERIOD_MS);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-poll]").forEach(pollInto);
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        const input = document.getElementById(button.dataset.copy);
        input.select();
        const said = function () { button.textContent = "Copied"; };
        if (navigator.clipboard) navigator.clipboard.writeText(input.value).then(said, said);
        else { document.execCommand("copy"); said(); }
      });
    });
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) event.preventDefault();
      });
    });
  });
})();
