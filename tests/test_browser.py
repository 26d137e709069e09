"""The app in a real browser: Debian's chromium driven by Playwright, against a Streamlit
server this test starts on a free local port. Screenshots are kept in build/screenshots/.

tools/test.sh installs chromium and fonts-noto-cjk when missing; if chromium is still
missing this test fails (it never skips silently)."""
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "build" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
READY = "[data-testid='stApp'][data-test-script-state='notRunning']"
HOSTILE = ("某某同志专题民主生活会个人发言提纲\n一、存在的主要问题\n"
           "通过学习，我深刻体会到<script>alert(1)</script>理想信念是共产党人的精神之钙。\n"
           "我对分管工作抓得不紧<img src=x onerror=alert(2)>，全年只下乡两次。\n")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    assert CHROMIUM, "chromium is not installed: run tools/test.sh (it installs chromium and fonts-noto-cjk)"
    port = _free_port()
    env = dict(os.environ, REVIEW_MODE=os.environ.get("REVIEW_MODE", "combined"))
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
                             "--server.port", str(port), "--server.address", "127.0.0.1",
                             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the Streamlit server did not start:\n" + proc.stdout.read1(20000).decode(errors="replace"))
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                               args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                     "--disable-component-update", "--no-first-run", "--disable-sync"])
        yield b
        b.close()


def _page(browser, url: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1800})
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url)
    page.wait_for_selector(READY, timeout=60_000)
    return page, dialogs


def _upload_and_wait(page, path: Path) -> float:
    t0 = time.perf_counter()
    page.locator("[data-testid='stFileUploader'] input[type='file']").first.set_input_files(str(path))
    page.wait_for_selector(f"div.rv-report[data-file='{path.name}']", state="attached", timeout=60_000)
    page.wait_for_selector(READY, timeout=60_000)
    return time.perf_counter() - t0


def test_single_page_highlights_every_finding(server, browser):
    from review.api import review_document
    sample = ROOT / "samples" / "self-good.txt"          # about 5,000 characters
    weak = ROOT / "samples" / "self-weak.txt"
    page, dialogs = _page(browser, f"{server}/single")
    seconds = _upload_and_wait(page, weak)
    expected = [f for f in review_document(weak).findings if f.end > f.start]
    assert page.locator("[data-rule]").count() == len(expected) > 0
    assert page.locator("div.rv-report").get_attribute("data-marked") == str(len(expected))
    rules_shown = set(page.locator("[data-rule]").evaluate_all("els => els.map(e => e.dataset.rule)"))
    assert rules_shown == {f.rule for f in expected}
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "single.png"), full_page=True)
    page.close()
    page, dialogs = _page(browser, f"{server}/single")
    seconds = _upload_and_wait(page, sample)
    print(f"\nupload to rendered report, {len(sample.read_text(encoding='utf-8'))}-character draft: {seconds:.2f} s")
    assert not dialogs
    page.close()


def test_hostile_html_in_a_draft_renders_as_text(server, browser, tmp_path):
    p = tmp_path / "hostile.txt"
    p.write_text(HOSTILE, encoding="utf-8")
    page, dialogs = _page(browser, f"{server}/single")
    _upload_and_wait(page, p)
    page.wait_for_timeout(500)
    body = page.inner_text("[data-testid='stApp']")
    assert "<script>alert(1)</script>" in body and "<img src=x onerror=alert(2)>" in body
    assert dialogs == []
    assert page.locator("[data-testid='stApp'] img[src='x']").count() == 0
    page.close()


def test_batch_page(server, browser, tmp_path):
    page, dialogs = _page(browser, f"{server}/batch")
    files = [ROOT / "samples" / f for f in ("self-good.txt", "self-weak.txt", "team.txt")]
    t0 = time.perf_counter()
    page.locator("input[type=file]").first.set_input_files([str(f) for f in files])
    page.get_by_role("button", name="开始批量审阅").click(timeout=60_000)   # enabled once uploaded
    page.wait_for_selector("[data-testid='stDataFrame'], [data-testid='stTable']", timeout=120_000)
    page.wait_for_selector(READY, timeout=120_000)
    print(f"\nbatch of {len(files)} drafts rendered in {time.perf_counter() - t0:.2f} s")
    body = page.inner_text("[data-testid='stApp']")
    assert "self-weak" in body and "team" in body
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "batch.png"), full_page=True)
    assert not dialogs
    page.close()
