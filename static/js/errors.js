// The page's own record of its errors, for tests and tools that cannot read the browser's
// console (WebKit's WebDriver cannot): every uncaught error, unhandled rejection and
// console.error call and Content Security Policy violation, as one line of text each, in `window.practiceErrors` (docs/contract.md).
// build.py inlines this script first in every page's <head>, allowed by its hash in the CSP,
// so that it records from the start, before boot.js.
const MAX_ERRORS = 200; // a page that fails in a loop keeps its first errors, not all of them
const errors = [];
globalThis.practiceErrors = errors;

function record(text) {
  if (errors.length < MAX_ERRORS) errors.push(text);
}

function describe(value) {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (typeof value === "object" && value !== null) {
    try {
      return JSON.stringify(value);
    } catch {
      return String(value);
    }
  }
  return String(value);
}

// Errors from scripts reach the window; a resource that fails to load fires "error" on its
// element only, and the browser reports that failure itself.
addEventListener("error", (event) => {
  const where = event.filename ? ` (${event.filename}:${event.lineno})` : "";
  record(`pageerror: ${event.error ? describe(event.error) : event.message}${where}`);
});
addEventListener("unhandledrejection", (event) => {
  record(`unhandled rejection: ${describe(event.reason)}`);
});
// A Content Security Policy violation (an injected inline script, a blocked source): the
// browser reports it on the console only, which WebKit's WebDriver cannot read.
addEventListener("securitypolicyviolation", (event) => {
  record(`csp violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
const consoleError = console.error;
console.error = function error(...values) {
  record(`console error: ${values.map(describe).join(" ")}`);
  return consoleError.apply(this, values);
};
