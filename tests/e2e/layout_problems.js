// Every problem of layout on the page, as readable strings (empty: the page is sound).
// Used by test_screens.py through page.evaluate.
() => {
  const problems = [];
  const W = window.innerWidth;
  const doc = document.documentElement;
  if (doc.scrollWidth > W) problems.push(`page scrolls sideways: ${doc.scrollWidth} > ${W}`);
  const name = (e) => (e.id ? '#' + e.id : e.tagName.toLowerCase()
      + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : ''))
      + ' "' + (e.innerText || e.value || e.getAttribute('aria-label') || '').trim().slice(0, 30) + '"';
  const shown = (e) => {
    const r = e.getBoundingClientRect();
    const s = getComputedStyle(e);
    return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && s.display !== 'none'
      && !e.closest('[hidden], .sr-only, [aria-hidden="true"]')
      && !e.closest('details:not([open]) > :not(summary)');
  };
  const roots = [...document.querySelectorAll('main, header, nav')];
  const controls = roots.flatMap((root) => [...root.querySelectorAll(
    'a, button, input, select, textarea, summary, label, [role="button"]')]).filter(shown);
  for (const c of new Set(controls)) {
    const r = c.getBoundingClientRect();
    if (r.left < -0.5 || r.right > W + 0.5) {
      problems.push(`${name(c)} outside the window (${Math.round(r.left)}..${Math.round(r.right)})`);
      continue;
    }
    // inside every ancestor that clips (overflow other than visible) and inside its card
    for (let a = c.parentElement; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      const clips = s.overflowX !== 'visible' || s.overflowY !== 'visible';
      const card = a.classList.contains('card') || a.tagName === 'MAIN';
      if (!clips && !card) continue;
      const b = a.getBoundingClientRect();
      if (r.left < b.left - 0.5 || r.right > b.right + 0.5
          || (clips && (r.top < b.top - 0.5 || r.bottom > b.bottom + 0.5))) {
        problems.push(`${name(c)} outside its container ${name(a)}`);
        break;
      }
      if (card) break;
    }
  }
  // text cut off: an element that hides part of its own text
  const texts = roots.flatMap((root) => [...root.querySelectorAll('*')]).filter(shown);
  for (const e of new Set(texts)) {
    const s = getComputedStyle(e);
    if (s.overflowX === 'visible' || e.scrollWidth <= e.clientWidth + 1) continue;
    if (!e.textContent.trim() || ['SELECT', 'INPUT', 'TEXTAREA', 'svg'].includes(e.tagName)) continue;
    if (s.overflowX === 'auto' || s.overflowX === 'scroll') {
      problems.push(`${name(e)} scrolls sideways (${e.scrollWidth} > ${e.clientWidth})`);
    } else {
      problems.push(`${name(e)} cuts its text (${e.scrollWidth} > ${e.clientWidth})`);
    }
  }
  // a select too narrow for the choice it shows
  const canvas = document.createElement('canvas').getContext('2d');
  for (const select of roots.flatMap((root) => [...root.querySelectorAll('select')]).filter(shown)) {
    const option = select.options[select.selectedIndex];
    if (!option) continue;
    const s = getComputedStyle(select);
    canvas.font = `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
    const room = select.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight) - 20;
    const need = canvas.measureText(option.text).width;
    if (need > room) problems.push(`${name(select)} cuts "${option.text}" (${Math.round(need)} > ${Math.round(room)})`);
  }
  return problems;
}
