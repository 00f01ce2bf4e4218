// A callout: paragraphs or lists set apart as a note, a warning or "when to
// see a doctor", stored as <aside class="callout callout-warning">. The
// kinds and their labels come from the server (articles/callouts.py), which
// keeps no other; reader pages show the label above the text.
import { crel, Node, pm, updateAttrsDialog } from "django-prose-editor/editor"

const { liftTarget } = pm.transform

export const Callout = Node.create({
  name: "callout",
  group: "block",
  content: "(paragraph | bulletList | orderedList)+",
  defining: true,
  addOptions: () => ({ kinds: {}, labels: {} }),
  addAttributes() {
    const kinds = Object.keys(this.options.kinds)
    return {
      kind: {
        default: kinds[0],
        parseHTML: (aside) =>
          kinds.find((kind) => aside.classList.contains(`callout-${kind}`)) ?? kinds[0],
        renderHTML: ({ kind }) => ({ class: `callout callout-${kind}` }),
      },
    }
  },
  parseHTML: () => [{ tag: "aside.callout" }],
  renderHTML: ({ HTMLAttributes }) => ["aside", HTMLAttributes, 0],
  addNodeView() {
    const { kinds } = this.options
    return ({ node }) => {
      const label = crel("p", { className: "callout__label", contentEditable: false })
      const content = crel("div")
      const dom = crel("aside", {}, [label, content])
      const show = (kind) => {
        dom.className = `callout callout-${kind}`
        label.textContent = kinds[kind]
      }
      show(node.attrs.kind)
      return {
        dom,
        contentDOM: content,
        update: (updated) => {
          if (updated.type !== node.type) return false
          show(updated.attrs.kind)
          return true
        },
      }
    }
  },
  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "callout",
      groups: "nodes",
      button: buttons.material("info", this.options.labels.button),
      command: (editor) => chooseKind(editor, this.options),
      active: (editor) => editor.isActive("callout"),
      enabled: (editor) => editor.isActive("callout") || editor.can().wrapIn("callout"),
    })
  },
})

function chooseKind(editor, { kinds, labels }) {
  const inCallout = editor.isActive("callout")
  const current = inCallout ? editor.getAttributes("callout").kind : Object.keys(kinds)[0]
  const actions = inCallout
    ? [
        {
          text: labels.remove,
          handler: (_values, form) => {
            form.closest("dialog").close()
            editor.chain().focus().command(liftCallout).run()
          },
        },
      ]
    : []
  const fields = { kind: { type: "string", title: labels.kind, enum: Object.values(kinds) } }
  updateAttrsDialog(fields, { title: labels.dialogTitle, submitText: labels.apply, actions })(
    editor,
    { kind: kinds[current] },
  ).then((values) => {
    if (!values) return
    const kind = Object.keys(kinds).find((key) => kinds[key] === values.kind)
    const chain = editor.chain().focus()
    if (inCallout) chain.updateAttributes("callout", { kind }).run()
    else chain.wrapIn("callout", { kind }).run()
  })
}

// The whole callout, not only the paragraph with the caret, goes back into the text.
function liftCallout({ tr }) {
  const { $from } = tr.selection
  for (let depth = $from.depth; depth > 0; depth--) {
    if ($from.node(depth).type.name !== "callout") continue
    const range = tr.doc.resolve($from.start(depth)).blockRange(tr.doc.resolve($from.end(depth)))
    const target = range && liftTarget(range)
    if (target === null || target === undefined) return false
    tr.lift(range, target)
    return true
  }
  return false
}
