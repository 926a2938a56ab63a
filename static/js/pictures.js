// Pictures of failed array comparisons and the figures problems draw (runner/figures.py), as
// SVG built through DOM calls: every value is read as a number or as text (textContent), so
// nothing in a result can become markup. Loaded on the first run, apart from the page's script.
//
// Each picture says in words what it shows (an aria-label and a caption) and offers its numbers
// as a table on demand. Colours are CSS variables, so both themes restyle them without a redraw.

import STYLE from "../css/pictures.css" with { type: "text" };

const SVG_NS = "http://www.w3.org/2000/svg";
const PANEL = 168; // the longest side of a panel, in pixels
const CELL_MAX = 22;
const GAP = 18;
const TITLE = 16; // room for a panel's title above it
const GRID_LIMIT = 64;
const LINE_POINTS = 1000;
const LIST_LIMIT = 10; // wrong entries named in a description
const TABLE_ROWS = 200;
let nextId = 0;

// The stylesheet, once, under the nonce the page's Content-Security-Policy gives its styles.
const style = document.createElement("style");
style.nonce = JSON.parse(document.getElementById("problem-data").textContent).styleNonce;
style.textContent = STYLE;
document.head.append(style);

/** Draw `check`'s picture and figures into `box`. */
export function draw(box, check) {
  if (check.picture && typeof check.picture === "object") box.append(arrayDiff(check.picture));
  for (const figure of list(check.figures, 6)) {
    if (figure && typeof figure === "object" && DRAW[figure.kind]) box.append(DRAW[figure.kind](figure));
  }
}

// -- Reading untrusted values ------------------------------------------------------------------

const num = (value) => (typeof value === "number" && Number.isFinite(value) ? value : null);
const int = (value) => (Number.isInteger(value) && value >= 0 ? value : 0);
const text = (value, limit = 120) => (typeof value === "string" ? value.slice(0, limit) : "");
const list = (value, limit) => (Array.isArray(value) ? value.slice(0, limit) : []);

function grid(value) {
  const rows = int(value?.rows);
  const cols = int(value?.cols);
  const values = list(value?.values, GRID_LIMIT * GRID_LIMIT).map(num);
  const drawable = rows <= GRID_LIMIT && cols <= GRID_LIMIT && values.length === rows * cols;
  return { rows, cols, values: drawable ? values : [] };
}

function format(value) {
  if (value === null) return "not finite";
  const rounded = Number(value.toPrecision(4));
  return Math.abs(rounded) >= 1e5 || (rounded !== 0 && Math.abs(rounded) < 1e-3) ? rounded.toExponential(2) : String(rounded);
}

const shapeText = (shape) => `(${shape.join(", ")}${shape.length === 1 ? "," : ""})`;

// -- SVG helpers ----------------------------------------------------------------------------------

function svgElement(tag, attributes = {}, parent = null) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  parent?.append(node);
  return node;
}

function label(parent, x, y, content, attributes = {}) {
  const node = svgElement("text", { x, y, class: "figure-text", ...attributes }, parent);
  node.textContent = content;
  return node;
}

function element(tag, className, content = "") {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.textContent = content;
  return node;
}

/** The colour of `value` on a scale from -scale (one colour) to +scale (the other). */
function heat(value, scale) {
  if (value === null) return "var(--heat-missing)";
  const share = scale > 0 ? Math.min(1, Math.abs(value) / scale) : 0;
  const end = value < 0 ? "var(--heat-neg)" : "var(--heat-pos)";
  return `color-mix(in srgb, ${end} ${Math.round(share * 100)}%, var(--heat-zero))`;
}

function picture(width, height, description) {
  const svg = svgElement("svg", {
    width: Math.ceil(width),
    height: Math.ceil(height),
    viewBox: `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`,
    role: "img",
    "aria-label": description,
  });
  return svg;
}

/** A figure element with its caption, drawing, note and a table built when first asked for. */
function frame(className, caption, svg, note, table) {
  const figure = element("figure", className);
  figure.append(element("figcaption", "", caption));
  if (svg) {
    const scroller = element("div", "figure-drawing");
    scroller.append(svg);
    figure.append(scroller);
  }
  if (note) figure.append(element("p", "figure-note", note));
  if (table) figure.append(...tableOnDemand(table));
  return figure;
}

/** A button that shows (and hides) a table of `rows()`, built on the first press. */
function tableOnDemand({ caption, headers, rows, marked = () => false }) {
  const button = element("button", "table-toggle", "Show the numbers");
  const holder = element("div", "figure-table");
  holder.id = `figure-table-${++nextId}`;
  holder.hidden = true;
  button.type = "button";
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", holder.id);
  button.addEventListener("click", () => {
    if (!holder.firstChild) {
      const table = document.createElement("table");
      table.createCaption().textContent = caption;
      const head = table.createTHead().insertRow();
      for (const title of headers) head.append(element("th", "", title));
      const body = table.createTBody();
      const all = rows();
      for (const [index, cells] of all.slice(0, TABLE_ROWS).entries()) {
        const row = body.insertRow();
        if (marked(index)) row.className = "wrong";
        cells.forEach((cell, column) => row.append(element(column === 0 ? "th" : "td", "", cell)));
      }
      holder.append(table);
      if (all.length > TABLE_ROWS) holder.append(element("p", "figure-note", `The first ${TABLE_ROWS} of ${all.length} rows.`));
    }
    holder.hidden = !holder.hidden;
    button.setAttribute("aria-expanded", String(!holder.hidden));
    button.textContent = holder.hidden ? "Show the numbers" : "Hide the numbers";
  });
  return [button, holder];
}

// -- Pictures of a failed comparison --------------------------------------------------------------

function arrayDiff(raw) {
  const name = text(raw.name, 40) || "value";
  const kind = raw.kind === "shape" ? "shape" : "values";
  const expectedShape = list(raw.expected_shape, 32).map(int);
  const actualShape = list(raw.actual_shape, 32).map(int);
  const picture = { name, kind, expectedShape, actualShape, wrong: int(raw.wrong), size: int(raw.size),
    expected: grid(raw.expected), actual: grid(raw.actual), difference: raw.difference ? grid(raw.difference) : null,
    marked: new Set(list(raw.marked, GRID_LIMIT * GRID_LIMIT).map(int)), scale: num(raw.scale) ?? 0,
    bars: raw.layout === "bars", note: text(raw.note, 300) };
  const figure = kind === "shape" ? shapeDiff(picture) : valuesDiff(picture);
  figure.dataset.testid = "array-diff";
  figure.dataset.name = name;
  figure.dataset.kind = kind;
  figure.dataset.wrong = String(picture.wrong);
  return figure;
}

function valuesDiff(p) {
  const cells = p.expected.rows * p.expected.cols;
  const wrongCells = [...p.marked].filter((index) => index < cells).sort((a, b) => a - b);
  const where = (index) => (p.expected.rows === 1 ? `[${index}]` : `[${Math.floor(index / p.expected.cols)}, ${index % p.expected.cols}]`);
  const named = wrongCells.slice(0, LIST_LIMIT).map(where).join(", ");
  const caption = `${p.name}: ${p.wrong} of ${p.size} entries wrong`;
  const description = `${caption}. Expected, yours and yours minus expected, side by side as ${p.bars ? "bars" : "heatmaps"} ` +
    `on one scale from ${format(-p.scale)} to ${format(p.scale)}; wrong ${p.expected.rows * p.expected.cols < p.size ? "cells" : "entries"} ` +
    `outlined: ${named}${wrongCells.length > LIST_LIMIT ? ` and ${wrongCells.length - LIST_LIMIT} more` : ""}.`;
  const panels = [["Expected", p.expected], ["Yours", p.actual], ["Yours − expected", p.difference ?? grid(null)]];
  const svg = p.bars ? barPanels(p, panels, description) : heatPanels(p, panels, description);
  return frame("array-diff", caption, svg, p.note, {
    caption: `${p.name}: each ${p.bars ? "entry" : "cell"}, expected, yours and their difference`,
    headers: ["Entry", "Expected", "Yours", "Difference", "Wrong"],
    rows: () => Array.from({ length: cells }, (_, index) => [
      where(index), format(p.expected.values[index] ?? null), format(p.actual.values[index] ?? null),
      format(p.difference?.values[index] ?? null), p.marked.has(index) ? "✗ wrong" : "",
    ]),
    marked: (index) => p.marked.has(index),
  });
}

function heatPanels(p, panels, description) {
  const { rows, cols } = p.expected;
  const cell = Math.max(2, Math.min(CELL_MAX, Math.floor(PANEL / Math.max(rows, cols, 1))));
  const width = cols * cell;
  const height = rows * cell;
  const total = panels.length * width + (panels.length - 1) * GAP;
  const svg = picture(Math.max(total, 200) + 2, TITLE + height + 44, description);
  panels.forEach(([title, values], panel) => {
    const x0 = 1 + panel * (width + GAP);
    label(svg, x0, 12, title);
    const group = svgElement("g", { class: "panel", "data-panel": title }, svg);
    for (let index = 0; index < rows * cols; index++) {
      const wrong = p.marked.has(index);
      const rect = svgElement("rect", {
        x: x0 + (index % cols) * cell, y: TITLE + Math.floor(index / cols) * cell, width: cell, height: cell,
        class: wrong ? "cell wrong" : "cell",
      }, group);
      rect.style.fill = heat(values.values[index] ?? null, p.scale);
    }
    svgElement("rect", { x: x0, y: TITLE, width, height, class: "panel-frame" }, group);
  });
  colourScale(svg, 1, TITLE + height + 10, p.scale);
  return svg;
}

/** The shared colour scale, labelled at its ends and at zero. */
function colourScale(svg, x, y, scale) {
  const steps = 21;
  const width = 168;
  const group = svgElement("g", { class: "colour-scale" }, svg);
  for (let step = 0; step < steps; step++) {
    const value = -scale + (2 * scale * step) / (steps - 1);
    const rect = svgElement("rect", { x: x + (step * width) / steps, y, width: width / steps + 0.5, height: 10 }, group);
    rect.style.fill = heat(value, scale);
  }
  svgElement("rect", { x, y, width, height: 10, class: "panel-frame" }, group);
  label(group, x, y + 24, format(-scale));
  label(group, x + width / 2, y + 24, "0", { "text-anchor": "middle" });
  label(group, x + width, y + 24, format(scale), { "text-anchor": "end" });
  label(group, x + width + 8, y + 10, "colour: value, one scale for all panels");
}

function barPanels(p, panels, description) {
  const count = p.expected.cols;
  const bar = Math.max(3, Math.min(CELL_MAX, Math.floor(PANEL / Math.max(count, 1))));
  const width = count * bar;
  const half = 40;
  const axis = 44; // room for the scale's labels
  const svg = picture(axis + panels.length * width + (panels.length - 1) * GAP + 2, TITLE + 2 * half + 24, description);
  const zero = TITLE + half;
  label(svg, axis - 4, TITLE + 8, format(p.scale), { "text-anchor": "end" });
  label(svg, axis - 4, zero + 4, "0", { "text-anchor": "end" });
  label(svg, axis - 4, zero + half, format(-p.scale), { "text-anchor": "end" });
  const height = (value) => (p.scale > 0 && value !== null ? (Math.min(Math.abs(value), p.scale) / p.scale) * half : 0);
  panels.forEach(([title, values], panel) => {
    const x0 = axis + panel * (width + GAP);
    label(svg, x0, 12, title);
    const group = svgElement("g", { class: "panel", "data-panel": title }, svg);
    for (let index = 0; index < count; index++) {
      const value = values.values[index] ?? null;
      const h = height(value);
      const rect = svgElement("rect", {
        x: x0 + index * bar + 1, y: value !== null && value < 0 ? zero : zero - h, width: bar - 2, height: Math.max(h, 0.5),
        class: p.marked.has(index) ? "cell bar wrong" : "cell bar",
      }, group);
      if (panel === 1) {
        // The expected value as a dashed outline behind yours, for the comparison at a glance.
        const expected = p.expected.values[index] ?? null;
        const e = height(expected);
        svgElement("rect", { x: x0 + index * bar + 1, y: expected !== null && expected < 0 ? zero : zero - e, width: bar - 2, height: Math.max(e, 0.5), class: "ghost" }, group);
      }
      if (p.marked.has(index)) svgElement("path", { d: `M${x0 + index * bar + bar / 2 - 3},${zero + half + 8}l3,-5l3,5z`, class: "wrong-marker" }, group);
      rect.dataset.index = String(index);
    }
    svgElement("line", { x1: x0, x2: x0 + width, y1: zero, y2: zero, class: "axis" }, group);
  });
  return svg;
}

function shapeDiff(p) {
  const caption = `${p.name}: shape ${shapeText(p.actualShape)} instead of ${shapeText(p.expectedShape)}`;
  const extent = (shape) => [shape.length < 2 ? 1 : shape.slice(0, -1).reduce((a, b) => a * b, 1), shape.length ? shape.at(-1) : 1];
  const shapes = [["Expected", p.expectedShape, p.expected], ["Yours", p.actualShape, p.actual]];
  const longest = Math.max(1, ...shapes.flatMap(([, shape]) => extent(shape)));
  const cell = Math.min(CELL_MAX, PANEL / longest);
  const sizes = shapes.map(([, shape]) => extent(shape).map((n) => Math.max(n * cell, 1)));
  const height = Math.max(...sizes.map(([h]) => h));
  const description = `${caption}, drawn to scale side by side: expected ${extent(p.expectedShape).join(" by ")} ` +
    `and yours ${extent(p.actualShape).join(" by ")}${p.note ? `. ${p.note}` : ""}`;
  const svg = picture(sizes[0][1] + sizes[1][1] + GAP + 4, TITLE + height + 4, description);
  let x0 = 2;
  shapes.forEach(([title, shape, values], index) => {
    const [h, w] = sizes[index];
    label(svg, x0, 12, `${title} ${shapeText(shape)}`);
    const group = svgElement("g", { class: "panel", "data-panel": title }, svg);
    const [rows, cols] = extent(shape);
    if (values.values.length === rows * cols) {
      values.values.forEach((value, i) => {
        const rect = svgElement("rect", { x: x0 + (i % cols) * cell, y: TITLE + Math.floor(i / cols) * cell, width: cell, height: cell, class: "cell" }, group);
        rect.style.fill = heat(value, p.scale);
      });
    }
    svgElement("rect", { x: x0, y: TITLE, width: w, height: h, class: index === 1 ? "panel-frame shape-wrong" : "panel-frame" }, group);
    x0 += w + GAP;
  });
  const rows = () => shapes.map(([title, shape, values]) => [title, shapeText(shape), values.values.length ? values.values.map(format).join(", ") : "(not shown)"]);
  return frame("array-diff", caption, svg, p.note, { caption: `${p.name}: the two shapes`, headers: ["", "Shape", "Entries, row by row"], rows });
}

// -- Figures from problems ------------------------------------------------------------------------

const SERIES_CLASSES = 4;
const WIDTH = 360;
const HEIGHT = 200;
const MARGIN = { left: 56, right: 12, top: 10, bottom: 34 };

const DRAW = { line: lineFigure, field: fieldFigure, bars: barsFigure };

function figureFrame(raw, svg, table) {
  const figure = frame("figure", text(raw.title) || "Figure", svg, text(raw.note, 300), table);
  figure.dataset.testid = "figure";
  figure.dataset.kind = raw.kind;
  return figure;
}

function seriesOf(raw, limit) {
  return list(raw.series, 8).map((series, index) => ({
    name: text(series?.name, 40) || (index ? `series ${index + 1}` : ""),
    values: list(series?.values, limit).map(num),
    index,
  }));
}

function niceTicks(low, high, count = 5) {
  if (!(high > low)) return [low];
  const step = 10 ** Math.floor(Math.log10((high - low) / count));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => (high - low) / s <= count) ?? step * 10;
  const ticks = [];
  for (let t = Math.ceil(low / nice) * nice; t <= high + nice * 1e-9; t += nice) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

function axes(svg, { xTicks, yTicks, x, y, xLabel, yLabel, yFormat = format }) {
  const group = svgElement("g", { class: "axes" }, svg);
  const bottom = HEIGHT - MARGIN.bottom;
  svgElement("line", { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: bottom, y2: bottom, class: "axis" }, group);
  svgElement("line", { x1: MARGIN.left, x2: MARGIN.left, y1: MARGIN.top, y2: bottom, class: "axis" }, group);
  for (const tick of xTicks) label(group, x(tick), bottom + 14, format(tick), { "text-anchor": "middle" });
  for (const tick of yTicks) {
    svgElement("line", { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(tick), y2: y(tick), class: "gridline" }, group);
    label(group, MARGIN.left - 4, y(tick) + 4, yFormat(tick), { "text-anchor": "end" });
  }
  if (xLabel) label(group, (MARGIN.left + WIDTH - MARGIN.right) / 2, HEIGHT - 4, xLabel, { "text-anchor": "middle" });
  if (yLabel) label(group, 12, (MARGIN.top + bottom) / 2, yLabel, { "text-anchor": "middle", transform: `rotate(-90 12 ${(MARGIN.top + bottom) / 2})` });
}

function lineFigure(raw) {
  const xs = list(raw.x, LINE_POINTS).map(num);
  const series = seriesOf(raw, LINE_POINTS).map((s) => ({ ...s, values: s.values.slice(0, xs.length) }));
  const values = series.flatMap((s) => s.values).filter((v) => v !== null);
  const canLog = values.length > 0 && values.some((v) => v > 0);
  const names = series.map((s) => s.name || "value");
  const table = {
    caption: text(raw.title) || "Figure",
    headers: [text(raw.x_label, 40) || "x", ...names],
    rows: () => xs.map((x, i) => [format(x), ...series.map((s) => format(s.values[i] ?? null))]),
  };
  if (!values.length || !xs.some((x) => x !== null)) return figureFrame(raw, null, null);
  const holder = element("div", "line-figure");
  let logScale = Boolean(raw.log_y) && canLog;
  const redraw = () => holder.replaceChildren(lineDrawing(raw, xs, series, values, logScale));
  redraw();
  const figure = figureFrame(raw, null, table);
  figure.querySelector("figcaption").after(holder);
  if (canLog) {
    const toggle = element("button", "scale-toggle", "Log scale");
    toggle.type = "button";
    toggle.setAttribute("aria-pressed", String(logScale));
    toggle.addEventListener("click", () => {
      logScale = !logScale;
      toggle.setAttribute("aria-pressed", String(logScale));
      redraw();
    });
    holder.after(toggle);
  }
  return figure;
}

function lineDrawing(raw, xs, series, values, logScale) {
  const finiteX = xs.filter((x) => x !== null);
  const [xLow, xHigh] = [Math.min(...finiteX), Math.max(...finiteX)];
  const shown = logScale ? values.filter((v) => v > 0) : values;
  let [yLow, yHigh] = [Math.min(...shown), Math.max(...shown)];
  if (logScale) [yLow, yHigh] = [10 ** Math.floor(Math.log10(yLow)), 10 ** Math.ceil(Math.log10(yHigh))];
  if (yHigh === yLow) [yLow, yHigh] = logScale ? [yLow / 10, yHigh * 10] : [yLow - 1, yHigh + 1];
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (v) => MARGIN.left + (xHigh > xLow ? ((v - xLow) / (xHigh - xLow)) * plotW : plotW / 2);
  const y = logScale
    ? (v) => MARGIN.top + plotH - ((Math.log10(v) - Math.log10(yLow)) / (Math.log10(yHigh) - Math.log10(yLow))) * plotH
    : (v) => MARGIN.top + plotH - ((v - yLow) / (yHigh - yLow)) * plotH;
  const decades = [];
  if (logScale) for (let e = Math.log10(yLow); e <= Math.log10(yHigh) + 1e-9; e += Math.max(1, Math.ceil((Math.log10(yHigh) - Math.log10(yLow)) / 5))) decades.push(10 ** Math.round(e));
  const first = series[0];
  const description = `${text(raw.title) || "Line chart"}: ${series.length} curve${series.length > 1 ? "s" : ""} over ${xs.length} points, ` +
    `${logScale ? "log" : "linear"} scale from ${format(yLow)} to ${format(yHigh)}; ${first.name || "the curve"} goes from ` +
    `${format(first.values.find((v) => v !== null) ?? null)} to ${format(first.values.findLast((v) => v !== null) ?? null)}.`;
  const svg = picture(WIDTH, HEIGHT, description);
  axes(svg, { xTicks: niceTicks(xLow, xHigh), yTicks: logScale ? decades : niceTicks(yLow, yHigh),
    x, y, xLabel: text(raw.x_label, 40), yLabel: text(raw.y_label, 40) + (logScale ? " (log)" : ""),
    yFormat: logScale ? (tick) => `1e${Math.round(Math.log10(tick))}` : format });
  for (const s of series) {
    let path = "";
    let pen = "M";
    s.values.forEach((v, i) => {
      if (v === null || xs[i] === null || (logScale && v <= 0)) {
        pen = "M";
        return;
      }
      path += `${pen}${x(xs[i]).toFixed(1)},${y(v).toFixed(1)}`;
      pen = "L";
    });
    svgElement("path", { d: path || "M0,0", class: `curve series-${s.index % SERIES_CLASSES}` }, svg);
  }
  if (series.length > 1 || series[0].name) legend(svg, series, "line");
  return svg;
}

function legend(svg, series, kind) {
  const group = svgElement("g", { class: "legend" }, svg);
  // Top right, where falling curves (losses) leave room.
  series.forEach((s, i) => {
    const x = WIDTH - MARGIN.right - (series.length - i) * 72;
    if (kind === "line") svgElement("line", { x1: x, x2: x + 16, y1: MARGIN.top + 6, y2: MARGIN.top + 6, class: `curve series-${s.index % SERIES_CLASSES}` }, group);
    else svgElement("rect", { x, y: MARGIN.top, width: 12, height: 10, class: `bar series-${s.index % SERIES_CLASSES}` }, group);
    label(group, x + 20, MARGIN.top + 10, s.name || "value");
  });
}

function fieldFigure(raw) {
  const values = grid(raw.grid);
  const [xLow, xHigh] = list(raw.x_range, 2).map(num);
  const [yLow, yHigh] = list(raw.y_range, 2).map(num);
  const level = num(raw.level);
  const points = list(raw.points, 256)
    .map((p) => ({ x: num(p?.x), y: num(p?.y), label: Number.isInteger(p?.label) ? p.label : 0 }))
    .filter((p) => p.x !== null && p.y !== null);
  if (!values.values.length || xLow === null || xHigh === null || yLow === null || yHigh === null || !(xHigh > xLow) || !(yHigh > yLow)) {
    return figureFrame(raw, null, null);
  }
  const size = 200;
  const left = 44;
  const top = 8;
  const { rows, cols } = values;
  const cw = size / cols;
  const ch = size / rows;
  const centre = level ?? 0;
  const spread = Math.max(...values.values.filter((v) => v !== null).map((v) => Math.abs(v - centre)), 1e-12);
  const x = (v) => left + ((v - xLow) / (xHigh - xLow)) * size;
  const y = (v) => top + size - ((v - yLow) / (yHigh - yLow)) * size;
  const classes = [...new Set(points.map((p) => p.label))].sort((a, b) => a - b);
  const description = `${text(raw.title) || "Field"}: values over ${text(raw.x_label, 40) || "x"} from ${format(xLow)} to ${format(xHigh)} ` +
    `and ${text(raw.y_label, 40) || "y"} from ${format(yLow)} to ${format(yHigh)}` +
    `${level !== null ? `, shaded by side of ${format(level)} with the boundary drawn as a line` : ""}; ` +
    `${points.length} points on top: ${points.slice(0, LIST_LIMIT).map((p) => `(${format(p.x)}, ${format(p.y)}) class ${p.label}`).join(", ")}.`;
  const svg = picture(left + size + 150, top + size + 34, description);
  const cells = svgElement("g", { class: "field-cells" }, svg);
  values.values.forEach((v, i) => {
    const row = Math.floor(i / cols);
    const rect = svgElement("rect", { x: left + (i % cols) * cw, y: top + size - (row + 1) * ch, width: cw + 0.3, height: ch + 0.3 }, cells);
    rect.style.fill = heat(v === null ? null : v - centre, spread * 1.6);
  });
  if (level !== null) svgElement("path", { d: boundary(values, level, left, top, size, cw, ch), class: "boundary" }, svg);
  svgElement("rect", { x: left, y: top, width: size, height: size, class: "panel-frame" }, svg);
  for (const p of points) {
    const shapeIndex = classes.indexOf(p.label) % 2;
    const attributes = { class: `point class-${shapeIndex}` };
    if (shapeIndex === 0) svgElement("rect", { x: x(p.x) - 5, y: y(p.y) - 5, width: 10, height: 10, ...attributes }, svg);
    else svgElement("circle", { cx: x(p.x), cy: y(p.y), r: 6, ...attributes }, svg);
  }
  label(svg, left, top + size + 14, format(xLow));
  label(svg, left + size, top + size + 14, format(xHigh), { "text-anchor": "end" });
  label(svg, left + size / 2, top + size + 28, text(raw.x_label, 40), { "text-anchor": "middle" });
  label(svg, left - 4, top + size, format(yLow), { "text-anchor": "end" });
  label(svg, left - 4, top + 10, format(yHigh), { "text-anchor": "end" });
  label(svg, left - 4, top + size / 2, text(raw.y_label, 40), { "text-anchor": "end" });
  const key = svgElement("g", { class: "legend" }, svg);
  classes.slice(0, 2).forEach((c, i) => {
    const ky = top + 12 + i * 20;
    if (i === 0) svgElement("rect", { x: left + size + 12, y: ky - 9, width: 10, height: 10, class: "point class-0" }, key);
    else svgElement("circle", { cx: left + size + 17, cy: ky - 4, r: 5, class: "point class-1" }, key);
    label(key, left + size + 28, ky, `class ${c}`);
  });
  if (level !== null) {
    svgElement("line", { x1: left + size + 12, x2: left + size + 24, y1: top + 60, y2: top + 60, class: "boundary" }, key);
    label(key, left + size + 28, top + 64, `boundary (${format(level)})`);
  }
  return figureFrame(raw, svg, {
    caption: text(raw.title) || "Field",
    headers: ["Point", "x", "y", "Class"],
    rows: () => points.map((p, i) => [String(i + 1), format(p.x), format(p.y), String(p.label)]),
  });
}

/** The edges between neighbouring cells on either side of `level`: the decision boundary. */
function boundary({ rows, cols, values }, level, left, top, size, cw, ch) {
  const side = (i) => values[i] !== null && values[i] >= level;
  let path = "";
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      const i = row * cols + col;
      const x = left + col * cw;
      const yTop = top + size - (row + 1) * ch;
      if (col + 1 < cols && side(i) !== side(i + 1)) path += `M${(x + cw).toFixed(1)},${yTop.toFixed(1)}v${ch.toFixed(1)}`;
      if (row + 1 < rows && side(i) !== side(i + cols)) path += `M${x.toFixed(1)},${yTop.toFixed(1)}h${cw.toFixed(1)}`;
    }
  }
  return path || "M0,0";
}

function barsFigure(raw) {
  const categories = list(raw.categories, 64).map((c) => text(c, 40));
  const series = seriesOf(raw, 64);
  const values = series.flatMap((s) => s.values).filter((v) => v !== null);
  const table = {
    caption: text(raw.title) || "Bars",
    headers: ["", ...series.map((s) => s.name || "value")],
    rows: () => categories.map((c, i) => [c, ...series.map((s) => format(s.values[i] ?? null))]),
  };
  if (!values.length || !categories.length) return figureFrame(raw, null, null);
  const low = Math.min(0, ...values);
  const high = Math.max(0, ...values) || 1;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const y = (v) => MARGIN.top + plotH - ((v - low) / (high - low)) * plotH;
  const group = plotW / categories.length;
  const bar = Math.max(1, (group * 0.8) / series.length);
  const description = `${text(raw.title) || "Bar chart"}: ${categories.length} categories, ${series.length} bar${series.length > 1 ? "s" : ""} each` +
    ` (${series.map((s) => s.name || "value").join(", ")}), from ${format(low)} to ${format(high)}.`;
  const svg = picture(WIDTH, HEIGHT, description);
  axes(svg, { xTicks: [], yTicks: niceTicks(low, high), x: () => 0, y, xLabel: "", yLabel: text(raw.y_label, 40) });
  categories.forEach((c, i) => {
    series.forEach((s, k) => {
      const v = s.values[i] ?? null;
      if (v === null) return;
      svgElement("rect", { x: MARGIN.left + i * group + group * 0.1 + k * bar, y: Math.min(y(v), y(0)), width: Math.max(bar - 1, 1),
        height: Math.max(Math.abs(y(v) - y(0)), 0.5), class: `bar series-${s.index % SERIES_CLASSES}` }, svg);
    });
    if (categories.length <= 16) label(svg, MARGIN.left + (i + 0.5) * group, HEIGHT - MARGIN.bottom + 14, c, { "text-anchor": "middle" });
  });
  if (series.length > 1 || series[0].name) legend(svg, series, "bars");
  return figureFrame(raw, svg, table);
}
