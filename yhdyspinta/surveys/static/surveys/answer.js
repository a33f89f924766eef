// Enhancement only: hides a conditional question while the earlier answer it depends on
// does not match. Without JavaScript the question stays visible with its written condition,
// and the server ignores the answer when the condition is not met.
(function () {
  "use strict";
  function update(form) {
    form.querySelectorAll("[data-show-if]").forEach(function (block) {
      var name = block.getAttribute("data-show-if");
      var wanted = block.getAttribute("data-show-if-value");
      var inputs = form.querySelectorAll('[name="' + CSS.escape(name) + '"]');
      if (!inputs.length) return;
      var match = Array.prototype.some.call(inputs, function (input) {
        return (input.type === "radio" || input.type === "checkbox")
          ? input.checked && input.value === wanted
          : input.value === wanted;
      });
      block.hidden = !match;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.answer__form").forEach(function (form) {
      update(form);
      form.addEventListener("change", function () { update(form); });
    });
  });
})();
