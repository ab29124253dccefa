/// <reference lib="dom" />
// What the browser test looks for on the rendered page, as functions evaluated in the page (they must be
// self-contained: playwright serialises them). Each returns the offending items, so a failure names them.

export interface Box { x: number; y: number; w: number; h: number }

/** Elements whose text is wider or taller than their own box, and the page's horizontal overflow. */
export function textOverflow(): string[] {
  const out: string[] = [];
  if (document.documentElement.scrollWidth > window.innerWidth + 1) out.push(`page is ${document.documentElement.scrollWidth}px wide in a ${window.innerWidth}px window`);
  for (const el of Array.from(document.querySelectorAll<HTMLElement>('body *'))) {
    if (el.closest('svg')) continue;
    const style = getComputedStyle(el);
    if (style.display === 'inline' || style.display === 'none' || el.clientWidth === 0) continue;
    if (el.scrollWidth > el.clientWidth + 1) out.push(`<${el.tagName.toLowerCase()}> "${(el.textContent ?? '').trim().slice(0, 60)}": content ${el.scrollWidth}px in a ${el.clientWidth}px box`);
  }
  return out;
}

/** Pairs of visible SVG text labels whose boxes overlap by more than 1 px each way, per chart. */
export function overlappingLabels(): string[] {
  const out: string[] = [];
  for (const fig of Array.from(document.querySelectorAll('figure[data-chart]'))) {
    const name = fig.getAttribute('data-chart');
    const texts = Array.from(fig.querySelectorAll('svg text'))
      .filter((t) => (t.textContent ?? '').trim() !== '' && !t.closest('[opacity="0"]') && t.getAttribute('opacity') !== '0')
      .map((t) => ({ text: (t.textContent ?? '').trim(), r: t.getBoundingClientRect() }))
      .filter((t) => t.r.width > 0 && t.r.height > 0);
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        const a = texts[i] as (typeof texts)[number];
        const b = texts[j] as (typeof texts)[number];
        const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
        const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
        if (w > 1 && h > 1) out.push(`${name}: "${a.text}" overlaps "${b.text}"`);
      }
    }
  }
  return out;
}

/** Per chart: how many data marks it draws, and those that stick out of their plot area by more than 1.5 px. */
export function marksInPlot(): { chart: string; marks: number; outside: string[] }[] {
  const tolerance = 1.5;
  return Array.from(document.querySelectorAll('figure[data-chart]')).map((fig) => {
    const chart = fig.getAttribute('data-chart') ?? '?';
    const svg = fig.querySelector('svg') as SVGSVGElement;
    let marks = 0;
    const outside: string[] = [];
    for (const group of Array.from(svg.querySelectorAll('g.role-mark'))) {
      // the plot area is the nearest enclosing group item with a real background (a cell, or the root plot)
      let area: DOMRect | null = null;
      for (let p = group.parentElement; p && p !== (svg as unknown as HTMLElement) && !area; p = p.parentElement) {
        const bg = p.querySelector(':scope > path.background');
        const r = bg?.getBoundingClientRect();
        if (r && r.width > 2 && r.height > 2) area = r;
      }
      if (!area) continue;
      for (const item of Array.from(group.children)) {
        const r = item.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        marks++;
        if (r.left < area.left - tolerance || r.right > area.right + tolerance || r.top < area.top - tolerance || r.bottom > area.bottom + tolerance) {
          outside.push(`${group.getAttribute('class')} item at [${r.left.toFixed(0)}, ${r.top.toFixed(0)}, ${r.right.toFixed(0)}, ${r.bottom.toFixed(0)}] outside [${area.left.toFixed(0)}, ${area.top.toFixed(0)}, ${area.right.toFixed(0)}, ${area.bottom.toFixed(0)}]`);
        }
      }
    }
    return { chart, marks, outside };
  });
}

/** Per chart: the smallest text size as drawn (font size × the scale the page applies to the SVG), px. */
export function smallestChartText(): { chart: string; px: number }[] {
  return Array.from(document.querySelectorAll('figure[data-chart]')).map((fig) => {
    const svg = fig.querySelector('svg') as SVGSVGElement;
    const scale = svg.getBoundingClientRect().width / Number(svg.getAttribute('width'));
    const sizes = Array.from(svg.querySelectorAll('text')).filter((t) => (t.textContent ?? '').trim() !== '').map((t) => parseFloat(getComputedStyle(t).fontSize) || parseFloat(t.getAttribute('font-size') ?? '11'));
    return { chart: fig.getAttribute('data-chart') ?? '?', px: Math.min(...sizes) * scale };
  });
}

/** Bottom edges of the headline and the answers, px from the top of the page. */
export function firstScreen(): { headline: number | null; answers: number | null; answerCount: number; headlineText: string } {
  const bottom = (sel: string) => document.querySelector(sel)?.getBoundingClientRect().bottom ?? null;
  return { headline: bottom('#headline'), answers: bottom('#answers'), answerCount: document.querySelectorAll('#answers dd').length, headlineText: document.querySelector('#headline')?.textContent ?? '' };
}

/** Axes with more than 12 numeric tick labels (a quantitative axis stepping every 0.05 is unreadable on a
 * projector); rows of configuration names are not counted. */
export function crowdedAxes(): string[] {
  const max = 12;
  const out: string[] = [];
  for (const fig of Array.from(document.querySelectorAll('figure[data-chart]'))) {
    for (const group of Array.from(fig.querySelectorAll('g.role-axis-label'))) {
      // labels vega hid to avoid overlap are drawn with opacity 0: only the visible ones crowd the axis
      const labels = Array.from(group.querySelectorAll('text')).filter((t) => t.getAttribute('opacity') !== '0').map((t) => (t.textContent ?? '').trim()).filter(Boolean);
      const numeric = labels.filter((l) => /^[−+-]?[\d.,]+[%×]?$/.test(l));
      if (numeric.length > max) out.push(`${fig.getAttribute('data-chart')}: ${numeric.length} tick labels (${numeric.slice(0, 4).join(', ')}, …)`);
    }
  }
  return out;
}
