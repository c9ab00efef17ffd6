"""Keyboard journeys: a user who only has the keyboard, counted key by key.

One press is one key action: Tab, Enter, a space, or typing a whole word into a
field (a user types a word as one thought, and the count is about navigation).
"""

PHONE = {"width": 360, "height": 740}
BUDGET = 25  # issue 16: each journey in at most 25 presses at 360 px


class JourneyTooLong(AssertionError):
    pass


class Keyboard:
    def __init__(self, tab, budget=BUDGET):
        self.tab = tab
        self.budget = budget
        self.log = []

    @property
    def count(self):
        return len(self.log)

    def _record(self, action):
        self.log.append(action)
        if self.count > self.budget:
            raise JourneyTooLong(f"more than {self.budget} presses: {self.describe()}")

    def press(self, key):
        self.tab.keyboard.press(key)
        self._record(key)

    def type(self, text):
        self.tab.keyboard.type(text)
        self._record(f"type {text!r}")

    def enter_and_wait(self):
        """Enter on a link or a form: the next page loads."""
        with self.tab.expect_navigation():
            self.press("Enter")

    def active(self, script):
        """`script` is a JavaScript expression over `element` (the focused element)."""
        return self.tab.evaluate(f"(() => {{ const element = document.activeElement; return {script}; }})()")

    def tab_until(self, script, what):
        """Tab forward until the focused element satisfies `script`."""
        while not self.active(f"!!element && ({script})"):
            if self.count >= self.budget:
                raise JourneyTooLong(f"{what} not reached in {self.budget} presses: {self.describe()}")
            self.press("Tab")

    def skip_to_content(self):
        """The skip link: the first Tab on a fresh page, then Enter."""
        self.tab_until("element.matches('a.skip-link, a[href=\"#main\"]')", "the skip link")
        self.press("Enter")

    def skip_towards(self, selector, what):
        """Use the page's skip links to come as close to `selector` as they go: of the
        in-page links whose target holds it, the one to the smallest target
        ("to the results" rather than "to the content"), then Tab on to it."""
        href = self.tab.evaluate(
            """selector => {
                const wanted = document.querySelector(selector);
                if (!wanted) return null;
                let best = null, size = Infinity;
                for (const link of document.querySelectorAll('a[href^="#"]')) {
                    const target = document.getElementById(link.getAttribute('href').slice(1));
                    if (!target || !target.contains(wanted)) continue;
                    const count = target.querySelectorAll('*').length;
                    if (count < size) { best = link.getAttribute('href'); size = count; }
                }
                return best;
            }""",
            selector,
        )
        if href is not None:
            self.tab_until(f"element.matches('a[href=\"{href}\"]')", f"the skip link {href}")
            self.press("Enter")
        self.tab_until(f"element.matches({selector!r})", what)

    def describe(self):
        return f"{self.count} presses: " + " ".join(self.log)
