// What the browser keeps for the learner, in localStorage: code, progress and the last run's
// outcome per problem, and the colour theme. Storage can be missing (privacy modes) or full:
// reads then return nothing and writes return false, and the page says that the code is not
// being kept.

const PREFIX = "ml-practice:v1";

function read(key) {
  try {
    return JSON.parse(localStorage.getItem(`${PREFIX}:${key}`));
  } catch {
    return null;
  }
}

function write(key, value) {
  try {
    localStorage.setItem(`${PREFIX}:${key}`, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

/** Tell whether this browser lets the page keep anything (privacy modes and full disks don't). */
export function storageWorks() {
  return write("probe", Date.now());
}

/** The learner's code for one problem: {code, starterVersion, savedAt} or null. */
export function loadCode(slug) {
  const saved = read(`code:${slug}`);
  return typeof saved?.code === "string" ? saved : null;
}

/** Save the learner's code with the version of the starter it grew from; return success. */
export function saveCode(slug, code, starterVersion) {
  return write(`code:${slug}`, { code, starterVersion, savedAt: new Date().toISOString() });
}

/** Progress on one problem: {state: "attempted" | "solved", solvedAt?} or null. */
export function loadProgress(slug) {
  return read(`progress:${slug}`);
}

/** Record a run: solved once all hidden tests pass, and solved stays solved. */
export function recordRun(slug, allPassed) {
  const progress = loadProgress(slug);
  if (progress?.state === "solved") return progress;
  const next = allPassed
    ? { state: "solved", solvedAt: new Date().toISOString() }
    : { state: "attempted" };
  write(`progress:${slug}`, next);
  return next;
}

export function loadTheme() {
  const theme = read("theme");
  return theme === "light" || theme === "dark" ? theme : "system";
}

export function saveTheme(theme) {
  write("theme", theme);
}

/** The statement's share of the page's width, in percent, or null. */
export function loadSplit() {
  const share = read("split");
  return Number.isFinite(share) ? share : null;
}

export function saveSplit(share) {
  write("split", share);
}

/** Whether the shape lens is on (the default) or the learner turned it off. */
export function loadLensShown() {
  return read("lens") !== false;
}

export function saveLensShown(shown) {
  write("lens", shown);
}

/** The last run of the hidden tests: {passed, total, firstFailure, error} or null. */
export function loadLastRun(slug) {
  const run = read(`last-run:${slug}`);
  return Number.isInteger(run?.passed) && Number.isInteger(run?.total) ? run : null;
}

export function saveLastRun(slug, run) {
  write(`last-run:${slug}`, run);
}
