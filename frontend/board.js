// The Kanban board (templates/projects/board.html) and the backlog (templates/projects/backlog.html).
//
// Both pages are rendered on the server; SortableJS only lets a card (or a backlog row) be
// dragged. A drop POSTs {task, status, before, version} to the page's move URL; the server moves
// the task through board_services (progress and the schedule follow) and answers with the card's
// new version. A refusal (a stale card: 409, a blocking WIP limit: 400, no right: 403) is shown
// and the card goes back where it was.
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

function updateCounts(root) {
  const counts = new Map();
  root.querySelectorAll(".board-cards").forEach((list) => {
    const id = list.dataset.statusId;
    counts.set(id, (counts.get(id) || 0) + list.querySelectorAll(".board-card").length);
  });
  root.querySelectorAll("[data-count-for]").forEach((badge) => {
    const column = badge.closest(".board-column");
    const limit = column ? column.dataset.wipLimit : "";
    const count = counts.get(badge.dataset.countFor) || 0;
    const blocking = badge.dataset.blocking === "true" ? " (blocking)" : "";
    badge.textContent = limit ? `${count} / ${limit}${blocking}` : `${count}`;
    root.querySelectorAll(`.board-column[data-status-id="${badge.dataset.countFor}"]`).forEach(
      (col) => col.classList.toggle("over-limit", Boolean(limit) && count > Number(limit)),
    );
  });
}

function initBoard() {
  const root = document.getElementById("board");
  if (!root || root.dataset.canMove !== "true") return;
  const status = document.querySelector("[data-board-status]");
  const { moveUrl, csrf } = root.dataset;
  root.querySelectorAll(".board-cards").forEach((list) => {
    Sortable.create(list, {
      group: "board",
      animation: 120,
      // Pointer events rather than native drag and drop: the same on touch screens.
      forceFallback: true,
      draggable: ".board-card",
      onEnd: async (event) => {
        const { item } = event;
        if (event.from === event.to && event.oldIndex === event.newIndex) return;
        const body = {
          task: Number(item.dataset.taskId),
          status: Number(event.to.dataset.statusId),
          before: nextId(item),
          version: Number(item.dataset.version),
        };
        say(status, "Saving…");
        const answer = await post(moveUrl, csrf, body);
        if (answer.ok) {
          item.dataset.version = answer.data.card.version;
          const text = [answer.data.message, answer.data.warning].filter(Boolean).join(" ");
          say(status, text, Boolean(answer.data.warning));
        } else {
          putBack(event);
          if (answer.status === 409 && answer.data.current) {
            item.dataset.version = answer.data.current.version;
          }
          say(status, answer.data.detail || `Not moved (${answer.status}).`, true);
        }
        updateCounts(root);
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
        const answer = await post(moveUrl, csrf, {
          task: Number(item.dataset.taskId),
          before: nextId(item),
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
