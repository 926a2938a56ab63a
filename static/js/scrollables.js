// Display formulas and code blocks wider than the statement scroll sideways within their own
// block (app.css) rather than being cut at the pane's edge; such a block is made focusable, and
// a formula named, so that a keyboard user can scroll it too.

const LABELS = { PRE: null, DIV: "Formula, scrolls sideways" };

/** Watch the blocks in `root`; return the ResizeObserver, to disconnect when `root` goes. */
export function letWideBlocksScroll(root) {
  const mark = (block) => {
    const wide = block.scrollWidth > block.clientWidth + 1;
    block.classList.toggle("wide", wide);
    const label = LABELS[block.tagName];
    if (wide) {
      block.tabIndex = 0;
      if (label) block.setAttribute("role", "group");
      if (label) block.setAttribute("aria-label", label);
    } else {
      for (const name of ["tabindex", "role", "aria-label"]) block.removeAttribute(name);
    }
  };
  const observer = new ResizeObserver((entries) => entries.forEach((entry) => mark(entry.target)));
  for (const block of root.querySelectorAll(".math.block, pre:not([data-testid])")) observer.observe(block);
  return observer;
}
