"""What the accessibility tests measure in a page, in the page's own JavaScript.

- axe-core (npm, pinned in package-lock.json), WCAG 2.0/2.1 A and AA rules;
- reflow: does the page scroll sideways at 320 CSS pixels (WCAG 1.4.10);
- non-text contrast of form controls: the control's border (or, without a
  border, its own background) against the colour behind it, ≥ 3:1 (WCAG 1.4.11);
- the accessible names and announcements of the page, to find English UI strings
  on Finnish and Swedish pages.
"""

import os
import re
from functools import cache
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
NARROW = {"width": 320, "height": 640}
WIDE = {"width": 1280, "height": 900}


# Lines for the end of the test run: one per page state measured (see
# pytest_terminal_summary in tests/browser/conftest.py).
SUMMARY = []


def axe_version():
    import json

    return json.loads((AXE.parent / "package.json").read_text())["version"]


def require_axe():
    if not AXE.exists():
        message = f"axe-core not installed at {AXE} (make vendor runs npm ci)"
        if os.environ.get("OVI_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)


def add_axe(context):
    """axe-core in every page of the context. An init script (given to the browser
    through DevTools) runs before the page's own scripts and is not subject to the
    site's Content-Security-Policy, which refuses page.add_script_tag's inline
    script; the policy itself stays on for everything the page does."""
    context.add_init_script(path=str(AXE))


def run_axe(tab):
    return tab.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
            .then(result => result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
                count: v.nodes.length,
            })))""",
        AXE_TAGS,
    )


OVERFLOW_JS = """() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    const offenders = [];
    // A scrolling box, hidden overflow or a clip (.visually-hidden) keeps its content in.
    const isClipping = style => style.overflowX !== 'visible' || style.clip !== 'auto' || style.clipPath !== 'none';
    for (const element of document.body.querySelectorAll('*')) {
        const box = element.getBoundingClientRect();
        if (box.width === 0 || box.right <= width + 0.5) continue;
        // Only the outermost element that sticks out, not all its children too;
        // what is clipped by a scrolling or hidden-overflow ancestor does not count.
        let clipped = false, reported = false;
        for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
            if (isClipping(getComputedStyle(parent))) { clipped = true; break; }
            if (offenders.includes(parent)) { reported = true; break; }
        }
        if (!clipped && !reported && getComputedStyle(element).visibility !== 'hidden') offenders.push(element);
    }
    // Text that runs out of its box (a long word, an address) sticks out without its
    // element doing so.
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    const texts = new Map();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.textContent.trim()) continue;
        range.selectNodeContents(node);
        const right = range.getBoundingClientRect().right;
        if (right <= width + 0.5) continue;
        let clipped = false;
        for (let parent = node.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
            if (isClipping(getComputedStyle(parent))) { clipped = true; break; }
        }
        if (!clipped && !offenders.includes(node.parentElement)) {
            texts.set(node.parentElement, (texts.get(node.parentElement) || '') + node.textContent.trim().slice(0, 40));
        }
    }
    const describe = element => element.tagName.toLowerCase()
        + (element.id ? '#' + element.id : '')
        + (element.classList.length ? '.' + Array.from(element.classList).join('.') : '')
        + (texts.has(element) ? ' text "' + texts.get(element) + '"' : '')
        + ' (' + Math.round(element.getBoundingClientRect().right) + ' px)';
    offenders.push(...texts.keys());
    return {scrollWidth: root.scrollWidth, clientWidth: width, offenders: offenders.slice(0, 6).map(describe)};
}"""


CONTRAST_JS = """() => {
    const parse = value => {
        const m = value.match(/rgba?\\(([^)]+)\\)/);
        if (!m) return null;
        const parts = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
        return {r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1};
    };
    const over = (top, bottom) => ({
        r: top.r * top.a + bottom.r * (1 - top.a),
        g: top.g * top.a + bottom.g * (1 - top.a),
        b: top.b * top.a + bottom.b * (1 - top.a), a: 1,
    });
    // The colour behind an element: its ancestors' backgrounds, blended down to white.
    const behind = element => {
        const layers = [];
        for (let node = element; node; node = node.parentElement) {
            const colour = parse(getComputedStyle(node).backgroundColor);
            if (colour && colour.a > 0) { layers.push(colour); if (colour.a >= 1) break; }
        }
        let result = {r: 255, g: 255, b: 255, a: 1};
        for (const layer of layers.reverse()) result = over(layer, result);
        return result;
    };
    const luminance = c => {
        const channel = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
    };
    const ratio = (a, b) => {
        const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x);
        return (l1 + 0.05) / (l2 + 0.05);
    };
    const describe = element => element.tagName.toLowerCase()
        + (element.id ? '#' + element.id : '') + (element.name ? '[name=' + element.name + ']' : '');
    const failures = [];
    const controls = document.querySelectorAll(
        'input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=submit])'
        + ':not([type=button]):not([type=reset]):not([type=image]), select, textarea');
    let checked = 0;
    for (const control of controls) {
        const box = control.getBoundingClientRect();
        const style = getComputedStyle(control);
        if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
        if (control.closest('[aria-hidden=true]')) continue;
        checked += 1;
        const outside = behind(control.parentElement);
        const own = behind(control);
        const borderWidth = parseFloat(style.borderBottomWidth) || 0;
        const border = parse(style.borderBottomColor);
        const borderRatio = borderWidth > 0 && border ? ratio(over(border, outside), outside) : 0;
        const fillRatio = ratio(own, outside);
        const best = Math.max(borderRatio, fillRatio);
        if (best < 3) {
            failures.push(describe(control) + ': ' + best.toFixed(2) + ':1 (border ' + style.borderBottomColor
                          + ' on ' + `rgb(${Math.round(outside.r)}, ${Math.round(outside.g)}, ${Math.round(outside.b)})` + ')');
        }
    }
    return {checked, failures};
}"""


NAMES_JS = """() => {
    const texts = [];
    // Announcements that have no element of their own until JavaScript makes one.
    for (const element of document.querySelectorAll('[data-status-one], [data-status-many], [data-suggest-label]')) {
        for (const name of ['data-status-one', 'data-status-many', 'data-suggest-label']) {
            const value = element.getAttribute(name);
            if (value) texts.push(value);
        }
    }
    for (const element of document.querySelectorAll('[aria-label], [title], [placeholder], img[alt]')) {
        for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
            const value = element.getAttribute(name);
            if (value && value.trim()) texts.push(value.trim());
        }
    }
    for (const element of document.querySelectorAll('[role=status], [aria-live]')) {
        const value = element.textContent.trim();
        if (value) texts.push(value);
    }
    return texts;
}"""

ARIA_NAME = re.compile(r'^\s*- [a-z]+ "((?:[^"\\]|\\.)*)"', re.MULTILINE)


def accessible_names(tab):
    """The names Chromium gives the page's elements (its accessibility tree, as
    Playwright's ARIA snapshot shows it), with labels, titles and announcements."""
    names = {
        match.group(1).replace('\\"', '"')
        for match in ARIA_NAME.finditer(tab.locator("body").aria_snapshot())
    }
    names.update(tab.evaluate(NAMES_JS))
    return {" ".join(name.split()) for name in names if name.strip()}


# English UI words a library brings with it (Leaflet, the autocomplete) that no
# catalogue of ours knows: a name containing one on a Finnish or Swedish page leaked.
KNOWN_ENGLISH = re.compile(r"\b(zoom in|zoom out|suggestions?|arrow keys|close|menu|search)\b", re.IGNORECASE)


@cache
def english_ui_strings(language):
    """The English msgids that this language's catalogues (ours, Django's, Wagtail's)
    translate into something else: seen as such on a fi/sv page, they are untranslated."""
    from django.utils.translation import trans_real

    catalog = trans_real.translation(language)._catalog
    strings = set()
    for key, value in catalog.items():
        if isinstance(key, str) and key and value and value != key and len(key) > 2:
            strings.add(" ".join(key.split()))
    return frozenset(strings)


def english_names(names, english_page_names, language):
    """Names on a fi/sv page that are English UI strings: the same name as on the
    English page, and either an English msgid translated in `language` or a known
    library string. Proper names (records, places, Ovi) are neither."""
    from django.conf import settings
    from django.utils.translation import get_language_info

    ui = english_ui_strings(language)
    # The language switcher names each language in itself ("English", "Svenska").
    autonyms = {get_language_info(code)["name_local"] for code, _name in settings.LANGUAGES}
    return sorted(
        name for name in (names & english_page_names) - autonyms if name in ui or KNOWN_ENGLISH.search(name)
    )
