/**
 * HTML by tagged template, escaped by default: every `${value}` is text unless it is an
 * `Html` made by `html` itself or by `raw()` for markup we wrote. Text from chat reports and
 * directive files can therefore never become markup (a report "<script>" shows as text).
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

type Part = Html | string | number | boolean | null | undefined | Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return "";
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(render).join("");
  return escape(String(part));
}

/**
 * @example
 * html`<p title="${report.text}">${report.text}</p>` // both escaped
 */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0] ?? "";
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? "");
  });
  return new Html(out);
}

/** Markup we wrote ourselves (never user text). */
export function raw(markup: string): Html {
  return new Html(markup);
}
