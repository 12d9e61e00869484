"""The web edition: built from the same sections as the PDFs, self-contained, private, incremental,
and usable in a real browser (headless Chromium, skipped where none can be installed)."""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import subprocess
import threading
from html import unescape
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from analysis.publish.site import build_site

YEAR = 2025
REPORTS = ["KGZ", "TJK", "regional", "theme-persecution"]  # the reports built_briefs has as PDF
_LINK = re.compile(r'\b(?:href|src)="([^"]*)"')


@pytest.fixture(scope="module")
def site(built_briefs, tmp_path_factory) -> Path:
    """The tiny project's briefs (built once per session) with their web edition, made by the
    command a person runs."""
    from analysis.run.cli import main

    root = tmp_path_factory.mktemp("site") / "project"
    shutil.copytree(built_briefs, root)
    code = main(["site", "--year", str(YEAR), "--lang", "ru,en", "--reports", ",".join(REPORTS),
                 "--processed-dir", str(root / "data" / "processed"), "--output-dir", str(root / "outputs")])  # fmt: skip
    assert code == 0  # nothing refused
    record = json.loads(
        (root / "outputs" / "site" / str(YEAR) / ".site.json").read_text(encoding="utf-8")
    )
    assert sorted(record) == sorted(f"{lang}/{key}" for lang in ("ru", "en") for key in REPORTS)
    return root


def _pages(root: Path) -> list[Path]:
    return sorted((root / "outputs" / "site").rglob("*.html"))


@pytest.mark.slow
def test_every_page_is_self_contained_and_says_the_data_are_synthetic(site):
    pages = _pages(site)
    assert {p.name for p in pages} >= {"index.html", "KGZ.html", "TJK.html", "regional.html"}
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert 'http-equiv="Content-Security-Policy"' in html, page
        assert "default-src 'none'" in unescape(html), page
        assert "<script" not in html.casefold(), page
        for link in _LINK.findall(html):  # nothing from another host; every local file exists
            if link == "data:,":  # the empty icon: no request for /favicon.ico
                continue
            assert not re.match(r"^[a-z]+:", link), (page, link)
            target = (page.parent / link.split("#")[0]).resolve()
            assert target.exists(), (page, link)
        assert "site-banner" in html, page  # the tiny data are synthetic: every page says so


@pytest.mark.slow
def test_the_language_switch_lands_on_the_same_report(site):
    for page in (site / "outputs" / "site" / str(YEAR) / "en").glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert f'href="../ru/{page.name}"' in html, page
        assert (page.parent.parent / "ru" / page.name).exists()


@pytest.mark.slow
def test_key_figures_equal_the_pdf_and_charts_carry_their_data(site):
    for lang in ("en", "ru"):
        html = (site / "outputs" / "site" / str(YEAR) / lang / "KGZ.html").read_text(
            encoding="utf-8"
        )
        values = re.findall(r'<div class="kf-value">([^<]+)</div>', html)
        assert len(values) >= 4
        pdf = site / "outputs" / "briefs" / str(YEAR) / lang / "KGZ.pdf"
        text = PdfReader(pdf).pages[0].extract_text().replace("\u00a0", " ")
        for value in values:
            assert value.replace("\u00a0", " ").replace("&#8239;", " ") in text, (lang, value)
        charts = re.findall(r"<figure class=\"chart\".*?</figure>", html, flags=re.S)
        assert charts
        for chart in charts:
            assert "<svg" in chart and "<title>" in chart and "<desc>" in chart
            assert "<details>" in chart and 'download href="data/' in chart
        assert 'href="pdf/KGZ.pdf"' in html


@pytest.mark.slow
def test_a_rebuild_with_no_change_does_nothing_and_a_note_rebuilds_its_report(site):
    processed, outputs = site / "data" / "processed", site / "outputs"
    again = build_site(YEAR, ["ru", "en"], processed, outputs, reports=REPORTS)
    assert again.built == [] and len(again.unchanged) >= 8
    note = site / "data" / "notes" / str(YEAR) / "TJK.en.md"
    note.parent.mkdir(parents=True, exist_ok=True)
    note.write_text("The monitors met the union in Dushanbe.\n", encoding="utf-8")
    changed = build_site(YEAR, ["ru", "en"], processed, outputs, reports=REPORTS)
    assert sorted(changed.built) == ["en/TJK", "ru/TJK"]  # its note, and whether the other has one
    assert "met the union in Dushanbe" in (
        outputs / "site" / str(YEAR) / "en" / "TJK.html"
    ).read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_page_the_shield_cannot_vouch_for_is_not_published(site, tmp_path):
    root = tmp_path / "project"
    shutil.copytree(site, root)
    processed = root / "data" / "processed"
    protected = pd.read_parquet(processed / "private" / "protected_names.parquet")["name"].iloc[0]
    acts = pd.read_parquet(processed / "legislation.parquet")
    kgz = acts.index[acts["country"] == "KGZ"][0]
    acts.loc[kgz, "title"] = f"Amendments drafted with {protected}"  # a name the shield missed
    acts.to_parquet(processed / "legislation.parquet", index=False)
    report = build_site(YEAR, ["en"], processed, root / "outputs", force=True, reports=REPORTS)
    refused = dict(report.refused)
    assert "en/KGZ" in refused and protected not in refused["en/KGZ"]
    assert not (root / "outputs" / "site" / str(YEAR) / "en" / "KGZ.html").exists()
    surname = protected.split()[0]
    for path in (root / "outputs" / "site").rglob("*"):
        if path.is_file() and path.suffix in {".html", ".csv"}:
            assert surname not in path.read_text(encoding="utf-8"), path


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _axe() -> Path | None:
    for root in (Path(__file__).resolve().parents[1] / ".venv" / "node_modules",):
        found = root / "axe-core" / "axe.min.js"
        if found.exists():
            return found
    try:
        npm_root = subprocess.run(
            ["npm", "root", "-g"], capture_output=True, text=True, timeout=20
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    found = Path(npm_root) / "axe-core" / "axe.min.js" if npm_root else None
    return found if found and found.exists() else None


@pytest.mark.slow
def test_every_page_in_a_real_browser(site):
    playwright = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (make browser)"
    )
    browser_path = _chromium()
    if browser_path is None:
        pytest.skip("no chromium on this machine (make browser installs it where apt-get can)")
    folder = site / "outputs" / "site"
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *a, **k: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_port}"
    axe = _axe()
    problems: list[str] = []
    try:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=browser_path, args=["--no-sandbox"])
            checked: set[str] = set()
            for width in (360, 1280):
                context = browser.new_context(viewport={"width": width, "height": 800})
                shown = (
                    _pages(site)
                    if width == 360
                    else [p for p in _pages(site) if p.parent.name == "ru"]
                )
                for page_path in shown:
                    url = f"{origin}/{page_path.relative_to(folder).as_posix()}"
                    page = context.new_page()
                    messages, requests = [], []
                    page.on(
                        "console",
                        lambda m, out=messages: out.append(m.text) if m.type == "error" else None,
                    )
                    page.on("request", lambda r, out=requests: out.append(r.url))
                    response = page.goto(url)
                    assert response is not None and response.ok, url
                    problems += [f"{url}: console: {m}" for m in messages]
                    problems += [
                        f"{url}: request to {r}"
                        for r in requests
                        if not r.startswith((origin, "data:"))
                    ]
                    overflow = page.evaluate(
                        "document.documentElement.scrollWidth - window.innerWidth"
                    )
                    if overflow > 0:
                        problems.append(f"{url} at {width}px: {overflow}px wider than the screen")
                    if width == 360:
                        for href in page.eval_on_selector_all(
                            "a[href]", "els => els.map(e => e.href)"
                        ):
                            if href.startswith(origin) and href not in checked:
                                checked.add(href)  # each link and download once
                                if not context.request.get(href).ok:
                                    problems.append(f"{url}: broken link {href}")
                    page.close()
                context.close()
            if axe is not None:
                context = browser.new_context(bypass_csp=True)  # to run the checker inside the page
                source = axe.read_text(encoding="utf-8")
                kinds = {"index.html", "KGZ.html", "regional.html", "theme-persecution.html"}
                for page_path in [
                    p for p in _pages(site) if p.name in kinds
                ]:  # each layout, both languages
                    page = context.new_page()
                    page.goto(f"{origin}/{page_path.relative_to(folder).as_posix()}")
                    page.evaluate(source)
                    result = page.evaluate(
                        "async () => (await axe.run()).violations.map(v => [v.id, v.impact, v.nodes.length])"
                    )
                    problems += [
                        f"{page_path.name}: axe {v[0]} ({v[1]}, {v[2]} nodes)"
                        for v in result
                        if v[1] in {"serious", "critical"}
                    ]
                    page.close()
            browser.close()
    finally:
        server.shutdown()
    assert not problems, "\n".join(problems[:30])
    if axe is None:
        pytest.skip("axe-core is not installed (make browser): the accessibility check did not run")
