/**
 * The CodeMirror 6 pieces every editor of the UI shares (the code editor and the diff view): languages,
 * highlighting, the theme drawn from Web Awesome's design tokens (so light/dark and fonts follow the
 * app), and the editing basics. The `codemirror` npm package in node_modules is the legacy v5 line, so
 * the setup is assembled from the @codemirror/* packages here.
 */
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { json } from "@codemirror/lang-json";
import { markdown } from "@codemirror/lang-markdown";
import { python } from "@codemirror/lang-python";
import { bracketMatching, defaultHighlightStyle, foldGutter, foldKeymap, indentOnInput, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { lintKeymap } from "@codemirror/lint";
import { highlightSelectionMatches, search, searchKeymap } from "@codemirror/search";
import type { Extension } from "@codemirror/state";
import { drawSelection, dropCursor, EditorView, highlightActiveLine, highlightActiveLineGutter, highlightSpecialChars, keymap, lineNumbers } from "@codemirror/view";

export type CodeLanguage = "python" | "json" | "markdown";

export function languageExtension(language: CodeLanguage): Extension {
  switch (language) {
    case "python":
      return [python(), indentUnit.of("    ")];
    case "json":
      return [json(), indentUnit.of("  ")];
    case "markdown":
      return [markdown(), EditorView.lineWrapping];
  }
}

/** Colours and fonts from Web Awesome's tokens; the editor lives in a shadow root the tokens reach. */
export const editorTheme = EditorView.theme({
  "&": {
    color: "var(--wa-color-text-normal)",
    backgroundColor: "var(--wa-color-surface-default)",
    fontSize: "var(--wa-font-size-s)",
    border: "var(--wa-border-width-s) solid var(--wa-color-surface-border)",
    borderRadius: "var(--wa-border-radius-m)",
  },
  "&.cm-focused": { outline: "var(--wa-focus-ring)", outlineOffset: "var(--wa-focus-ring-offset)" },
  ".cm-scroller": { fontFamily: "var(--wa-font-family-code)", lineHeight: "1.5" },
  ".cm-content": { caretColor: "var(--wa-color-text-normal)" },
  ".cm-gutters": {
    backgroundColor: "var(--wa-color-surface-lowered)",
    color: "var(--wa-color-text-quiet)",
    borderRight: "var(--wa-border-width-s) solid var(--wa-color-surface-border)",
  },
  ".cm-activeLine": { backgroundColor: "color-mix(in srgb, var(--wa-color-brand-fill-quiet) 40%, transparent)" },
  ".cm-activeLineGutter": { backgroundColor: "var(--wa-color-brand-fill-quiet)" },
  ".cm-panels": { backgroundColor: "var(--wa-color-surface-lowered)", color: "var(--wa-color-text-normal)" },
  ".cm-tooltip": { backgroundColor: "var(--wa-color-surface-raised)", color: "var(--wa-color-text-normal)" },
  ".cm-diagnostic": { whiteSpace: "pre-wrap" },
  // CodeMirror dims the source line with opacity, which fails contrast; the quiet text colour does not.
  ".cm-diagnosticSource": { color: "var(--wa-color-text-quiet)", opacity: "1" },
});

/** Editing basics: what a programmer expects from a code editor (and search on Ctrl/Cmd-F). */
export function editingBasics(): Extension {
  return [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    foldGutter(),
    drawSelection(),
    dropCursor(),
    indentOnInput(),
    syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
    bracketMatching(),
    closeBrackets(),
    autocompletion(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    search({ top: true }),
    keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...foldKeymap, ...completionKeymap, ...lintKeymap, indentWithTab]),
  ];
}

/** What a read-only view (the diff) needs: numbers, highlighting, wrapping off, no editing keys. */
export function viewingBasics(): Extension {
  return [lineNumbers(), highlightSpecialChars(), syntaxHighlighting(defaultHighlightStyle, { fallback: true }), search({ top: true }), keymap.of([...searchKeymap, ...defaultKeymap])];
}
