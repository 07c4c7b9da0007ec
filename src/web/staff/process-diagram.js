import { h, svg } from '/assets/dom.js';
import { pick, t } from '/assets/i18n.js';

const BOX_W = 200;
const COL_GAP = 120;
const ROW_GAP = 22;
const HEADER = 28;
const CHILD_H = 26;
const LINE_H = 15;

/**
 * The process drawn from its machine definition (GET /processes/:id/:version/graph): top-level states in columns by
 * distance from the start, compound and parallel states with their children inside, the current state highlighted and
 * the transitions the reader may take now in blue.
 */
export function processDiagram(graph, app) {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const topOf = (id) => {
    let node = byId.get(id);
    while (node?.parent) node = byId.get(node.parent);
    return node?.id ?? id;
  };
  const active = activeStates(app.state);
  const allowed = new Set(app.allowedEvents ?? []);
  // The server marks the events no person sends (deadlines, effects' results, the join of branches).
  const system = new Set(graph.edges.filter((e) => e.system).map((e) => e.event));
  const tops = graph.nodes.filter((n) => !n.parent);

  // Transitions that stay inside one top-level state are written inside its box; the others are drawn as arrows.
  const inner = new Map(tops.map((n) => [n.id, []]));
  const arrows = new Map();
  for (const e of graph.edges) {
    const fromTop = topOf(e.from);
    const toTop = e.to === null ? fromTop : topOf(e.to);
    if (fromTop === toTop) {
      const line = `${pick(e.label)} → ${e.to === null || e.to === e.from ? '↻' : pick(byId.get(e.to).label)}`;
      if (!inner.get(fromTop).some((x) => x.line === line)) inner.get(fromTop).push({ line, event: e.event, from: e.from });
      continue;
    }
    const key = `${e.from}->${toTop}`;
    const arrow = arrows.get(key) ?? { from: e.from, fromTop, to: toTop, events: [], labels: [] };
    if (!arrow.events.includes(e.event)) {
      arrow.events.push(e.event);
      arrow.labels.push(pick(e.label));
    }
    arrows.set(key, arrow);
  }

  // An event that leads from many states to one target (撤回) is written once under the diagram instead of as many arrows.
  const shared = [];
  const byEvent = new Map();
  for (const a of arrows.values()) for (const event of a.events) (byEvent.get(`${event}->${a.to}`) ?? byEvent.set(`${event}->${a.to}`, []).get(`${event}->${a.to}`)).push(a);
  for (const [key, list] of byEvent) {
    if (new Set(list.map((a) => a.fromTop)).size < 3) continue;
    const [event] = key.split('->');
    const first = list[0];
    shared.push({ event, to: first.to, label: first.labels[first.events.indexOf(event)], from: list.map((a) => a.from) });
    for (const a of list) {
      const i = a.events.indexOf(event);
      a.events.splice(i, 1);
      a.labels.splice(i, 1);
    }
  }
  for (const [key, a] of arrows) if (!a.events.length) arrows.delete(key);

  const column = columnsOf(graph, tops, [...arrows.values()]);
  const layout = new Map();
  const sizeOf = (n) => {
    const children = graph.nodes.filter((c) => c.parent === n.id);
    const regions = n.type === 'parallel' ? children.map((r) => ({ node: r, children: graph.nodes.filter((c) => c.parent === r.id) })) : null;
    const bodyH = regions
      ? regions.reduce((sum, r) => sum + 22 + r.children.length * (CHILD_H + 4) + 6, 0)
      : children.length * (CHILD_H + 4);
    return { children, regions, height: HEADER + bodyH + inner.get(n.id).length * LINE_H + (children.length || inner.get(n.id).length ? 10 : 8) };
  };
  // Column by column, each state sits level with the states that lead to it (barycentre), in that order, without overlaps.
  const columns = Math.max(...column.values()) + 1;
  for (let col = 0; col < columns; col++) {
    const placed = tops.filter((n) => column.get(n.id) === col).map((n, order) => {
      const sources = [...arrows.values()].filter((a) => a.to === n.id && layout.has(a.fromTop)).map((a) => layout.get(a.fromTop));
      const want = sources.length ? sources.reduce((sum, b) => sum + b.y + b.h / 2, 0) / sources.length : null;
      return { n, order, want, ...sizeOf(n) };
    });
    placed.sort((p, q) => (p.want ?? Infinity) - (q.want ?? Infinity) || p.order - q.order);
    let y = 16;
    for (const p of placed) {
      const top = Math.max(y, p.want === null ? y : p.want - p.height / 2);
      layout.set(p.n.id, { x: 16 + col * (BOX_W + COL_GAP), y: top, w: BOX_W, h: p.height, node: p.n, children: p.children, regions: p.regions });
      y = top + p.height + ROW_GAP;
    }
  }
  const width = 16 + (Math.max(...column.values()) + 1) * (BOX_W + COL_GAP) - COL_GAP + 16;
  const height = Math.max(...[...layout.values()].map((b) => b.y + b.h)) + 16;

  const childBoxes = new Map();
  const stateGroups = [...layout.values()].map((box) => drawState(box, { active, inner: inner.get(box.node.id), childBoxes, allowed, system }));
  const edgeGroups = drawArrows([...arrows.values()], layout, childBoxes, { active, allowed, system });

  const currentLabels = [...active].filter((id) => !graph.nodes.some((n) => n.parent === id)).map((id) => pick(byId.get(id)?.label) || id);
  return h('figure.diagram', {},
    svg('svg', { viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', 'aria-labelledby': 'diagram-caption', class: 'process-svg' },
      svg('defs', {},
        marker('arrow', '#64748b'), marker('arrow-allowed', '#1d4ed8')),
      edgeGroups.map((e) => e.line), stateGroups, edgeGroups.map((e) => e.label)),
    h('figcaption#diagram-caption', {},
      t('diagramCaption', { process: `${graph.id} v${graph.version}`, current: currentLabels.join('、') }),
      shared.map((x) => h('span', {
        class: allowed.has(x.event) && x.from.some((f) => active.has(f)) ? 'shared-edge is-allowed' : 'shared-edge',
        text: t('sharedTransition', { states: [...new Set(x.from.map(topOf))].map((id) => pick(byId.get(id).label)).join('、'), event: x.label, target: pick(byId.get(x.to).label) }),
      })),
      h('span.legend', {},
        h('span.legend-current', { text: t('legendCurrent') }),
        h('span.legend-allowed', { text: t('legendAllowed') }),
        h('span.legend-system', { text: t('legendSystem') }))));
}

/** Every state path the application is in, with its ancestors: `review.active` → review, review.active. */
function activeStates(state) {
  const set = new Set();
  for (const path of String(state ?? '').split(',')) {
    const parts = path.split('.');
    for (let i = 1; i <= parts.length; i++) set.add(parts.slice(0, i).join('.'));
  }
  return set;
}

/** Columns by the longest path from the initial state over forward transitions; final states share the last column. */
function columnsOf(graph, tops, arrows) {
  const next = new Map(tops.map((n) => [n.id, new Set()]));
  for (const a of arrows) next.get(a.fromTop)?.add(a.to);
  const finals = new Set(tops.filter((n) => n.type === 'final').map((n) => n.id));
  const column = new Map();
  const onPath = new Set();
  const visit = (id, depth) => {
    if (finals.has(id) || onPath.has(id) || (column.get(id) ?? -1) >= depth) return;
    column.set(id, depth);
    onPath.add(id);
    for (const to of next.get(id) ?? []) visit(to, depth + 1);
    onPath.delete(id);
  };
  visit(graph.initial, 0);
  const last = Math.max(0, ...column.values()) + 1;
  for (const n of tops) if (!column.has(n.id)) column.set(n.id, finals.has(n.id) ? last : last - 1);
  return column;
}

function drawState(box, { active, inner, childBoxes, allowed, system }) {
  const { x, y, w, h: height, node, children, regions } = box;
  const isActive = active.has(node.id);
  const cls = ['state', `state-${node.type}`, isActive ? 'is-active' : ''].join(' ');
  const parts = [
    svg('rect', { x, y, width: w, height, rx: node.type === 'final' ? 14 : 6, class: 'state-box' }),
    node.type === 'final' ? svg('rect', { x: x + 3, y: y + 3, width: w - 6, height: height - 6, rx: 11, class: 'state-inner' }) : null,
    svg('text', { x: x + w / 2, y: y + 19, 'text-anchor': 'middle', class: 'state-label' }, pick(node.label)),
  ];
  let cy = y + HEADER;
  const child = (c, cx, cw) => {
    const on = active.has(c.id);
    childBoxes.set(c.id, { x: cx, y: cy, w: cw, h: CHILD_H });
    parts.push(svg('g', { class: `child ${on ? 'is-active' : ''}`, 'data-state': c.id },
      svg('rect', { x: cx, y: cy, width: cw, height: CHILD_H, rx: c.type === 'final' ? 10 : 4, class: 'child-box' }),
      svg('text', { x: cx + cw / 2, y: cy + 17, 'text-anchor': 'middle', class: 'child-label' }, pick(c.label))));
    cy += CHILD_H + 4;
  };
  if (regions) {
    for (const r of regions) {
      const top = cy;
      parts.push(svg('text', { x: x + 12, y: cy + 15, class: `region-label ${active.has(r.node.id) ? 'is-active' : ''}` }, pick(r.node.label)));
      cy += 22;
      for (const c of r.children) child(c, x + 16, w - 32);
      parts.push(svg('rect', { x: x + 8, y: top, width: w - 16, height: cy - top + 2, rx: 4, class: 'region-box' }));
      childBoxes.set(r.node.id, { x: x + 8, y: top, w: w - 16, h: cy - top });
      cy += 6;
    }
  } else {
    for (const c of children) child(c, x + 12, w - 24);
  }
  for (const line of inner) {
    const on = allowed.has(line.event) && active.has(line.from);
    parts.push(svg('text', { x: x + 10, y: cy + 11, class: `inner-edge ${on ? 'is-allowed' : ''} ${system.has(line.event) ? 'is-system' : ''}` }, line.line));
    cy += LINE_H;
  }
  return svg('g', { class: cls, 'data-state': node.id }, svg('title', {}, pick(node.label)), parts);
}

/** Arrows between top-level states; exits and entries are spread along the box sides so labels do not pile up. */
function drawArrows(arrows, layout, childBoxes, { active, allowed, system }) {
  const source = (a) => childBoxes.get(a.from) ?? layout.get(a.fromTop);
  const outgoing = new Map();
  const incoming = new Map();
  for (const a of arrows) {
    (outgoing.get(a.fromTop) ?? outgoing.set(a.fromTop, []).get(a.fromTop)).push(a);
    (incoming.get(a.to) ?? incoming.set(a.to, []).get(a.to)).push(a);
  }
  const centerY = (b) => b.y + b.h / 2;
  const exitY = new Map();
  for (const list of outgoing.values()) {
    const sorted = [...list].sort((p, q) => centerY(layout.get(p.to)) - centerY(layout.get(q.to)));
    sorted.forEach((a, i) => {
      const from = source(a);
      exitY.set(a, childBoxes.has(a.from) ? centerY(from) : from.y + ((i + 1) * from.h) / (sorted.length + 1));
    });
  }
  const entryY = new Map();
  for (const [to, list] of incoming) {
    const box = layout.get(to);
    const sorted = [...list].sort((p, q) => exitY.get(p) - exitY.get(q));
    sorted.forEach((a, i) => entryY.set(a, box.y + ((i + 1) * box.h) / (sorted.length + 1)));
  }

  return arrows.map((a) => {
    const fromTop = layout.get(a.fromTop);
    const to = layout.get(a.to);
    const forward = to.x > fromTop.x;
    const sx = forward ? fromTop.x + fromTop.w : fromTop.x;
    const sy = exitY.get(a);
    const tx = forward ? to.x : to.x + to.w;
    const ty = entryY.get(a);
    const bend = forward ? Math.max(40, (tx - sx) / 2) : -60;
    const c1 = [sx + bend, sy];
    const c2 = [tx - bend, ty + (forward ? 0 : 30)];
    const isAllowed = active.has(a.from) && a.events.some((e) => allowed.has(e));
    const isSystem = a.events.every((e) => system.has(e));
    const text = a.labels.join(' / ');
    const labelW = Math.min(BOX_W + COL_GAP, text.length * 11 + 8);
    // Into the next column the label sits just before the arrowhead; over longer spans, at the middle of the curve.
    const adjacent = forward && to.x - fromTop.x <= BOX_W + COL_GAP;
    const at = adjacent ? [tx - 8 - labelW / 2, ty - 9] : [(sx + 3 * c1[0] + 3 * c2[0] + tx) / 8, (sy + 3 * c1[1] + 3 * c2[1] + ty) / 8];
    const cls = `edge ${isAllowed ? 'is-allowed' : ''} ${isSystem ? 'is-system' : ''}`;
    return {
      line: svg('g', { class: cls, 'data-events': a.events.join(' ') },
        svg('path', { d: `M${sx},${sy} C${c1[0]},${c1[1]} ${c2[0]},${c2[1]} ${tx},${ty}`, class: 'edge-line', 'marker-end': `url(#${isAllowed ? 'arrow-allowed' : 'arrow'})` })),
      label: svg('g', { class: cls },
        svg('rect', { x: at[0] - labelW / 2, y: at[1] - 8, width: labelW, height: 15, rx: 3, class: 'edge-label-bg' }),
        svg('text', { x: at[0], y: at[1] + 3, 'text-anchor': 'middle', class: 'edge-label' }, text)),
    };
  });
}

function marker(id, colour) {
  return svg('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
    svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: colour }));
}
