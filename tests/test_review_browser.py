"""The review page in a real headless Chromium (Debian's /usr/bin/chromium,
driven by the playwright Python package -- no browser download).

If Chromium is missing and we run as root, the test installs Debian's
``chromium`` with apt-get; it skips, saying why, only when that is impossible.
Saves a screenshot to tests/artifacts/review.png.

The hostile-run tests open a page built from records and a diff with script
payloads in every value and assert that none ran (window.__pwned stays
undefined, no dialog opened, no foreign element in the DOM) while the page's
own script, admitted by the CSP's hash, still renders and filters.
"""
from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extractor.diff import diff_runs
from extractor.review import render_review

sys.path.insert(0, str(Path(__file__).parent))
from test_review import _evil, hostile_run, sample_run  # noqa: E402  (the hand-made runs, shared)

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"]


def _chromium() -> str:
    for cand in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if cand and os.access(cand, os.X_OK):
            return cand
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("Chromium is not installed (/usr/bin/chromium) and we are not root to apt-get install it")
    if not shutil.which("apt-get"):
        pytest.skip("Chromium is not installed and there is no apt-get to install it")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "chromium"]):
        try:
            r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1200)
        except (OSError, subprocess.TimeoutExpired) as e:
            pytest.skip(f"Chromium is not installed and `{' '.join(cmd)}` failed: {e}")
        if r.returncode != 0:
            tail = (r.stderr or r.stdout).strip().splitlines()[-1:] or [""]
            pytest.skip(f"Chromium is not installed and `{' '.join(cmd)}` failed: {tail[0]}")
    if not os.access("/usr/bin/chromium", os.X_OK):
        pytest.skip("apt-get install chromium ran but /usr/bin/chromium is still missing")
    return "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory):
    exe = _chromium()
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="the playwright Python package is not installed (pip install playwright)")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(profile), executable_path=exe, headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 1400, "height": 900}, offline=True)
        try:
            yield ctx
        finally:
            ctx.close()


def _open(ctx, path: Path):
    page = ctx.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready='1']", timeout=20000)
    return page, requests, errors


def _visible_docs(page) -> list[str]:
    return page.eval_on_selector_all("section.article", "els => els.map(e => e.dataset.doc)")


def _rows(page) -> list[dict]:
    return page.eval_on_selector_all(
        "tr.fr", "els => els.map(e => ({type: e.dataset.type, driver: e.dataset.driver, text: e.textContent}))")


def _wait_rows(page, predicate_js: str):
    page.wait_for_function(
        f"() => {{ const rows = [...document.querySelectorAll('tr.fr')]; return rows.length > 0 && rows.every({predicate_js}); }}",
        timeout=5000)


def test_review_page_in_chromium(browser_context, tmp_path):
    old, new, texts = sample_run()
    html_path = tmp_path / "review.html"
    html_path.write_text(render_review(new, texts, diff_runs(old, new)), encoding="utf-8")
    page, requests, errors = _open(browser_context, html_path)

    assert _visible_docs(page) == ["q1", "r1", "n1"]
    # Every fact with a span in the text is highlighted, and its marks spell the fact's text.
    for rec in new[:2]:
        art = f"section.article[data-doc='{rec['doc_id']}']"
        for i, f in enumerate(rec["facts"]):
            got = page.eval_on_selector_all(f"{art} .text .m[data-k='f{i}']",
                                            "els => els.map(e => e.textContent).join('')")
            assert got == f["text"], (rec["doc_id"], i, got)
            color = page.eval_on_selector(f"{art} .text .m[data-k='f{i}']",
                                          "e => getComputedStyle(e).borderBottomColor")
            assert color not in ("rgba(0, 0, 0, 0)", ""), color
    # Overlapping spans (car number inside the manufacturer's span) render as stacked underlines.
    q1 = "section.article[data-doc='q1']"
    bottoms = page.eval_on_selector_all(
        f"{q1} .text .m[data-k='f3'], {q1} .text .m[data-k='f4']",
        "els => els.filter(e => e.textContent === 'No. 07').map(e => e.getBoundingClientRect().bottom)")
    assert len(bottoms) == 2 and abs(bottoms[0] - bottoms[1]) >= 3, bottoms
    # Failed and warned checks sit on the facts they concern.
    assert "speed_matches_lap_time" in page.inner_text(f"{q1} tr.fr[data-k='f7'] .ck.fail")
    assert page.locator(f"{q1} .text .m.mf[data-k='f7']").count() >= 1
    assert page.locator(f"{q1} tr.fr[data-k='f8'] .ck.warn").count() == 1
    # Diff marks: changed, added, removed.
    assert page.locator(f"{q1} tr.fr[data-k='f7'] .badge.chg").count() == 1
    assert page.locator(f"{q1} tr.fr[data-k='f10'] .badge.add").count() == 1
    assert page.locator(f"{q1} tr.fr.removed").count() == 1
    assert page.locator(f"{q1} sup.dm.rm").count() == 1
    # No text: the facts table with a note.
    assert "Source text not available" in page.inner_text("section.article[data-doc='n1'] .notext")

    # Screenshot (unfiltered, first article in view).
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review.png"), full_page=True)

    # Driver filter.
    page.fill("#f-driver", "Dana Reyes")
    _wait_rows(page, "r => r.textContent.includes('Dana Reyes')")
    assert _visible_docs(page) == ["q1"]
    assert {r["type"] for r in _rows(page)} >= {"car_number", "manufacturer", "lap_time", "gap"}
    assert page.locator(f"{q1} .mn.hit").count() >= 1
    assert page.locator(f"{q1} .text .m[data-k='f0'].dim").count() >= 1     # Quill's pole: dimmed
    page.screenshot(path=str(ARTIFACTS / "review-driver-filter.png"), full_page=True)

    # Fact-type filter (driver cleared).
    page.fill("#f-driver", "")
    page.select_option("#f-type", "lap_time")
    _wait_rows(page, "r => r.dataset.type === 'lap_time'")
    assert _visible_docs(page) == ["q1"]
    assert len(_rows(page)) == 2
    dims = page.eval_on_selector_all(f"{q1} .text .m", "els => els.map(e => [e.dataset.t, e.classList.contains('dim')])")
    assert dims and all(dim == (t != "lap_time") for t, dim in dims)

    # Both, on the other article; then the check filter; then the free-text search.
    page.fill("#f-driver", "okafor")
    page.select_option("#f-type", "team")
    _wait_rows(page, "r => r.dataset.type === 'team' && r.dataset.driver === 'Sam Okafor'")
    assert _visible_docs(page) == ["r1"] and len(_rows(page)) == 1
    page.click("#f-clear")
    page.select_option("#f-check", "fail")
    page.wait_for_function("() => document.querySelectorAll('section.article').length === 1")
    assert _visible_docs(page) == ["q1"]
    page.click("#f-clear")
    page.fill("#f-q", "quarry flats")
    page.wait_for_function("() => document.querySelectorAll('section.article').length === 1")
    assert _visible_docs(page) == ["r1"]

    assert not errors, errors
    assert all(u.startswith("file:") for u in requests), requests


def test_review_page_scales_to_thousands(browser_context, tmp_path):
    _, new, texts = sample_run()
    many, many_texts = [], {}
    for n in range(3000):
        src = new[n % 2]
        r = copy.deepcopy(src)
        r["doc_id"] = f"{src['doc_id']}_{n:04d}"
        many.append(r)
        many_texts[r["doc_id"]] = texts[src["doc_id"]]
    html_path = tmp_path / "many.html"
    html_path.write_text(render_review(many, many_texts), encoding="utf-8")
    t0 = time.monotonic()
    page, _, errors = _open(browser_context, html_path)
    load = time.monotonic() - t0
    assert load < 10, f"the page took {load:.1f}s to become ready"
    assert len(_visible_docs(page)) == 25                 # one page rendered, not 3000 articles
    assert "1\u201325 of 3000" in page.inner_text("#p-info")
    page.click("#p-next")
    page.wait_for_function("() => document.getElementById('p-info').textContent.startsWith('26')")
    page.fill("#f-driver", "Robin Vance")
    page.wait_for_function("() => document.getElementById('p-info').textContent.endsWith('of 1500')")
    assert not errors, errors


# ---------------------------------------------------------------------------
# Hostile records and diffs: nothing from the data runs, the page still works


# Elements and attributes that only injected markup could have made: media and
# frames, scripts beyond the data block and the page's own, on* handlers. (Style
# attributes appear only where the page's script paints through the CSSOM.)
_NO_FOREIGN_MARKUP = """() => {
  const bad = [];
  if (document.scripts.length !== 2) bad.push('scripts: ' + document.scripts.length);
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    if (['img', 'svg', 'iframe', 'object', 'embed', 'a', 'form', 'link', 'base'].includes(tag)) bad.push(tag);
    for (const a of el.attributes) {
      if (/^on/i.test(a.name)) bad.push(tag + '@' + a.name);
      if (a.name === 'style' && !el.closest('#list, #legend')) bad.push(tag + '@style');
    }
  }
  return bad;
}"""


def _open_watched(ctx, path: Path):
    dialogs: list[str] = []
    page = ctx.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready='1']", timeout=20000)
    return page, dialogs, errors


def _assert_nothing_ran(page, dialogs):
    page.wait_for_timeout(200)                   # let any injected onerror/onload fire
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert not dialogs, dialogs
    assert page.evaluate(_NO_FOREIGN_MARKUP) == []


def test_hostile_page_runs_no_foreign_script(browser_context, tmp_path):
    recs, diff, texts = hostile_run()
    html_path = tmp_path / "hostile.html"
    html_path.write_text(render_review(recs, texts, diff, title=_evil("title")), encoding="utf-8")
    page, dialogs, errors = _open_watched(browser_context, html_path)
    _assert_nothing_ran(page, dialogs)

    # Hostile values are on the page as text, exactly.
    doc = recs[0]["doc_id"]
    assert page.title() == _evil("title")
    assert page.eval_on_selector_all("section.article", "els => els.map(e => e.dataset.doc)") == [doc, recs[1]["doc_id"]]
    first = "section.article:first-of-type"
    assert page.eval_on_selector(f"{first} .id", "e => e.textContent") == doc
    side = page.inner_text(f"{first} .side")
    for field in ("facttext", "checkname", "checkmsg", "other", "value"):
        assert _evil(field).replace("\u2028", "\n").replace("\u2029", "\n")[:60] in side.replace("\u2028", "\n").replace("\u2029", "\n"), field
    assert "<script>window.__pwned=1</script>" in page.inner_text(f"{first} .dnotes")
    assert "<script>window.__pwned=1</script>" in page.inner_text("#notes")
    # Spans still highlighted, checks on their facts, diff marks shown.
    assert page.eval_on_selector_all(f"{first} .text .m[data-k='f0']", "els => els.map(e => e.textContent).join('')") == "won the pole"
    assert page.eval_on_selector(f"{first} .text .m[data-k='f0']", "e => getComputedStyle(e).borderBottomColor") \
        not in ("rgba(0, 0, 0, 0)", "")
    assert page.locator(f"{first} tr.fr[data-k='f0'] .ck.fail").count() == 1
    assert page.locator(f"{first} tr.fr[data-k='f1'] .badge.chg").count() == 1
    assert page.locator(f"{first} tr.fr.removed").count() == 3
    # Hover and click on rows and marks with hostile keys/values: no errors.
    page.hover(f"{first} tr.fr[data-k='f1']")
    page.click(f"{first} .text .m[data-k='f0']")

    # The page's own script runs under the CSP: filters work on hostile values.
    page.fill("#f-driver", _evil("driver"))
    page.wait_for_function("() => [...document.querySelectorAll('tr.fr')].every(r => r.dataset.driver.includes('driver:'))")
    assert page.locator("tr.fr").count() >= 1
    page.click("#f-clear")
    page.select_option("#f-type", _evil("type"))
    page.wait_for_function("(t) => { const r = [...document.querySelectorAll('tr.fr')]; "
                           "return r.length === 2 && r.every(x => x.dataset.type === t); }", arg=_evil("type"))
    page.click("#f-clear")
    page.click(f"#legend .chip >> nth=-1")
    page.wait_for_function("() => document.querySelectorAll('#legend .chip.on').length === 1")
    page.click("#f-clear")
    page.select_option("#f-diff", "new")
    page.wait_for_function("() => document.querySelectorAll('section.article').length === 1")
    assert page.eval_on_selector("section.article", "e => e.dataset.doc") == recs[1]["doc_id"]
    page.click("#f-clear")
    page.fill("#f-q", "{{data}}")
    page.wait_for_function("() => document.getElementById('p-info').textContent === '1\u20132 of 2'")
    page.fill("#f-q", "no such thing at all")
    page.wait_for_function("() => document.querySelectorAll('section.article').length === 0")

    _assert_nothing_ran(page, dialogs)
    assert not errors, errors


def test_csp_blocks_script_that_slips_into_the_page(browser_context, tmp_path):
    """Defence in depth: were an escape ever missed, the CSP alone keeps
    injected inline script and handlers from running -- while the page's own
    script (admitted by its hash) still does."""
    _, new, texts = sample_run()
    page_html = render_review(new, texts, None)
    injected = ('<script>window.__pwned=1</script><img src="data:," onerror="window.__pwned=2">'
                '<div onclick="window.__pwned=3" id="bait">x</div><svg onload="alert(1)"></svg>')
    page_html = page_html.replace('<div id="notes">', injected + '<div id="notes">', 1)
    html_path = tmp_path / "injected.html"
    html_path.write_text(page_html, encoding="utf-8")
    page, dialogs, errors = _open_watched(browser_context, html_path)
    page.click("#bait")
    page.wait_for_timeout(200)
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert not dialogs, dialogs
    assert any("Content Security Policy" in e for e in errors), errors     # the browser refused them
    page.select_option("#f-type", "lap_time")                             # own script: alive
    page.wait_for_function("() => [...document.querySelectorAll('tr.fr')].every(r => r.dataset.type === 'lap_time')")
