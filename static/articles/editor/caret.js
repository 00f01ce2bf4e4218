// Where typing goes once a block is placed: into the paragraph after it, made
// when none follows, rather than inside the block or nowhere.
import { pm } from "django-prose-editor/editor"

const { TextSelection } = pm.state

export function continueAfter(tr, typeName) {
  const { selection } = tr
  let after = selection.node?.type.name === typeName ? selection.to : null
  for (let depth = selection.$from.depth; after === null && depth > 0; depth--) {
    if (selection.$from.node(depth).type.name === typeName) {
      after = selection.$from.after(depth)
    }
  }
  if (after === null) return null
  if (!tr.doc.resolve(after).nodeAfter?.isTextblock) {
    tr.insert(after, tr.doc.type.schema.nodes.paragraph.create())
  }
  return tr.setSelection(TextSelection.create(tr.doc, after + 1))
}
