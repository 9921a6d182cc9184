// The chart's rows, built once per payload: days as integers, the outline tree, which rows are
// shown (children of collapsed summaries are not), and each task's links in both directions.
// Everything here is linear in the number of tasks; the renderer only ever touches the rows in
// view, so a 5,000-task plan costs one pass here and then a few dozen rows per frame.
import { dayNumber } from "./time.js";

// Bits of a row's "flags" column (projects/schedule/gantt.py).
const CRITICAL = 1;
const MILESTONE = 2;
const SUMMARY = 4;

// The server sends each task as one array in the order of its `columns` (ROW_COLUMNS in
// projects/schedule/gantt.py): days as day numbers, flags as bits, links as [id, type, lag?],
// and no baseline columns when the task has no baseline. This turns one into the object the
// chart works with; planners (`canEdit`) may drag every bar but a summary's.
export function decodeRow(raw, canEdit) {
  const [id, parent, wbs, name, s, f, progress, flags, floatLabel, version, links, bs, bf] = raw;
  const summary = (flags & SUMMARY) !== 0;
  return {
    id,
    parent,
    wbs,
    name,
    s,
    f,
    bs: bs ?? null,
    bf: bf ?? null,
    progress,
    critical: (flags & CRITICAL) !== 0,
    milestone: (flags & MILESTONE) !== 0,
    summary,
    float_label: floatLabel,
    version,
    can_edit: canEdit && !summary,
    dependencies: links.map(([from, type, lag]) => ({ id: from, type, lag_label: lag || "" })),
  };
}

// The chart's data with its rows decoded (`tasks`), as `buildModel` takes it.
export function decodeData(raw) {
  const { rows, ...data } = raw;
  return { ...data, tasks: (rows || []).map((row) => decodeRow(row, Boolean(raw.can_edit))) };
}

export function buildModel(data, collapsed) {
  const rows = data.tasks;
  const byId = new Map();
  const outgoing = new Map(); // predecessor id -> [{ to, type, lag }] (lag: the server's label)
  let first = Infinity;
  let last = -Infinity;
  for (let pos = 0; pos < rows.length; pos++) {
    const row = rows[pos];
    row.pos = pos;
    byId.set(row.id, row);
    const parent = row.parent == null ? null : byId.get(row.parent);
    row.depth = parent ? parent.depth + 1 : 0;
    row.hasChildren = false;
    if (parent) parent.hasChildren = true;
    for (const day of [row.s, row.f, row.bs, row.bf]) {
      if (day !== null) {
        if (day < first) first = day;
        if (day > last) last = day;
      }
    }
  }
  for (const row of rows) {
    for (const link of row.dependencies) {
      if (!byId.has(link.id)) continue;
      if (!outgoing.has(link.id)) outgoing.set(link.id, []);
      outgoing.get(link.id).push({ to: row.id, type: link.type, lag: link.lag_label });
    }
  }
  const today = dayNumber(data.today);
  const model = { data, rows, byId, outgoing, first, last, today, visible: [], index: new Map() };
  showRows(model, collapsed);
  return model;
}

// Which rows are on screen and at what index; a hidden row is drawn (for its links) at the
// index of its nearest shown ancestor. Rows come in outline (pre-)order, parents first.
export function showRows(model, collapsed) {
  const visible = [];
  const index = new Map();
  let hideBelow = Infinity; // depth of the collapsed summary whose subtree we are in
  let hiddenAt = 0; // ... and that summary's index
  for (const row of model.rows) {
    if (row.depth > hideBelow) {
      index.set(row.id, hiddenAt);
      continue;
    }
    hideBelow = Infinity;
    index.set(row.id, visible.length);
    row.collapsed = row.hasChildren && collapsed.has(row.id);
    if (row.collapsed) {
      hideBelow = row.depth;
      hiddenAt = visible.length;
    }
    visible.push(row);
  }
  model.visible = visible;
  model.index = index;
}

// Float and lags arrive as the server's labels ("-2d", "1.5h", "" for no lag), written in the
// task's own calendar by projects/schedule/durations.py: the chart never converts minutes
// itself, so it says what the task page says. These only lay a label out: "2d" -> "2 d".
function spaced(label) {
  return label.replace(/^-/, "").replace(/^([\d.]+)/, "$1 ");
}

// "float −2 d" for a task late against its constraints or deadline; "" otherwise.
export function floatText(row) {
  const label = row.float_label;
  return label && label.startsWith("-") ? `float −${spaced(label)}` : "";
}

const LINK_NAMES = { FS: "finish-to-start", SS: "start-to-start", FF: "finish-to-finish", SF: "start-to-finish" };

// `lag` is the link's label: "2d" is a lag, "-1d" a lead, "" none.
export function linkTitle(from, to, type, lag) {
  const lagText = lag ? `, ${lag.startsWith("-") ? "lead" : "lag"} ${spaced(lag)}` : "";
  return `${from.wbs} → ${to.wbs}: ${LINK_NAMES[type] || type}${lagText}`;
}
