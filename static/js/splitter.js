// The resizable split between statement and editor: drag the bar, or focus it and use the
// arrow keys. The share is kept per browser.
import { loadSplit, saveSplit } from "./storage.js";

const MIN = 20;
const MAX = 80;
const STEP = 5;

export function setUpSplitter(bar, workspace) {
  const apply = (percent) => {
    const share = Math.min(MAX, Math.max(MIN, Math.round(percent)));
    workspace.style.setProperty("--statement-share", `${share}%`);
    bar.setAttribute("aria-valuenow", String(share));
    return share;
  };
  let share = apply(loadSplit() ?? 50);

  bar.addEventListener("pointerdown", (event) => {
    bar.setPointerCapture(event.pointerId);
    const box = workspace.getBoundingClientRect();
    const move = (moved) => (share = apply(((moved.clientX - box.left) / box.width) * 100));
    bar.addEventListener("pointermove", move);
    bar.addEventListener("pointerup", () => {
      bar.removeEventListener("pointermove", move);
      saveSplit(share);
    }, { once: true });
  });
  bar.addEventListener("keydown", (event) => {
    const delta = { ArrowLeft: -STEP, ArrowRight: STEP }[event.key];
    if (delta === undefined) return;
    event.preventDefault();
    share = apply(share + delta);
    saveSplit(share);
  });
}
