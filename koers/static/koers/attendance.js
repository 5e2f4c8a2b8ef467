/* "Everyone present" on the session page: marks each participant without a choice as present, on the spot.
   Without this script the same button asks the server to do it (nothing is saved until "Save attendance"). */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-everyone-present]");
    if (!button || !button.form) {
      return;
    }
    event.preventDefault();
    var count = 0;
    button.form.querySelectorAll("[data-attendance-person]").forEach(function (fieldset) {
      if (fieldset.querySelector("input[type=radio]:checked")) {
        return;
      }
      var present = fieldset.querySelector("input[type=radio][value=present]");
      if (present) {
        present.checked = true;
        count += 1;
      }
    });
    var status = document.getElementById("attendance-status");
    if (status) {
      status.textContent = (button.getAttribute("data-done") || "").replace("{count}", String(count));
    }
  });
})();
