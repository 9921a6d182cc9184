// The chart's rows, built once per payload: days as integers, the outline tree, which rows are
// shown (children of collapsed summaries are not), and each task's links in both directions.
// Everything here is linear in the number of tasks; the renderer only ever touches the rows in
// view, so a 5,000-task plan costs one pass here and then a few dozen rows per frame.
import { dayNumber } from "./time.js";

export const WORK_MINUTES_PER_DAY = 480; // the standard calendar's day, for float and lag labels

export function buildModel(data, collapsed) {
  const rows = data.tasks;
  const byId = new Map();
  const outgoing = new Map(); // predecessor id -> [{ to, type, lag }]
  let first = Infinity;
  let last = -Infinity;
  for (let pos = 0; pos < rows.length; pos++) {
    const row = rows[pos];
    row.pos = pos;
    byId.set(row.id, row);
    row.s = dayNumber(row.start);
    row.f = dayNumber(row.finish);
    row.bs = dayNumber(row.baseline_start);
    row.bf = dayNumber(row.baseline_finish);
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
      outgoing.get(link.id).push({ to: row.id, type: link.type, lag: link.lag_minutes });
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

export function floatDays(minutes) {
  return minutes === null || minutes === undefined
    ? null
    : Math.round((minutes / WORK_MINUTES_PER_DAY) * 10) / 10;
}

const LINK_NAMES = { FS: "finish-to-start", SS: "start-to-start", FF: "finish-to-finish", SF: "start-to-finish" };

export function linkTitle(from, to, type, lag) {
  const days = floatDays(lag);
  const lagText = days ? `, ${days > 0 ? "lag" : "lead"} ${Math.abs(days)} d` : "";
  return `${from.wbs} → ${to.wbs}: ${LINK_NAMES[type] || type}${lagText}`;
}
