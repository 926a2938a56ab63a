// The code editor: CodeMirror 6 with the extensions this project owns, one concern each.
import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import {
  history,
  historyKeymap,
  isolateHistory,
  indentLess,
  indentMore,
  indentWithTab,
  selectLine,
  standardKeymap,
  toggleComment,
} from "@codemirror/commands";
import { pythonLanguage } from "@codemirror/lang-python";
import {
  HighlightStyle,
  LanguageSupport,
  bracketMatching,
  indentOnInput,
  indentUnit,
  syntaxHighlighting,
} from "@codemirror/language";
import { EditorSelection, EditorState, Prec, StateEffect, StateField } from "@codemirror/state";
import {
  Decoration,
  EditorView,
  GutterMarker,
  drawSelection,
  dropCursor,
  gutter,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
  WidgetType,
} from "@codemirror/view";
import { tags } from "@lezer/highlight";

// What this editor is made of, chosen rather than CodeMirror's basicSetup: Python highlighting
// and indentation, line numbers, undo history, bracket matching and closing, comment toggling.
// Completion, search and folding would add a third to the page's script for little use in one
// short function.
const setup = [
  lineNumbers(),
  highlightActiveLineGutter(),
  highlightSpecialChars(),
  history(),
  drawSelection(),
  dropCursor(),
  EditorState.allowMultipleSelections.of(true),
  indentOnInput(),
  bracketMatching(),
  closeBrackets(),
  highlightActiveLine(),
  new LanguageSupport(pythonLanguage),
  keymap.of([
    ...closeBracketsKeymap,
    ...standardKeymap,
    ...historyKeymap,
    { key: "Mod-/", run: toggleComment },
    { key: "Mod-l", run: selectLine, preventDefault: true },
    { key: "Mod-]", run: indentMore },
    { key: "Mod-[", run: indentLess },
    indentWithTab,
  ]),
];

/**
 * Create an editor in `parent` holding `text`, with the `selection` ({anchor, head}) and
 * `focus` of the text area it replaces. `onChange(text)` follows edits; `onRunTests()` and
 * `onRunExamples()` follow Ctrl/Cmd+Enter and Ctrl/Cmd+Shift+Enter; `styleNonce` lets its
 * style element through the page's Content-Security-Policy.
 */
export function createEditor(parent, text, { selection, focus, onChange, onRunTests, onRunExamples, styleNonce }) {
  const runKeys = Prec.highest(
    keymap.of([
      { key: "Mod-Enter", preventDefault: true, run: () => (onRunTests(), true) },
      { key: "Shift-Mod-Enter", preventDefault: true, run: () => (onRunExamples(), true) },
    ]),
  );
  const notifyChanges = EditorView.updateListener.of((update) => {
    if (update.docChanged) onChange(update.state.doc.toString());
  });
  const extensions = [
    runKeys,
    EditorView.cspNonce.of(styleNonce),
    setup,
    indentUnit.of("    "),
    syntaxHighlighting(themedHighlighting),
    errorMarker,
    shapeLens,
    notifyChanges,
    // tabindex makes the contenteditable focusable for tools that look for tabindex only.
    EditorView.contentAttributes.of({ "aria-label": "Python code editor", tabindex: "0" }),
  ];
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      selection: selection && EditorSelection.single(selection.anchor, selection.head),
      extensions,
    }),
  });
  extensionsOf.set(view, extensions);
  if (focus) view.focus();
  return view;
}

const extensionsOf = new WeakMap();

/**
 * Start a new document holding `text` (another problem's code), in the same view: no undo
 * history, error marker or shape lens carries over; quicker than a new view.
 */
export function openDocument(view, text) {
  view.setState(EditorState.create({ doc: text, extensions: extensionsOf.get(view) }));
  view.scrollDOM.scrollTop = 0;
}

/** Replace the whole document, as one undoable change that no edit next to it joins. */
export function setText(view, text) {
  view.dispatch({
    changes: { from: 0, to: view.state.doc.length, insert: text },
    annotations: isolateHistory.of("full"),
  });
}

/** Mark `line` (1-based) as where the learner's error happened, until the code changes. */
export function markError(view, line, message) {
  const valid = Number.isInteger(line) && line >= 1 && line <= view.state.doc.lines;
  view.dispatch({ effects: setError.of(valid ? { line, message } : null) });
}

/**
 * Show the shape lens: `entries` ([{line, text}], line 1-based) at the end of their lines, until
 * the learner edits a line (its entry goes) or the next call.
 */
export function showLens(view, entries) {
  const { doc } = view.state;
  const items = entries
    .filter(({ line }) => Number.isInteger(line) && line >= 1 && line <= doc.lines)
    .map(({ line, text }) => ({ from: doc.line(line).from, to: doc.line(line).to, text }));
  view.dispatch({ effects: setLens.of(items) });
}

/** Hide the shape lens's entries (the toggle off) or show them again. */
export function showLensEntries(view, shown) {
  view.dispatch({ effects: setLensShown.of(shown) });
}

// Colours come from CSS variables, so light and dark themes are a stylesheet matter.
const themedHighlighting = HighlightStyle.define([
  { tag: [tags.keyword, tags.controlKeyword, tags.definitionKeyword, tags.moduleKeyword], color: "var(--code-keyword)" },
  { tag: [tags.string, tags.special(tags.string)], color: "var(--code-string)" },
  { tag: [tags.number, tags.bool, tags.null], color: "var(--code-number)" },
  { tag: [tags.comment, tags.lineComment], color: "var(--code-comment)", fontStyle: "italic" },
  { tag: [tags.function(tags.definition(tags.variableName)), tags.definition(tags.className)], color: "var(--code-definition)" },
  { tag: [tags.operator, tags.punctuation], color: "var(--code-operator)" },
]);

const setError = StateEffect.define();

class ErrorGutterMarker extends GutterMarker {
  constructor(message) {
    super();
    this.message = message;
  }

  eq(other) {
    return other.message === this.message;
  }

  toDOM() {
    const marker = document.createElement("span");
    marker.className = "cm-error-marker";
    marker.textContent = "●";
    marker.title = this.message;
    return marker;
  }
}

// The error's line, kept until the next edit (an edit may have fixed it).
const errorField = StateField.define({
  create: () => null,
  update(error, transaction) {
    for (const effect of transaction.effects) if (effect.is(setError)) return effect.value;
    return transaction.docChanged ? null : error;
  },
});

const errorMarker = [
  errorField,
  EditorView.decorations.compute([errorField], (state) => {
    const error = state.field(errorField);
    if (!error) return Decoration.none;
    const line = state.doc.line(error.line);
    const decoration = Decoration.line({ attributes: { class: "cm-error-line", "data-error-line": String(error.line) } });
    return Decoration.set([decoration.range(line.from)]);
  }),
  gutter({
    class: "cm-error-gutter",
    lineMarker(view, block) {
      const error = view.state.field(errorField);
      if (!error) return null;
      return view.state.doc.lineAt(block.from).number === error.line ? new ErrorGutterMarker(error.message) : null;
    },
    lineMarkerChange: (update) => update.startState.field(errorField) !== update.state.field(errorField),
  }),
];

const setLens = StateEffect.define();
const setLensShown = StateEffect.define();

class LensWidget extends WidgetType {
  constructor(line, text) {
    super();
    this.line = line;
    this.text = text;
  }

  eq(other) {
    return other.line === this.line && other.text === this.text;
  }

  toDOM() {
    const entry = document.createElement("span");
    entry.className = "cm-shape-lens";
    entry.dataset.testid = "shape-lens";
    entry.dataset.line = String(this.line);
    entry.textContent = this.text;
    // Screen readers get the same entries as a list in the results panel, not inside the code.
    entry.setAttribute("aria-hidden", "true");
    return entry;
  }

  // CodeMirror handles a click on an entry, putting the cursor by it at its line's end; left
  // to the browser, Firefox kept the cursor where it was.
  ignoreEvent() {
    return false;
  }
}

// The lens's entries ({from, to, text}: the line's span when recorded), following the text
// as it changes; an entry goes once its line is edited, as it may no longer be true.
const lensField = StateField.define({
  create: () => ({ items: [], shown: true }),
  update(lens, transaction) {
    for (const effect of transaction.effects) {
      if (effect.is(setLens)) lens = { items: effect.value, shown: lens.shown };
      if (effect.is(setLensShown)) lens = { items: lens.items, shown: effect.value };
    }
    if (!transaction.docChanged) return lens;
    const { changes } = transaction;
    const items = [];
    for (const item of lens.items) {
      let edited = false;
      changes.iterChangedRanges((fromA, toA) => {
        if (fromA <= item.to && toA >= item.from) edited = true;
      });
      if (!edited) items.push({ from: changes.mapPos(item.from), to: changes.mapPos(item.to), text: item.text });
    }
    return { items, shown: lens.shown };
  },
});

const shapeLens = [
  lensField,
  EditorView.decorations.compute([lensField], (state) => {
    const { items, shown } = state.field(lensField);
    if (!shown || !items.length) return Decoration.none;
    return Decoration.set(
      items.map(({ to, text }) =>
        Decoration.widget({ widget: new LensWidget(state.doc.lineAt(to).number, text), side: 1 }).range(to),
      ),
      true,
    );
  }),
];
