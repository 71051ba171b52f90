// Keeps an action list or detail current while a job runs: every few seconds it fetches
// the same page and swaps in the part marked #live, until nothing is pending any more.
// Without this script the page still works: a reload shows the same.
(function () {
  "use strict";
  function schedule() {
    var live = document.getElementById("live");
    if (!live || !live.dataset.live) return;
    window.setTimeout(refresh, Number(live.dataset.live) || 2000);
  }
  function refresh() {
    fetch(window.location.href, { credentials: "same-origin", headers: { "X-Live": "1" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var next = fresh.getElementById("live");
        var current = document.getElementById("live");
        if (!next || !current) return;
        if (next.dataset.live) {
          current.replaceWith(next);
          schedule();
          return;
        }
        // Done: the file link, the preview and the decision forms appear, so take the
        // whole main part (which holds the new #live too).
        var main = fresh.querySelector("main");
        var here = document.querySelector("main");
        if (main && here) here.replaceWith(main);
        else current.replaceWith(next);
      })
      .catch(function () { window.setTimeout(refresh, 5000); });
  }
  schedule();
})();
