// The risk check shows only the questions that apply: a renter is not asked what rebuilding
// costs. Without JavaScript every question shows, and the service ignores the ones that do not
// apply, so this is comfort, not a rule.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form#risk-check");
  if (!form) return;
  const answer = (code) => {
    const checked = form.querySelector(`input[name="${code}"]:checked`);
    if (checked) return checked.value;
    const select = form.querySelector(`select[name="${code}"]`);
    return select ? select.value : "";
  };
  const update = () => {
    form.querySelectorAll("[data-asked-if]").forEach((row) => {
      const [code, values] = row.dataset.askedIf.split(":");
      row.hidden = !values.split(",").includes(answer(code));
    });
  };
  form.addEventListener("change", update);
  update();
});
