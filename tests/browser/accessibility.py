"""Accessibility checks for the browser journeys: axe-core (vendored unmodified, see vendor/axe-core/README.md)
runs the WCAG 2.1 A and AA rules on every page a journey visits, and a journey fails on any violation.

How: an init script puts axe-core into every HTML document of a watched context and checks the page once it
has loaded, again after every htmx swap, and once more at the end of the journey (a state already checked,
same address and same markup, is skipped). Before a page may leave its state, its next navigation, or the next
request its scripts send (htmx, autosave), is held until the page's checks are done. Without that hold the
journey, which goes on as soon as a page has loaded, would often leave a page before its check finished, and
which pages were checked would depend on timing.

The page does the work and reports it on its console, rather than the test evaluating axe-core in it, because
while a navigation is under way Chromium holds back every DevTools command to the page until the next document
commits: a test that evaluated anything while holding the navigation would wait for itself. Console messages
flow the other way and still arrive.

Why an init script and not a <script> tag: the pages' Content Security Policy allows only scripts that carry the
response's nonce, so a tag added by the test would be refused (and reported as a console error). Scripts the
browser injects for its DevTools client run outside that policy; axe-core itself needs no eval, so it then runs
under the policy as the pages ship it. tests/browser/test_accessibility_hook.py shows on a real page that the
rules did run.
"""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import BrowserContext, ConsoleMessage, Error, Page, Route

AXE_SOURCE = (Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The app has no frames; without "iframes: false" axe would wait for an answer from any frame a page embedded.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"], "iframes": False}
PREFIX = "certprep-axe "
# The longest a page's checks may hold its next request: far above the second the largest page needs on an idle
# machine (the catalogue's tree took over 45 s on a loaded one), and below the journeys' 120 s timeout, so that a
# check that hangs is reported as such rather than as a slow click.
WAIT_SECONDS = 100
# At the end of a journey no click waits on the check, so a page busy on a loaded machine gets longer.
FINISH_SECONDS = 150

# Runs in every document of a watched context before the page's own scripts. Only top-level HTML pages of the
# site are checked: not frames, not the blank page a tab starts on, not a JSON or text body the browser shows.
PAGE_SCRIPT = """
(() => {
  if (window.top !== window || !/^https?:$/.test(location.protocol) || document.contentType !== "text/html") return;
  const options = __OPTIONS__;
  const doc = Math.random().toString(36).slice(2);
  let seq = 0;
  const say = (kind, extra) => {
    seq += 1;
    console.debug("__PREFIX__" + JSON.stringify({kind, doc, seq, url: location.href, ...extra}));
    return {doc, seq};
  };
  const loaded = new Promise((resolve) => {
    if (document.readyState === "complete") resolve();
    else window.addEventListener("load", () => resolve(), {once: true});
  });
  const checked = new Set();
  let running = null;
  let again = false;

  function fingerprint() {
    const markup = document.documentElement.outerHTML;
    let hash = 0x811c9dc5;
    for (let i = 0; i < markup.length; i++) hash = Math.imul(hash ^ markup.charCodeAt(i), 0x01000193);
    return location.href + " " + (hash >>> 0).toString(16) + ":" + markup.length;
  }

  async function checkOnce() {
    const state = fingerprint();
    if (checked.has(state)) return;
    checked.add(state);
    try {
      const results = await window.axe.run(document, options);
      say("result", {
        passed: results.passes.length,
        violations: results.violations.map((rule) => ({
          rule: rule.id, impact: rule.impact || "", help: rule.help,
          targets: rule.nodes.map((node) => node.target.map(String).join(" >>> ")),
        })),
      });
    } catch (error) {
      say("error", {message: String((error && error.message) || error)});
    }
  }

  // Coalesces: a request while a check runs makes it run once more afterwards, on the state as it is then.
  function check() {
    if (running) {
      again = true;
      return running;
    }
    say("busy");
    running = (async () => {
      await loaded;
      do {
        again = false;
        await checkOnce();
      } while (again);
      running = null;
      return say("idle");
    })();
    return running;
  }

  Object.defineProperty(window, "__certprepAxeCheck", {value: check});
  check();
  document.addEventListener("htmx:afterSettle", () => check());
})();
""".replace("__OPTIONS__", json.dumps(AXE_OPTIONS)).replace("__PREFIX__", PREFIX)


@dataclass(frozen=True)
class Violation:
    """One WCAG rule broken by one element, on one page."""

    rule: str
    impact: str
    help: str
    target: str
    url: str

    def __str__(self) -> str:
        return f"{self.rule} ({self.impact}): {self.help} - {self.target} on {self.url}"


class AxeWatch:
    """Checks the pages of the contexts it watches with axe-core and collects what it finds, without failing.

    The journeys' `new_context` fixture fails the test with `finish()`'s list; the hook's own test uses a
    watch directly to show that it finds violations.
    """

    def __init__(self) -> None:
        self.violations: dict[tuple[str, str, str], Violation] = {}
        self.errors: list[str] = []
        self.checks = 0  # states of pages checked
        self.passed_rules = 0  # rules that ran and passed, over all checks: proof that axe-core really ran
        self._busy: dict[Page, str] = {}  # page -> the document whose checks are under way
        self._heard: dict[Page, tuple[str, int]] = {}  # page -> (document, number) of its last report

    def watch(self, context: BrowserContext) -> None:
        """Check every page of `context`, and hold each page's requests until its checks are done."""
        context.add_init_script(script=AXE_SOURCE + "\n;" + PAGE_SCRIPT)
        context.on("console", self._on_console)
        context.route("**/*", self._before_request)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "debug" or not message.text.startswith(PREFIX) or message.page is None:
            return
        report = json.loads(message.text.removeprefix(PREFIX))
        page, kind = message.page, report["kind"]
        self._heard[page] = (report["doc"], report["seq"])
        if kind == "busy":
            self._busy[page] = report["doc"]
        elif kind == "idle" and self._busy.get(page) == report["doc"]:
            del self._busy[page]
        elif kind == "error":
            self.errors.append(f"axe-core could not check {report['url']}: {report['message']}")
        elif kind == "result":
            self.checks += 1
            self.passed_rules += report["passed"]
            for found in report["violations"]:
                for target in found["targets"]:
                    violation = Violation(found["rule"], found["impact"], found["help"], target, report["url"])
                    self.violations.setdefault((violation.rule, violation.target, violation.url), violation)

    def _before_request(self, route: Route) -> None:
        request = route.request
        try:
            leaving = request.resource_type in ("xhr", "fetch") or (
                request.is_navigation_request() and request.frame.parent_frame is None
            )
            if leaving:
                self.wait(request.frame.page)
        except Error:
            pass  # the page or its context closed meanwhile: nothing left to check or to hold
        with contextlib.suppress(Error):  # likewise
            route.fallback()

    def wait(self, page: Page, seconds: float = WAIT_SECONDS) -> None:
        """Return once the checks of `page`'s current document are done (or it closed)."""
        deadline = time.monotonic() + seconds
        while page in self._busy and not page.is_closed():
            if time.monotonic() > deadline:
                doc, seq = self._heard.get(page, ("", 0))
                self.errors.append(
                    f"axe-core did not finish checking {page.url} within {seconds:g} s "
                    f"(document {self._busy[page]} busy; last report heard: document {doc or '-'}, number {seq})"
                )
                del self._busy[page]
                return
            try:
                page.wait_for_timeout(20)
            except Error:
                return  # the page or its context closed meanwhile

    def check(self, page: Page, seconds: float = WAIT_SECONDS) -> None:
        """Check `page` as it stands now, unless this state was checked already, and wait for the result."""
        self.wait(page, seconds)
        if page.is_closed():
            return
        try:
            done = page.evaluate("() => window.__certprepAxeCheck ? window.__certprepAxeCheck() : null")
        except Error as error:
            if not page.is_closed():
                self.errors.append(f"axe-core could not check {page.url}: {error.message}")
            return
        if done is None:
            return  # not a page of the site (a blank tab, a JSON body)
        # The page's reports travel as console events, which may arrive after the answer to `evaluate`.
        deadline = time.monotonic() + seconds
        while not page.is_closed() and not self._has_heard(page, done["doc"], done["seq"]):
            if time.monotonic() > deadline:
                self.errors.append(f"axe-core did not report its check of {page.url} within {seconds:g} s")
                return
            try:
                page.wait_for_timeout(20)
            except Error:
                return

    def _has_heard(self, page: Page, doc: str, seq: int) -> bool:
        heard_doc, heard_seq = self._heard.get(page, ("", 0))
        return heard_doc == doc and heard_seq >= seq

    def finish(self, contexts: list[BrowserContext]) -> list[str]:
        """Check every page still open, then list what was found: one line per rule broken on a page, naming
        the elements (the first ten), then any error."""
        for context in contexts:
            for page in context.pages:
                self.check(page, FINISH_SECONDS)
        grouped: dict[tuple[str, str], list[Violation]] = {}
        for violation in self.violations.values():
            grouped.setdefault((violation.rule, violation.url), []).append(violation)
        lines = []
        for (rule, url), found in grouped.items():
            targets = ", ".join(violation.target for violation in found[:10])
            more = f" and {len(found) - 10} more" if len(found) > 10 else ""
            lines.append(
                f"{rule} ({found[0].impact}) on {url}: {found[0].help}; {len(found)} element(s): {targets}{more}"
            )
        return lines + self.errors
