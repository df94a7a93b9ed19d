// Building the page safely: every text goes in as a text node (names come
// from imports and are never parsed as HTML), attributes via setAttribute.

// el('a', {href: '#'}, 'text', child...) -> element. Attribute values of
// null/undefined/false are left out; `true` sets an empty attribute.
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

// Appends strings (as text), numbers and nodes; nested arrays are flattened.
export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

// 83.4 -> "1:23"; 4000 -> "1:06:40".
export function format_clock(secs) {
  const total = Math.max(0, Math.floor(secs));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

// Screen time: "4.2 s" under a minute, else a clock.
export function format_screen_time(secs) {
  return secs < 60 ? `${secs.toFixed(1)} s` : format_clock(secs);
}

// Reads a non-negative integer out of `text`, or null.
export function parse_frame(text) {
  return /^\s*\d+\s*$/.test(text || '') ? Number.parseInt(text, 10) : null;
}
