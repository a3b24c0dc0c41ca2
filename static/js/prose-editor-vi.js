/* The rich-text editor's menu in Vietnamese. django-prose-editor passes its dialogs' text
   through window.gettext (the admin's JavaScript catalogue, locale/vi/LC_MESSAGES/djangojs.po)
   but writes its menu's tooltips and block names in English; they are translated here, from
   the same catalogue, as the menu is built and whenever it redraws a button. */
"use strict";
{
  const gettext = window.gettext || ((text) => text);
  const interpolate = window.interpolate || ((format, values) => format.replace("%s", values[0]));
  const HEADING = /^heading (\d)$/i;

  function translate(text) {
    const heading = HEADING.exec(text);
    return heading ? interpolate(gettext("Heading %s"), [heading[1]]) : gettext(text);
  }

  function translateButton(button) {
    for (const name of ["title", "aria-label"]) {
      const text = button.getAttribute(name);
      if (text) {
        button.setAttribute(name, translate(text));
      }
    }
  }

  function translateMenu(menu) {
    menu.querySelectorAll("button").forEach(translateButton);
    // The block-type picker names each kind in its own style: "Heading 2", "Paragraph".
    menu.querySelectorAll(".prose-menubar__option > *").forEach((option) => {
      option.textContent = translate(option.textContent);
    });
  }

  document.addEventListener("prose-editor:ready", (event) => {
    const { editor } = event.detail;
    // The menu is built when the editor emits "create", after this event.
    const build = () => {
      const menu = editor.view.dom.parentElement.querySelector(".prose-menubar");
      if (!menu) {
        return;
      }
      translateMenu(menu);
      // The picker shows a fresh copy of the current block's button at each change.
      new MutationObserver((mutations) => {
        for (const mutation of mutations) {
          mutation.addedNodes.forEach((node) => {
            if (node instanceof HTMLButtonElement) {
              translateButton(node);
            }
          });
        }
      }).observe(menu, { childList: true, subtree: true });
    };
    if (editor.isInitialized) {
      build();
    } else {
      editor.on("create", build);
    }
  });
}
