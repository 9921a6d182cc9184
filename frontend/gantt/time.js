// Days and zoom levels for the Gantt chart.
//
// The chart works in whole calendar days of the project's time zone, as the server sends them
// ("YYYY-MM-DD"). Inside, a day is an integer (days since 1970-01-01), so positions are cheap
// arithmetic; a zoom level is a width in pixels per day plus the ticks its header shows.

const DAY_MS = 24 * 60 * 60 * 1000;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export function dayNumber(iso) {
  if (!iso) return null;
  const [y, m, d] = iso.split("-").map(Number);
  return Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
}

export function isoDay(day) {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function parts(day) {
  const date = new Date(day * DAY_MS);
  return { y: date.getUTCFullYear(), m: date.getUTCMonth(), d: date.getUTCDate() };
}

function firstOfMonth(y, m) {
  return Math.round(Date.UTC(y, m, 1) / DAY_MS);
}

// 0 = Sunday ... 6 = Saturday (1 January 1970 was a Thursday).
export function weekday(day) {
  return (((day + 4) % 7) + 7) % 7;
}

export function mondayOnOrBefore(day) {
  return day - ((weekday(day) + 6) % 7);
}

export function readableDay(day) {
  const { y, m, d } = parts(day);
  return `${d} ${MONTHS[m]} ${y}`;
}

// Months (or quarters, step 3) whose first day falls in [from, to], plus the one before `from`.
function monthStarts(from, to, step) {
  const first = parts(from);
  let y = first.y;
  let m = first.m - (first.m % step);
  const out = [];
  for (;;) {
    const day = firstOfMonth(y, m);
    if (day > to) break;
    out.push({ day, y, m });
    m += step;
    if (m > 11) {
      m -= 12;
      y += 1;
    }
  }
  return out;
}

function years(from, to) {
  return monthStarts(from, to, 12).map(({ day, y }) => ({ day, label: String(y) }));
}

function months(from, to) {
  return monthStarts(from, to, 1).map(({ day, y, m }) => ({ day, label: `${MONTHS[m]} ${y}` }));
}

// Each zoom level: pixels per day, whether weekends are shaded, and the header's two tick rows
// (upper: wide periods; lower: the columns) for the days in [from, to].
export const ZOOMS = {
  Day: {
    px: 30,
    weekends: true,
    upper: months,
    lower: (from, to) => {
      const out = [];
      for (let day = from; day <= to; day++) out.push({ day, label: String(parts(day).d) });
      return out;
    },
  },
  Week: {
    px: 9,
    weekends: true,
    upper: months,
    lower: (from, to) => {
      const out = [];
      for (let day = mondayOnOrBefore(from); day <= to; day += 7) {
        const { m, d } = parts(day);
        out.push({ day, label: `${d} ${MONTHS[m]}` });
      }
      return out;
    },
  },
  Month: {
    px: 3,
    weekends: false,
    upper: years,
    lower: (from, to) => monthStarts(from, to, 1).map(({ day, m }) => ({ day, label: MONTHS[m] })),
  },
  Quarter: {
    px: 1.2,
    weekends: false,
    upper: years,
    lower: (from, to) =>
      monthStarts(from, to, 3).map(({ day, m }) => ({ day, label: `Q${m / 3 + 1}` })),
  },
};
