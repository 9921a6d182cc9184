// Task pickers (templates/projects/partials/task_picker.html): a text box that searches the
// server as you type and a hidden input holding the id of the task picked, which the form posts.
// An organisation may hold tens of thousands of tasks, so they are searched, never listed.
//   [data-picker="<search url>"]  the picker; the url answers ?q= with {results: [{id, label}]}
//   [data-picker-input]           the text box (a combobox: arrows move, Enter picks, Esc closes)
//   [data-picker-value]           the hidden id; typing clears it until a task is picked again
//   [data-picker-options]         the listbox the answers are drawn in
//   [data-picker-status]          a live region that says how many tasks were found
// Listeners are delegated from the document, so pickers swapped in by htmx work as they come.
import "./picker.css";

const DELAY = 200; // ms after the last key before searching
const pending = new WeakMap(); // picker -> {timer, controller, asked}

function parts(picker) {
  return {
    input: picker.querySelector("[data-picker-input]"),
    value: picker.querySelector("[data-picker-value]"),
    list: picker.querySelector("[data-picker-options]"),
    status: picker.querySelector("[data-picker-status]"),
  };
}

function options(picker) {
  return Array.from(parts(picker).list.querySelectorAll("[role=option]"));
}

function close(picker) {
  const { input, list } = parts(picker);
  list.hidden = true;
  input.setAttribute("aria-expanded", "false");
  input.removeAttribute("aria-activedescendant");
}

function activate(picker, index) {
  const { input } = parts(picker);
  const all = options(picker);
  all.forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
  if (index >= 0 && all[index]) {
    input.setAttribute("aria-activedescendant", all[index].id);
    all[index].scrollIntoView({ block: "nearest" });
  } else {
    input.removeAttribute("aria-activedescendant");
  }
}

function activeIndex(picker) {
  return options(picker).findIndex((option) => option.getAttribute("aria-selected") === "true");
}

function choose(picker, option) {
  const { input, value, status } = parts(picker);
  value.value = option.dataset.id;
  input.value = option.textContent;
  input.removeAttribute("aria-invalid");
  status.textContent = `Picked ${option.textContent}.`;
  close(picker);
  value.dispatchEvent(new Event("change", { bubbles: true }));
}

function draw(picker, answer) {
  const { input, list, status } = parts(picker);
  list.replaceChildren();
  answer.results.forEach((task, index) => {
    const option = document.createElement("li");
    option.id = `${list.id}-${index}`;
    option.setAttribute("role", "option");
    option.setAttribute("aria-selected", "false");
    option.dataset.id = String(task.id);
    option.textContent = task.label; // text, never markup: names are typed by users
    list.append(option);
  });
  const found = answer.results.length;
  list.hidden = found === 0;
  input.setAttribute("aria-expanded", String(found > 0));
  status.textContent = found
    ? `${found}${answer.more ? " or more" : ""} task${found === 1 ? "" : "s"} found; arrows to move, Enter to pick.`
    : "No task matches.";
}

async function search(picker) {
  const { input } = parts(picker);
  const state = pending.get(picker) || {};
  state.controller?.abort(); // only the latest search may draw
  state.controller = new AbortController();
  state.asked = input.value;
  pending.set(picker, state);
  const url = new URL(picker.dataset.picker, window.location.href);
  url.searchParams.set("q", input.value.trim());
  try {
    const response = await fetch(url, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      signal: state.controller.signal,
    });
    if (!response.ok) throw new Error(String(response.status));
    const answer = await response.json();
    if (document.activeElement === input) draw(picker, answer);
  } catch (error) {
    if (error.name !== "AbortError") parts(picker).status.textContent = "The search failed.";
  }
}

function later(picker) {
  const state = pending.get(picker) || {};
  clearTimeout(state.timer);
  state.timer = setTimeout(() => search(picker), DELAY);
  pending.set(picker, state);
}

const pickerOf = (element) =>
  element instanceof Element ? element.closest("[data-picker]") : null;

document.addEventListener("input", (event) => {
  const picker = pickerOf(event.target);
  if (!picker || !event.target.matches("[data-picker-input]")) return;
  parts(picker).value.value = ""; // what is typed names no task until one is picked
  later(picker);
});

document.addEventListener("focusin", (event) => {
  const picker = pickerOf(event.target);
  if (picker && event.target.matches("[data-picker-input]") && !parts(picker).value.value) {
    later(picker); // suggestions before typing (an empty search answers the likeliest)
  }
});

document.addEventListener("focusout", (event) => {
  const picker = pickerOf(event.target);
  if (picker && !picker.contains(event.relatedTarget)) close(picker);
});

document.addEventListener("keydown", (event) => {
  const picker = pickerOf(event.target);
  if (!picker || !event.target.matches("[data-picker-input]")) return;
  const { list } = parts(picker);
  const count = options(picker).length;
  const index = activeIndex(picker);
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    if (list.hidden) {
      search(picker);
      return;
    }
    const step = event.key === "ArrowDown" ? 1 : -1;
    activate(picker, (index + step + count) % count);
  } else if (event.key === "Enter" && !list.hidden && index >= 0) {
    event.preventDefault(); // pick, do not submit the form yet
    choose(picker, options(picker)[index]);
  } else if (event.key === "Escape" && !list.hidden) {
    event.preventDefault();
    close(picker);
  }
});

// mousedown, not click: the text box would lose focus (and the list close) before a click
document.addEventListener("mousedown", (event) => {
  const option = event.target instanceof Element ? event.target.closest("[role=option]") : null;
  const picker = pickerOf(option);
  if (option && picker) {
    event.preventDefault();
    choose(picker, option);
  }
});
