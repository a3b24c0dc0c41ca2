/* Tabular inlines (photos, key figures, milestones) that do not fit beside the sidebar
   become one card per row, each field labelled with its column heading (admin-layout.css). */
"use strict";
{
  const CARDS = "inline-cards";

  function labelCells(table) {
    const headings = [...table.tHead.rows[0].cells].map((cell) => cell.textContent.trim());
    for (const row of table.tBodies[0].rows) {
      [...row.cells].forEach((cell, index) => {
        if (headings[index] && cell.colSpan === 1) {
          cell.dataset.label = headings[index];
        }
      });
    }
  }

  function fit(group) {
    const table = group.querySelector(".tabular table");
    group.classList.remove(CARDS);
    const room = table.parentElement.clientWidth;
    group.classList.toggle(CARDS, table.offsetWidth > room + 1);
  }

  function groups() {
    return [...document.querySelectorAll(".inline-group")].filter((group) =>
      group.querySelector(".tabular table thead"),
    );
  }

  function init() {
    const tabular = groups();
    if (!tabular.length) {
      return;
    }
    tabular.forEach((group) => labelCells(group.querySelector(".tabular table")));
    let width = null;
    new ResizeObserver((entries) => {
      const now = entries[0].contentRect.width;
      if (now !== width) {
        width = now;
        tabular.forEach(fit);
      }
    }).observe(document.getElementById("content-main") || document.body);
    document.addEventListener("formset:added", (event) => {
      const group = event.target.closest(".inline-group");
      if (group && tabular.includes(group)) {
        labelCells(group.querySelector(".tabular table"));
        fit(group);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}
