// The Kanban board (templates/projects/board.html) and the backlog (templates/projects/backlog.html).
//
// Both pages are rendered on the server; SortableJS only lets a card (or a backlog row) be
// dragged. A drop POSTs {task, status, before, after, version} to the page's move URL; the
// server moves the task through board_services (progress and the schedule follow) and answers
// with the card's new markup and the whole project's cards and points per column (the WIP
// counts: a filtered board shows fewer cards than a limit counts), so the board is never
// reloaded. A refusal (a blocking WIP limit: 400, no right: 403) is shown and the card goes back
// where it was; a stale card (409) goes where it really is now.
// Long columns are lazy: each ends with a "Show more" item that htmx swaps for the next cards
// (on click, or when scrolled into view); a card already on the board is not shown twice.
// Keyboard: a focused card moves to the next or previous column with Alt+→ / Alt+← and up or
// down its column with Alt+↑ / Alt+↓; ↑/↓ alone moves the focus between cards.
import Sortable from "sortablejs";

import "./board.css";

function say(status, text, isError) {
  if (!status) return;
  status.hidden = !text;
  status.textContent = text || "";
  status.classList.toggle("error", Boolean(isError));
}

async function post(url, csrf, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
    credentials: "same-origin",
    body: JSON.stringify(body),
  });
  let data = {};
  try {
    data = await response.json();
  } catch {
    data = { detail: `The server answered ${response.status}.` };
  }
  return { ok: response.ok, status: response.status, data };
}

// Put a dragged element back exactly where it came from.
function putBack(event) {
  const { item, from, oldIndex } = event;
  const reference = from.children[oldIndex] || null;
  from.insertBefore(item, reference === item ? item.nextSibling : reference);
}

function nextId(item) {
  const next = item.nextElementSibling;
  return next && next.dataset.taskId ? Number(next.dataset.taskId) : null;
}

// The card just above `item` in its list (a drop under the last card a lazy column shows).
function previousId(item) {
  const previous = item.previousElementSibling;
  return previous && previous.dataset.taskId ? Number(previous.dataset.taskId) : null;
}

// A lazy column's "Show more" item stays last, whatever was dropped around it.
function moreLast(list) {
  const more = list.querySelector(":scope > [data-board-more], :scope > [data-more]");
  if (more && more !== list.lastElementChild) list.appendChild(more);
}

function fromHtml(html) {
  const template = document.createElement("template");
  template.innerHTML = html.trim();
  return template.content.firstElementChild;
}

function updateCounts(root, counts, points) {
  if (points) {
    root.querySelectorAll("[data-points-for]").forEach((badge) => {
      badge.textContent = `${points[badge.dataset.pointsFor] || 0} pt`;
    });
  }
  if (!counts) return;
  root.querySelectorAll("[data-count-for]").forEach((badge) => {
    const column = badge.closest(".board-column");
    const limit = column ? column.dataset.wipLimit : "";
    const count = counts[badge.dataset.countFor] || 0;
    const blocking = badge.dataset.blocking === "true" ? " (blocking)" : "";
    badge.textContent = limit ? `${count} / ${limit}${blocking}` : `${count}`;
    root.querySelectorAll(`.board-column[data-status-id="${badge.dataset.countFor}"]`).forEach(
      (col) => col.classList.toggle("over-limit", Boolean(limit) && count > Number(limit)),
    );
  });
}

// The list of the same swimlane showing `statusId` (a card stays in its lane).
function listFor(list, statusId) {
  const lane = list.closest(".board-lane") || document;
  return lane.querySelector(`.board-cards[data-status-id="${statusId}"]`);
}

// Save a card's new place. `undo` puts it back when the server refuses.
async function saveMove(root, status, item, undo) {
  const { moveUrl, csrf } = root.dataset;
  const list = item.parentElement;
  moreLast(list);
  const before = nextId(item);
  const body = {
    task: Number(item.dataset.taskId),
    status: Number(list.dataset.statusId),
    before,
    after: before === null ? previousId(item) : null,
    version: Number(item.dataset.version),
  };
  say(status, "Saving…");
  const answer = await post(moveUrl, csrf, body);
  if (answer.ok) {
    item.dataset.version = answer.data.card.version;
    const fresh = answer.data.html ? fromHtml(answer.data.html) : null;
    if (fresh && item.parentElement) {
      // The card as it is now (progress, dates): swapped in place, focus kept.
      const focused = document.activeElement === item;
      item.replaceWith(fresh);
      if (focused) fresh.focus();
    }
    const text = [answer.data.message, answer.data.warning].filter(Boolean).join(" ");
    say(status, text, Boolean(answer.data.warning));
  } else {
    const current = answer.status === 409 ? answer.data.current : null;
    const there = current && current.status ? listFor(list, current.status) : null;
    if (there) {
      there.appendChild(item);
      item.dataset.version = current.version;
    } else {
      undo();
      if (current) item.dataset.version = current.version;
    }
    say(status, answer.data.detail || `Not moved (${answer.status}).`, true);
  }
  updateCounts(root, answer.data.counts, answer.data.points);
  return answer.ok;
}

function keyboardMove(root, status, event) {
  const item = event.target.closest(".board-card");
  if (!item || event.target !== item) return;
  const cards = Array.from(root.querySelectorAll(".board-card"));
  if (!event.altKey && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
    const step = event.key === "ArrowDown" ? 1 : -1;
    const next = cards[cards.indexOf(item) + step];
    if (next) next.focus();
    event.preventDefault();
    return;
  }
  if (!event.altKey) return;
  const list = item.parentElement;
  const origin = { list, next: item.nextSibling };
  const undo = () => origin.list.insertBefore(item, origin.next);
  if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
    const row = Array.from(list.closest(".board-row").querySelectorAll(".board-cards"));
    const target = row[row.indexOf(list) + (event.key === "ArrowRight" ? 1 : -1)];
    if (!target) return;
    // Under the last card shown (a lazy column's "Show more" stays last).
    target.insertBefore(item, target.querySelector(":scope > [data-board-more]"));
  } else if (event.key === "ArrowUp" && item.previousElementSibling) {
    list.insertBefore(item, item.previousElementSibling);
  } else if (event.key === "ArrowDown" && nextId(item) !== null) {
    list.insertBefore(item, item.nextElementSibling.nextSibling);
  } else {
    return;
  }
  event.preventDefault();
  item.focus();
  saveMove(root, status, item, () => {
    undo();
    item.focus();
  });
}

// Cards a "Show more" brought that the board already shows (moved there meanwhile) go.
function dropRepeats(root, loaded) {
  if (!loaded.classList || !loaded.classList.contains("board-card")) return;
  const id = loaded.dataset.taskId;
  const same = root.querySelectorAll(`.board-card[data-task-id="${id}"]`);
  if (same.length > 1) loaded.remove();
}

function initBoard() {
  const root = document.getElementById("board");
  if (!root) return;
  root.addEventListener("htmx:load", (event) => dropRepeats(root, event.target));
  if (root.dataset.canMove !== "true") return;
  const status = document.querySelector("[data-board-status]");
  root.addEventListener("keydown", (event) => keyboardMove(root, status, event));
  root.querySelectorAll(".board-cards").forEach((list) => {
    Sortable.create(list, {
      group: "board",
      animation: 120,
      // Pointer events rather than native drag and drop: the same on touch screens.
      forceFallback: true,
      draggable: ".board-card",
      onEnd: (event) => {
        if (event.from === event.to && event.oldIndex === event.newIndex) return;
        saveMove(root, status, event.item, () => putBack(event));
      },
    });
  });
}

function initBacklog() {
  const root = document.getElementById("backlog");
  if (!root || root.dataset.canPlan !== "true") return;
  const status = document.querySelector("[data-backlog-status]");
  const { moveUrl, csrf } = root.dataset;
  root.querySelectorAll(".backlog-list").forEach((list) => {
    Sortable.create(list, {
      animation: 120,
      forceFallback: true,
      handle: ".backlog-handle",
      draggable: ".backlog-row",
      onEnd: async (event) => {
        const { item } = event;
        if (event.oldIndex === event.newIndex) return;
        moreLast(list);
        const before = nextId(item);
        const answer = await post(moveUrl, csrf, {
          task: Number(item.dataset.taskId),
          before,
          after: before === null ? previousId(item) : null,
          version: Number(item.dataset.version),
        });
        if (answer.ok) {
          item.dataset.version = answer.data.version;
          say(status, "Order saved.");
        } else {
          putBack(event);
          say(status, answer.data.detail || `Not saved (${answer.status}).`, true);
        }
      },
    });
  });
}

export function initAgile() {
  initBoard();
  initBacklog();
}
