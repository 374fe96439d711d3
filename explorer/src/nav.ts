/** The header shared by the pages (title and navigation), marking the current page for screen readers. */
const PAGES = [
  { href: './grid.html', label: '1 · Scalar factorization grid study' },
  { href: './eos.html', label: '2 · Edge of stability live' },
  { href: './norm.html', label: '3 · Norm versus sharpness' },
];

export function renderHeader(current: string): void {
  const header = document.querySelector('header');
  if (header === null) return;
  const links = PAGES.map((p) => `<a href="${p.href}"${p.href.endsWith(current) ? ' aria-current="page"' : ''}>${p.label}</a>`).join('');
  header.innerHTML = `<h1><a href="./index.html" style="color:inherit;text-decoration:none">eos-lab explorer</a></h1><nav aria-label="Pages">${links}</nav>`;
}
