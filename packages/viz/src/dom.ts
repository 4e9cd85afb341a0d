// A DOM for d3 in Node (jsdom), shared by every drawing, and XML serialisation of SVG elements.
import { JSDOM } from 'jsdom';

let shared: JSDOM | undefined;

function dom(): JSDOM {
  shared ??= new JSDOM('<!DOCTYPE html><html><body></body></html>');
  return shared;
}

/** The shared document (drawings are created detached from its body). */
export function svgDocument(): Document {
  return dom().window.document;
}

/** A detached `<svg>` element of `width` x `height` with a viewBox (the serialiser writes its namespace). */
export function createSvg(width: number, height: number): SVGSVGElement {
  const doc = svgDocument();
  const svg = doc.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  return svg;
}

/**
 * The element as XML text. Text and attribute values are escaped by the serialiser, so names from a
 * scenario file (`<script>`) stay text.
 */
export function serialize(el: Element): string {
  const xml = new (dom().window.XMLSerializer)().serializeToString(el);
  // XML 1.0 cannot hold most control characters, even escaped: a name that carries one gets U+FFFD.
  return xml.replace(XML_FORBIDDEN, '\uFFFD');
}

// Characters outside XML 1.0's Char production (tab, line feed and carriage return are allowed).
// eslint-disable-next-line no-control-regex
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** A standalone SVG file: XML declaration, the drawing, final newline. */
export function svgFile(svg: SVGSVGElement): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${serialize(svg)}\n`;
}
