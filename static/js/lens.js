// The shape lens on the page: the harness's `lens` (runner/lens.py) drawn at the end of the
// editor's lines (editor.js), the line saying which call it recorded, the same entries as a list
// for screen readers, and the toggle that turns it off (kept in storage; while off, runs record
// nothing).
import { loadLensShown, saveLensShown } from "./storage.js";

const WHY = {
  "first failing test": "the first test that did not pass",
  "first test": "every test passed, so the first test",
  "first example": "the first example",
};

/** An entry's text as shown: `dW (5, 3) float64`, with `×N` for a line that ran N times. */
export function entryText({ text, count, more }) {
  return count > 1 || more ? `${text}  ×${count}${more ? "+" : ""}` : text;
}

export class ShapeLens {
  /** `toggle` is the on/off button, `report` the results panel's <details> for the lens. */
  constructor(toggle, report) {
    this.toggle = toggle;
    this.report = report;
    this.shown = loadLensShown();
    this.lens = null;
    this.editor = null;
    toggle.addEventListener("click", () => {
      this.shown = !this.shown;
      saveLensShown(this.shown);
      this.editor?.setShown(this.shown);
      this.render();
    });
    this.render();
  }

  /** Use the results panel `report` of the problem now shown (the page moved in place). */
  setReport(report) {
    this.report = report;
    this.render();
  }

  /** Draw in the editor once it has loaded: `editor` is {show(entries), setShown(shown)}. */
  attach(editor) {
    this.editor = editor;
    editor.setShown(this.shown);
  }

  /** Show the lens of a finished run (null when nothing was recorded). */
  show(lens) {
    this.lens = lens ?? null;
    const entries = this.lens?.entries ?? [];
    this.editor?.show(entries.map((entry) => ({ line: entry.line, text: entryText(entry) })));
    this.render();
  }

  /** The toggle, and the results panel's line and list. */
  render() {
    this.toggle.setAttribute("aria-pressed", String(this.shown));
    this.toggle.querySelector(".label-long").textContent = `Shapes: ${this.shown ? "on" : "off"}`;
    const { lens } = this;
    this.report.hidden = !this.shown || !lens;
    if (!lens) return;
    this.report.querySelector("summary").textContent =
      `Shapes beside your code: the first call in “${lens.check}” (${WHY[lens.why] ?? lens.why}).`;
    const items = lens.entries.map((entry) => listItem(`Line ${entry.line}: ${entryText(entry)}`, entry.line));
    if (!items.length) items.push(listItem("No line of your code assigned or returned a value in it."));
    this.report.querySelector("ul").replaceChildren(...items);
  }
}

function listItem(text, line) {
  const item = document.createElement("li");
  item.textContent = text;
  if (line) {
    item.dataset.testid = "shape-lens-item";
    item.dataset.line = String(line);
  }
  return item;
}
