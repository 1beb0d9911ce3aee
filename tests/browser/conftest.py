"""Browser tests: the app served on 127.0.0.1 in a thread, driven in Debian's headless
Chromium through Playwright, with axe-core checking every page visited."""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import Page, expect, sync_playwright
from werkzeug.serving import make_server

CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
PHONE = {"width": 360, "height": 740}
# With FAIRPANEL_SCREENS set to a folder, ``Visitor.photograph`` saves pictures there
# (docs/screens/shoot.py sets it); otherwise it does nothing.
SCREENS = os.environ.get("FAIRPANEL_SCREENS")
BLOCKING_IMPACTS = {"serious", "critical"}
# What decides the colours on a page as it is now: which of the stylesheets' media
# queries the window matches, the focused element and, for every element, what the
# stylesheets select on (tag, classes and the attributes static/css selects by) and its
# inline style's colours (not its sizes: a bar's width is data). Two pages alike in this
# have the same colours.
STYLING = """() => {
  const seen = new Set();
  const colours = /(color|background|fill|stroke|opacity|filter|visibility|display)/;
  for (const e of document.querySelectorAll('body, body *')) {
    const a = (name) => e.hasAttribute(name) ? name + '=' + e.getAttribute(name) : '';
    const style = (e.getAttribute('style') || '').split(';')
      .filter((part) => colours.test(part.split(':')[0])).join(';');
    seen.add([e.tagName, e.getAttribute('class'), style, a('aria-current'), a('open'),
              a('hidden'), a('disabled'), a('data-live-url'), a('data-label'), a('href') && 'href',
              e.checked ? 'checked' : ''].join('|'));
  }
  const media = new Set();  // the window, as the stylesheets' media queries see it
  for (const sheet of document.styleSheets) {
    for (const rule of sheet.cssRules) {
      const query = rule.media && rule.media.mediaText;
      if (query) media.add(query + '=' + matchMedia(query).matches);
    }
  }
  const focused = document.activeElement;
  return [...[...media].sort(), matchMedia('(prefers-color-scheme: dark)').matches,
          focused ? focused.tagName + '.' + focused.getAttribute('class') : '',
          ...[...seen].sort()].join('\\n');
}"""
# The page as axe would find it, in one call: whether axe is loaded, a digest of its
# styling (above), and a digest of the whole page as it is now: that styling, the window's
# size and pixel ratio, and the document's markup with its CSRF tokens left out (they
# differ per session). axe reads the page through its markup, styling and window, so a
# page whose digest has passed in this process is not run through axe again.
PAGE_STATE = """async () => {
  const digest = async (text) => {
    const bytes = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
    return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
  };
  const styling = (%s)();
  const markup = document.documentElement.outerHTML
    .replace(/(name="csrf_token"[^>]*value=")[^"]*/g, '$1')
    .replace(/(name="csrf-token"[^>]*content=")[^"]*/g, '$1');
  const window_ = [innerWidth, innerHeight, devicePixelRatio].join('x');
  return {axe: typeof window.axe !== 'undefined', styling: await digest(styling),
          page: await digest([window_, styling, markup].join('\\n'))};
}""" % STYLING
# Stylings whose colour contrast axe has passed in this process. axe's colour-contrast
# rule is four fifths of its time (it reads the computed colours behind every piece of
# text); a page styled exactly like one already passed is checked by every other rule.
CONTRAST_PASSED: set[str] = set()
# Pages (PAGE_STATE's digest) axe has passed whole in this process: a quarter of the
# pages the browser tests check are ones another test, or the same test on its way back,
# has already seen exactly so (the sign-in page, a round's first page).
PAGES_PASSED: set[str] = set()


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Debian's chromium is not installed: run `make test`, which installs it")
    return path


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class LiveServer:
    def __init__(self, app) -> None:
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        app.config["BASE_URL"] = self.url
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)


@pytest.fixture
def live_server(app):
    server = LiveServer(app).start()
    yield server
    server.stop()


class Visitor:
    """One person in their own browser context, with axe checking every page they see.

    axe needs JavaScript; for a visitor browsing without it, the exact HTML they were
    served is replayed at the same address in a JavaScript-enabled ``checker`` page."""

    def __init__(self, page: Page, base_url: str, checker: Page | None = None) -> None:
        self.page = page
        self.base_url = base_url
        self.checker = checker
        self.checked: list[str] = []
        self.axe_runs = 0  # pages of ``checked`` axe ran on (not passed before as they are)
        self.off_origin: list[str] = []
        page.on("request", self._note_request)

    def _note_request(self, request) -> None:
        if not request.url.startswith((self.base_url, "data:")):
            self.off_origin.append(request.url)

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path)
        self.check()

    def sign_in_staff(self, email: str, password: str) -> None:
        """Sign in with an e-mail address and password, as staff do."""
        page = self.page
        self.goto("/sign-in/staff")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state("load")

    def sign_in_by_link(self, mailbox, email: str) -> None:
        """Ask for a sign-in link, open it from the e-mail and sign in, as a panellist
        does; lands on My rounds."""
        page = self.page
        self.goto("/sign-in")
        page.get_by_label("Email address").fill(email)
        page.get_by_role("button", name="Email me a sign-in link").click()
        page.wait_for_load_state("load")
        self.goto(mailbox.last_link(email, "/sign-in/link/"))
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("My rounds")

    def check(self) -> None:
        """Fail on any serious or critical axe violation on the page as it is now."""
        self.page.wait_for_load_state("load")
        assert not self.off_origin, f"requests off the app's origin: {self.off_origin}"
        page = self._page_for_axe()
        state = page.evaluate(PAGE_STATE)
        if state["page"] not in PAGES_PASSED:
            self._run_axe(page, state)
        self.checked.append(self.page.url)

    def _run_axe(self, page: Page, state: dict) -> None:
        self.axe_runs += 1
        if not state["axe"]:  # a page the context's init script did not reach
            page.evaluate(AXE_SCRIPT)
        options = {"resultTypes": ["violations"]}
        if state["styling"] in CONTRAST_PASSED:
            options["rules"] = {"color-contrast": {"enabled": False}}
        violations = page.evaluate(
            "(options) => axe.run(document, options).then(results => results.violations)",
            options)
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        details = "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in blocking
        )
        assert not blocking, f"axe found problems on {self.page.url}:\n{details}"
        CONTRAST_PASSED.add(state["styling"])
        PAGES_PASSED.add(state["page"])

    def round_tab_is(self, label: str) -> None:
        """The round's navigation marks ``label`` as the page you are on: the tab on a
        laptop; on a phone, the closed "Round menu: <label>", opened to see its link."""
        menu = self.page.locator("summary.fp-round-menu__summary")
        if menu.is_visible():
            expect(menu).to_contain_text(f"Round menu: {label}")
            menu.click()
        expect(self.page.get_by_role("link", name=label, exact=True)).to_have_attribute(
            "aria-current", "page")

    def box(self, locator) -> dict:
        """``locator``'s bounding box once the page and its stylesheet have loaded (a box
        measured while the stylesheet is still arriving is the unstyled one)."""
        self.page.wait_for_load_state("load")
        return locator.bounding_box()

    def fits(self, width: int, height: int = 740) -> None:
        """At a window ``width`` pixels wide, nothing on the page is wider than the window."""
        self.page.set_viewport_size({"width": width, "height": height})
        scroll_width = self.page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{self.page.url} is {scroll_width} px wide at {width}"

    def smallest_text_px(self, within: str = "main") -> float:
        """The smallest computed font size of any visible text inside ``within``."""
        return self.page.evaluate("""(selector) => {
            let smallest = Infinity;
            const walker = document.createTreeWalker(document.querySelector(selector),
                                                     NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const node = walker.currentNode;
                if (!node.textContent.trim()) continue;
                const element = node.parentElement;
                if (element.closest('.fp-visually-hidden')) continue;
                smallest = Math.min(smallest, parseFloat(getComputedStyle(element).fontSize));
            }
            return smallest;
        }""", within)

    def photograph(self, name: str, full_page: bool = False) -> None:
        """Save the window as FAIRPANEL_SCREENS/<name>.png, or with ``full_page`` the page
        from top to bottom as <name>.jpg (a long report is megabytes as a PNG), when that
        folder is set."""
        if SCREENS:
            Path(SCREENS).mkdir(parents=True, exist_ok=True)
            if full_page:
                self.page.screenshot(path=str(Path(SCREENS) / f"{name}.jpg"), full_page=True,
                                     type="jpeg", quality=70)
            else:
                self.page.screenshot(path=str(Path(SCREENS) / f"{name}.png"))

    def _page_for_axe(self) -> Page:
        if self.checker is None:
            return self.page
        url, html = self.page.url, self.page.content()
        if self.checker.viewport_size != self.page.viewport_size:  # after fits() resized it
            self.checker.set_viewport_size(self.page.viewport_size)
        self.checker.route(url, lambda route: route.fulfill(body=html, content_type="text/html"))
        try:
            self.checker.goto(url)
        finally:
            self.checker.unroute(url)
        return self.checker


@pytest.fixture
def visit(browser, live_server):
    """``visit(phone=True, javascript=True, viewport=None, locale=None)`` opens a new
    browser context (a 360×740 phone, or a window of ``viewport`` size, else Playwright's
    1280×720), whose own language is ``locale`` (as "cy-GB"; else Chromium's, en-US)."""
    contexts = []

    def open_visitor(phone: bool = False, javascript: bool = True,
                     viewport: dict | None = None, locale: str | None = None) -> Visitor:
        options = {"java_script_enabled": javascript}
        if locale:
            options["locale"] = locale
        if viewport:
            options["viewport"] = viewport
        if phone:
            options.update(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
        context = _context(browser, options)
        contexts.append(context)
        checker = None
        if not javascript:
            checker_context = _context(browser, {**options, "java_script_enabled": True})
            contexts.append(checker_context)
            checker = checker_context.new_page()
        return Visitor(context.new_page(), live_server.url, checker)

    yield open_visitor
    for context in contexts:
        context.close()


def _context(browser, options: dict):
    """A browser context whose pages load axe-core as each document starts (a page that
    runs JavaScript): sent to Chromium once per context, not with every check, which
    took a tenth of the browser tests' time."""
    context = browser.new_context(**options)
    context.set_default_timeout(15_000)
    if options["java_script_enabled"]:
        context.add_init_script(AXE_SCRIPT)
    return context
