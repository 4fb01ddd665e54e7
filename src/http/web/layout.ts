import type { WebUser } from "../../app/index.ts";
import { html, raw, type Html } from "./html.ts";

/** The pages in the menu, in order. */
const NAV: { href: string; label: string; key: string }[] = [
  { href: "/overview", label: "Tổng quan", key: "overview" },
  { href: "/directives", label: "Văn bản chỉ đạo", key: "directives" },
  { href: "/people", label: "Cán bộ, đơn vị", key: "people" },
  { href: "/groups", label: "Nhóm Zalo", key: "groups" },
  { href: "/broadcasts", label: "Thông báo", key: "broadcasts" },
  { href: "/activity", label: "Nhật ký", key: "activity" },
];

const CSS = `
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2733;background:#f5f6f8}
header{background:#8b1a1a;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center}
header a{color:#fff;text-decoration:none;padding:.2rem .4rem;border-radius:4px}header a.on{background:rgba(255,255,255,.2)}
header .who{margin-left:auto;font-size:.9em}header form{display:inline}header button{background:none;border:1px solid #fff;color:#fff;border-radius:4px;padding:.1rem .5rem;cursor:pointer}
main{padding:1rem;max-width:1200px;margin:0 auto}h1{font-size:1.35rem;margin:.2rem 0 1rem}
table{border-collapse:collapse;background:#fff;width:100%}th,td{border:1px solid #d8dde3;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#eef1f4}.scroll{overflow-x:auto}.muted{color:#667}.flash{padding:.6rem .8rem;border-radius:6px;margin:.5rem 0 1rem}
.flash.ok{background:#e3f4e6;border:1px solid #9ccfa5}.flash.err{background:#fbe6e6;border:1px solid #e3a1a1}
input,select,textarea,button{font:inherit}input[type=text],input[type=password],input[type=date],select,textarea{padding:.35rem;border:1px solid #b9c2cc;border-radius:4px;max-width:100%}
button,.button{background:#8b1a1a;color:#fff;border:0;border-radius:4px;padding:.4rem .9rem;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary{background:#556}.bar{height:.6rem;background:#e3e6ea;border-radius:3px;overflow:hidden;min-width:6rem}.bar>span{display:block;height:100%;background:#2e7d32}
.warn{background:#fff4d6}.card{background:#fff;border:1px solid #d8dde3;border-radius:6px;padding:.8rem 1rem;margin:0 0 1rem}
@media (max-width:640px){main{padding:.6rem}th,td{padding:.25rem .3rem;font-size:.9em}}
`;

/**
 * The page shell: menu, who is signed in, sign-out (a CSRF-protected form).
 *
 * @example
 * reply.type("text/html").send(layout({ title: "Văn bản", user, csrf, active: "directives", body: html`…` }));
 */
export function layout(input: { title: string; user: WebUser | null; csrf: string; active?: string; body: Html; flash?: { ok?: string; err?: string } }): string {
  const { user } = input;
  return html`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${input.title} · dondoc</title><style>${raw(CSS)}</style></head>
<body>
<header><strong>dondoc</strong>
${user ? NAV.map((n) => html`<a href="${n.href}" class="${n.key === input.active ? "on" : ""}">${n.label}</a>`) : ""}
${user
  ? html`<span class="who">${user.person.fullName} · ${user.person.roles.includes("office") ? "Văn phòng" : "Lãnh đạo (chỉ xem)"}
<form method="post" action="/logout"><input type="hidden" name="_csrf" value="${input.csrf}"><button>Đăng xuất</button></form></span>`
  : ""}
</header>
<main>
${input.flash?.ok ? html`<div class="flash ok" role="status">${input.flash.ok}</div>` : ""}
${input.flash?.err ? html`<div class="flash err" role="alert">${input.flash.err}</div>` : ""}
${input.body}
</main>
</body></html>`.value;
}
