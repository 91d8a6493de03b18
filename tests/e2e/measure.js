// Measures what the 适老化 rules ask for on the current page: text sizes, line heights,
// button heights and text contrast. Returned as plain data for the test to assert on.
() => {
  const parse = (c) => { const m = c.match(/[\d.]+/g).map(Number); return {r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1}; };
  const lum = ({r, g, b}) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = (el) => { for (let n = el; n; n = n.parentElement) { const c = parse(getComputedStyle(n).backgroundColor); if (c.a > 0.5) return c; } return {r: 255, g: 255, b: 255, a: 1}; };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode; const el = node.parentElement;
    if (!node.textContent.trim() || !el || el.closest('[aria-hidden=true]')) continue;
    const style = getComputedStyle(el); const rect = el.getBoundingClientRect();
    if (style.visibility === 'hidden' || style.display === 'none' || rect.width === 0) continue;
    const size = parseFloat(style.fontSize);
    const lh = style.lineHeight === 'normal' ? size * 1.2 : parseFloat(style.lineHeight);
    texts.push({text: node.textContent.trim().slice(0, 30), tag: el.tagName, cls: el.className, size, lineHeight: lh / size,
                contrast: ratio(parse(style.color), background(el))});
  }
  const buttons = [...document.querySelectorAll('.weui-btn, button, .main-btn')].filter((b) => b.getBoundingClientRect().width > 0)
    .map((b) => ({text: b.textContent.trim().slice(0, 20), height: b.getBoundingClientRect().height, width: b.getBoundingClientRect().width, main: b.matches('.main-btn, .weui-btn_primary')}));
  const body = getComputedStyle(document.body);
  return {bodySize: parseFloat(body.fontSize), texts, buttons, pageWidth: document.documentElement.scrollWidth};
}
