// Spelling is checked where editors type. The library's NoSpellCheck, on by
// default, turns it off; the fields leave it out and take this instead.
import { Extension, Plugin } from "django-prose-editor/editor"

export const SpellCheck = Extension.create({
  name: "spellCheck",
  addProseMirrorPlugins() {
    return [new Plugin({ props: { attributes: { spellcheck: "true" } } })]
  },
})
