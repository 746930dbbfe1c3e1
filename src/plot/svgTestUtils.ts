import { XMLValidator } from 'fast-xml-parser';

/** For tests: true when `svg` is well-formed XML with an <svg> root; otherwise the parser's error text. */
export function svgParseError(svg: string): string | null {
  const result = XMLValidator.validate(svg);
  if (result !== true) return `${result.err.code} at line ${result.err.line}: ${result.err.msg}`;
  return /^\s*<svg[\s>]/.test(svg) ? null : 'root element is not <svg>';
}

/** Every text label drawn in a Vega SVG (axis titles, tick labels, legend and title text), unescaped. */
export function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&'),
  );
}
