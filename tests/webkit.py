"""Placeholder for the WebKit adapter (issue #15): the Selenium WebKitGTK adapter with
Playwright's sync API is being written apart and replaces this file when merged.

Until then `launch` fails, so that every WebKit test fails loudly rather than being skipped.
"""


def launch(**options):
    """Fail: the WebKit adapter is not here yet."""
    raise RuntimeError("tests/webkit.py is a placeholder: the Selenium adapter for WebKitGTK's "
                       "WebDriver is not merged yet, so WebKit tests cannot run "
                       "(run with --engine chromium --engine firefox meanwhile)")
