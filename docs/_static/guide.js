// On translated pages, a reader can show the English original under each paragraph.
// The choice is remembered across pages.
(function () {
  var KEY = "guide-show-original";
  var root = document.documentElement;
  function stored() {
    try { return localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }
  function apply(show) {
    root.classList.toggle("show-original", show);
    document.querySelectorAll(".original-toggle").forEach(function (button) {
      button.setAttribute("aria-pressed", show ? "true" : "false");
    });
  }
  apply(stored());
  document.addEventListener("DOMContentLoaded", function () {
    apply(stored());
    document.querySelectorAll(".original-toggle").forEach(function (button) {
      button.addEventListener("click", function () {
        var show = !root.classList.contains("show-original");
        try { localStorage.setItem(KEY, show ? "1" : "0"); } catch (e) {}
        apply(show);
      });
    });
  });
})();
