// Runs first in <body>: tells the NHS.UK styles that JavaScript is on, before anything paints.
document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("nhsuk-frontend-supported");
}
