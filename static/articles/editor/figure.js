// The library's figure, but once a picture is placed with its caption the
// caret moves on below it: typing then continues the text instead of the
// caption (the library leaves the caret at the caption's end).
import { Figure as LibraryFigure, Plugin } from "django-prose-editor/editor"

import { continueAfter } from "./caret.js"

// A command placed a figure: no typing, paste, drop or undo.
const placesFigure = (transaction) =>
  transaction.docChanged &&
  !transaction.getMeta("uiEvent") &&
  !transaction.getMeta("history$") &&
  transaction.steps.some((step) => {
    let found = false
    step.slice?.content.descendants((node) => {
      found ||= node.type.name === "figure"
      return !found
    })
    return found
  })

export const Figure = LibraryFigure.extend({
  addProseMirrorPlugins() {
    return [
      ...(this.parent?.() ?? []),
      new Plugin({
        appendTransaction(transactions, _oldState, state) {
          const { parent } = state.selection.$from
          // "Add caption" places the caret in a new, empty caption: it stays.
          const inFilledCaption = parent.type.name === "caption" && parent.content.size > 0
          if (!inFilledCaption || !transactions.some(placesFigure)) return null
          return continueAfter(state.tr, "figure")
        },
      }),
    ]
  },
})
