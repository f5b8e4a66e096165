// Starts the NHS.UK frontend components. The module's hashed address comes from the script
// tag's data attribute, so this file works with Django's manifest static storage.
const script = document.querySelector("script[data-nhsuk-frontend]");
if (script) {
  const { initAll } = await import(script.dataset.nhsukFrontend);
  initAll();
}

// Print buttons: <button data-print> opens the browser's print dialogue.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
