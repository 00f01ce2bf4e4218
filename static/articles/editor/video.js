// A YouTube or Vimeo video in the text, stored as the importer stores one:
// <figure data-embed="youtube:ID"> with a link to the video and an optional
// caption; reader pages turn it into a click-to-load player. The editor
// pastes the video's address into a dialog, and the server
// (admin/editor.py) answers with the markup or says why it refuses it.
import { crel, Node } from "django-prose-editor/editor"

import { continueAfter } from "./caret.js"

let dialogs = 0

// The link to the video, whose text is the video's title; only inside a video.
const VideoLink = Node.create({
  name: "videoLink",
  atom: true,
  selectable: false,
  addAttributes: () => ({
    href: { default: null },
    title: {
      default: "",
      parseHTML: (link) => link.textContent,
      renderHTML: () => ({}),
    },
  }),
  parseHTML: () => [{ tag: "a[href]", context: "videoEmbed/", priority: 60 }],
  renderHTML: ({ node, HTMLAttributes }) => ["a", HTMLAttributes, node.attrs.title],
})

export const VideoEmbed = Node.create({
  name: "videoEmbed",
  group: "block",
  content: "videoLink caption?",
  draggable: true,
  isolating: true,
  addOptions: () => ({ markupUrl: null, labels: {} }),
  addAttributes: () => ({
    embed: {
      default: null,
      parseHTML: (figure) => figure.getAttribute("data-embed"),
      renderHTML: ({ embed }) => ({ "data-embed": embed }),
    },
  }),
  // Before the library's figure, which would take any <figure>.
  parseHTML: () => [{ tag: "figure[data-embed]", priority: 60 }],
  renderHTML: ({ HTMLAttributes }) => ["figure", HTMLAttributes, 0],
  addExtensions: () => [VideoLink],
  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "videoEmbed",
      groups: "nodes",
      button: buttons.material("smart_display", this.options.labels.button),
      command: (editor) => askForVideo(editor, this.options),
      active: (editor) => editor.isActive("videoEmbed"),
    })
  },
})

function field(label, input, help) {
  input.id = `video-dialog-${dialogs}-${input.name}`
  const labelElement = crel("label", { htmlFor: input.id, textContent: label })
  if (help) {
    labelElement.append(crel("span", { className: "prose-editor-help", textContent: help }))
  }
  return crel("div", { className: "prose-editor-dialog-field" }, [labelElement, input])
}

function askForVideo(editor, { markupUrl, labels }) {
  dialogs += 1
  const url = crel("input", { type: "url", name: "url", required: true, size: 50 })
  const title = crel("input", { type: "text", name: "title", required: true, size: 50, maxLength: 200 })
  const caption = crel("input", { type: "text", name: "caption", size: 50 })
  const refusal = crel("p", { className: "prose-editor-dialog-error", role: "alert" })
  const cancel = crel("button", { type: "button", textContent: labels.cancel })
  const form = crel("form", {}, [
    crel("h3", { className: "prose-editor-dialog-title", textContent: labels.dialogTitle }),
    field(labels.url, url),
    field(labels.title, title, labels.titleHelp),
    field(labels.caption, caption),
    refusal,
    crel("div", { className: "prose-editor-dialog-buttons" }, [
      crel("button", { type: "submit", textContent: labels.insert }),
      cancel,
    ]),
  ])
  const dialog = crel("dialog", { className: "prose-editor-dialog" }, [form])
  editor.view.dom.parentElement.append(dialog)
  cancel.addEventListener("click", () => dialog.close())
  dialog.addEventListener("close", () => dialog.remove())
  url.addEventListener("input", () => {
    refusal.textContent = ""
    url.removeAttribute("aria-invalid")
  })
  form.addEventListener("submit", async (event) => {
    event.preventDefault()
    const query = new URLSearchParams({ url: url.value, title: title.value, caption: caption.value })
    let answer
    try {
      const response = await fetch(`${markupUrl}?${query}`, { headers: { Accept: "application/json" } })
      answer = await response.json()
    } catch {
      answer = { error: labels.unreachable }
    }
    if (answer.error) {
      refusal.textContent = answer.error
      url.setAttribute("aria-invalid", "true")
      url.focus()
      return
    }
    dialog.close()
    editor
      .chain()
      .focus()
      .insertContent(answer.html)
      .command(({ tr }) => {
        continueAfter(tr, "videoEmbed")
        return true
      })
      .run()
  })
  dialog.showModal()
}
