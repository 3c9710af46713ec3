// sendadmin app shell script. Load as an ES module, after htmx:
//   <script type="module" src="/static/app.js"></script>
//
// GOV.UK Frontend 5+ ships govuk-frontend.min.js as an ES module (it has
// `export { initAll, ... }` and sets no window.GOVUKFrontend global), so it is
// imported here rather than loaded with a classic <script>.
//
// Our CSP forbids inline scripts, so this file does the job of GOV.UK's
// template snippet
//   document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '')
// Only browsers that run module scripts get here, which is exactly the
// `noModule` test, so both classes are added unconditionally.
import * as GOVUKFrontend from "/static/govuk/govuk-frontend.min.js";

const { initAll } = GOVUKFrontend;

document.body.classList.add("js-enabled", "govuk-frontend-supported");

initAll();

// Content swapped in by htmx. htmx fires htmx:load on each new top-level
// element; initAll({ scope }) only looks at descendants, so a swapped-in
// element that is itself a component (e.g. <div data-module="govuk-...">) is
// created here. htmx also fires htmx:load on <body> at start-up: skip it,
// initAll() above has done the page (initialising twice logs an error).
const componentsByName = new Map(
  Object.values(GOVUKFrontend)
    .filter((value) => typeof value === "function" && value.moduleName)
    .map((Component) => [Component.moduleName, Component]),
);

document.addEventListener("htmx:load", (event) => {
  const root = event.target;
  if (!(root instanceof Element) || root === document.body) {
    return;
  }
  const Component = componentsByName.get(root.getAttribute("data-module"));
  if (Component) {
    try {
      new Component(root);
    } catch (error) {
      console.log(error);
    }
  }
  initAll({ scope: root });
});
