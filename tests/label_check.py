"""In-browser layout checks for plotly charts (used by tests/test_browser.py).

``CHECK_JS`` runs in the page and returns, for every drawn plotly chart: text drawn outside the
chart's box (tick labels, axis titles, legend entries, annotations, titles, colour-bar labels),
axis titles overlapping tick labels of their axis, legends overlapping axis text, and each legend
entry's label with the colour of its swatch.
"""

CHECK_JS = r"""() => {
  const TEXT = '.xtick text, .ytick text, .g-xtitle text, .g-ytitle text, .legendtext, .legendtitletext, '
             + '.annotation-text, .gtitle, .gtitle-subtitle, .cbaxis text, .cbtitle text';
  const problems = [];
  const legend = [];
  const charts = [];
  const box = (el) => el.getBoundingClientRect();
  const visible = (r) => r.width > 0 && r.height > 0;
  const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1
                         && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  const label = (el) => (el.textContent || '').trim();
  document.querySelectorAll('.js-plotly-plot').forEach((plot, i) => {
    const outer = box(plot);
    const titleEl = plot.querySelector('.gtitle');
    const chart = titleEl ? label(titleEl) : `chart ${i}`;
    charts.push({chart, width: Math.round(outer.width), height: Math.round(outer.height),
                 text: [...plot.querySelectorAll('text')].map(label).join(' | ')});
    const texts = [...plot.querySelectorAll(TEXT)].filter(el => label(el) && visible(box(el)));
    for (const el of texts) {
      const r = box(el);
      if (r.left < outer.left - 1 || r.right > outer.right + 1 || r.top < outer.top - 1 || r.bottom > outer.bottom + 1) {
        problems.push({chart, problem: 'outside', text: label(el), cls: el.getAttribute('class'),
                       box: [r.left, r.top, r.right, r.bottom].map(Math.round),
                       chart_box: [outer.left, outer.top, outer.right, outer.bottom].map(Math.round)});
      }
    }
    const axisText = [];
    for (const ax of ['x', 'y']) {
      const ticks = [...plot.querySelectorAll(`.${ax}tick text`)].filter(el => label(el) && visible(box(el)));
      const titles = [...plot.querySelectorAll(`.g-${ax}title text`)].filter(el => label(el) && visible(box(el)));
      for (const t of titles) for (const k of ticks) {
        if (overlap(box(t), box(k))) problems.push({chart, problem: 'axis title on tick label', text: label(t), tick: label(k)});
      }
      axisText.push(...ticks, ...titles);
    }
    const legendBox = plot.querySelector('.legend .bg');
    if (legendBox && visible(box(legendBox))) {
      for (const el of axisText) {
        if (overlap(box(legendBox), box(el))) problems.push({chart, problem: 'legend on axis text', text: label(el)});
      }
      const plotArea = plot.querySelector('.nsewdrag');
      if (plotArea && overlap(box(legendBox), box(plotArea))) problems.push({chart, problem: 'legend on plot area'});
    }
    const heads = [...plot.querySelectorAll('.gtitle, .gtitle-subtitle')].filter(el => label(el) && visible(box(el)));
    for (const h of heads) {
      for (const el of axisText) {
        if (overlap(box(h), box(el))) problems.push({chart, problem: 'title on axis text', text: label(h), axis: label(el)});
      }
      if (legendBox && visible(box(legendBox)) && overlap(box(h), box(legendBox))) {
        problems.push({chart, problem: 'legend on title', text: label(h)});
      }
    }
    for (const tr of plot.querySelectorAll('.legend .traces')) {
      const t = tr.querySelector('.legendtext');
      const swatch = tr.querySelector('.legendpoints path');
      if (!t || !swatch) continue;
      const fill = swatch.style.fill || getComputedStyle(swatch).fill;
      legend.push({chart, label: label(t), colour: fill});
    }
  });
  return {charts, problems, legend};
}"""
