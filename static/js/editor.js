// The code editor: CodeMirror 6 with the extensions this project owns, one concern each.
import { indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import { indentUnit } from "@codemirror/language";
import { EditorState, Prec } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";
import { basicSetup } from "codemirror";

/** Create an editor in `parent`; `onChange(text)` after edits, `onRun()` on Ctrl/Cmd+Enter. */
export function createEditor(parent, text, { onChange, onRun }) {
  const runKeys = Prec.highest(
    keymap.of([{ key: "Mod-Enter", preventDefault: true, run: () => (onRun(), true) }]),
  );
  const notifyChanges = EditorView.updateListener.of((update) => {
    if (update.docChanged) onChange(update.state.doc.toString());
  });
  return new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        runKeys,
        basicSetup,
        python(),
        indentUnit.of("    "),
        keymap.of([indentWithTab]),
        notifyChanges,
        EditorView.contentAttributes.of({ "aria-label": "Python code" }),
      ],
    }),
  });
}

/** Replace the whole document, as one undoable change. */
export function setText(view, text) {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}
