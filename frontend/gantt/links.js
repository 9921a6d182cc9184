// Dependency arrows. Each link type leaves and enters its bars at the ends it relates:
// FS finish -> start, SS start -> start, FF finish -> finish, SF start -> finish; the arrow
// always arrives pointing into the end it constrains (rightwards into a start, leftwards into
// a finish), so the four types look different at a glance, as in Microsoft Project.
const SVG = "http://www.w3.org/2000/svg";
const GAP = 8; // how far a route runs out of a bar's end before it turns

// A route from (sx, sy) leaving in direction `out` (+1 rightwards out of a finish, -1 leftwards
// out of a start) to (tx, ty) arriving in direction `into` (+1 into a start, -1 into a finish).
export function route(sx, sy, out, tx, ty, into, rowHeight) {
  const a = sx + out * GAP;
  const b = tx - into * GAP;
  if (out !== into) {
    // SS / FF: run out past both ends, then along the successor's row into its end.
    const turn = out > 0 ? Math.max(a, b) : Math.min(a, b);
    return `M${sx},${sy}H${turn}V${ty}H${tx}`;
  }
  if (into * (b - a) >= 0) return `M${sx},${sy}H${a}V${ty}H${tx}`;
  // FS / SF whose ends overlap in time: step between the rows, back, and in.
  const between = ty > sy ? sy + rowHeight / 2 : sy - rowHeight / 2;
  return `M${sx},${sy}H${a}V${between}H${b}V${ty}H${tx}`;
}

export function svgElement(tag, attrs = {}, parent = null) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, value);
  if (parent) parent.appendChild(element);
  return element;
}

export function arrowMarkers(svg) {
  const defs = svgElement("defs", {}, svg);
  for (const [id, kind] of [
    ["lg-arrow", "normal"],
    ["lg-arrow-critical", "critical"],
  ]) {
    const marker = svgElement(
      "marker",
      {
        id,
        viewBox: "0 0 8 8",
        refX: "8",
        refY: "4",
        markerWidth: "7",
        markerHeight: "7",
        orient: "auto",
        markerUnits: "userSpaceOnUse",
      },
      defs,
    );
    svgElement("path", { d: "M0,0L8,4L0,8z", class: `lg-arrowhead lg-arrowhead-${kind}` }, marker);
  }
}
