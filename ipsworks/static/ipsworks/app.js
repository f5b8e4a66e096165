// Starts the NHS.UK frontend components. The module's hashed address comes from the script
// tag's data attribute, so this file works with Django's manifest static storage.
const script = document.querySelector("script[data-nhsuk-frontend]");
if (script) {
  const { initAll } = await import(script.dataset.nhsukFrontend);
  initAll();
}

// Long lists (<select data-autocomplete>) become a searchable list as the user types, with
// GOV.UK's accessible-autocomplete; without script they stay a plain select.
if (window.accessibleAutocomplete) {
  for (const select of document.querySelectorAll("select[data-autocomplete]")) {
    window.accessibleAutocomplete.enhanceSelectElement({
      selectElement: select,
      defaultValue: "",
      showAllValues: true,
      dropdownArrow: () => "",
    });
  }
}

// Print buttons: <button data-print> opens the browser's print dialogue.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
