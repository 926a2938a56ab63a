"""Stage 3, render: Markdown to HTML, every formula through KaTeX, pages through Jinja2.

`render` turns each checked problem's tokens into HTML, with every formula of the build
rendered by KaTeX in one Node process (katex_batch.mjs), and hands the problems on with their
`html` and `hints_html`; a formula KaTeX refuses is an error at its line. `write_pages`, run
by the pipeline's write step, renders index.html (the one Jinja2 template) for the catalog and
for each problem. The Markdown parser lives here, and load (problems.py) uses it too: one
parser reads and renders the statement.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import secrets
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from sitebuild import ROOT, BuildError
from sitebuild.assets import sri

if TYPE_CHECKING:
    from sitebuild.problems import Problem

# Reads formulas as JSON on stdin, writes KaTeX's HTML or error for each on stdout.
KATEX_BATCH = Path(__file__).with_name("katex_batch.mjs")


@functools.cache
def markdown():
    """The one Markdown parser: CommonMark, tables, `$math$`, and ```example blocks."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md = MarkdownIt("commonmark").enable("table")
    md.use(dollarmath_plugin, renderer=lambda tex, opts: RENDERED_MATH[(tex, opts["display_mode"])])
    default_fence = md.renderer.rules["fence"]

    def fence(renderer, tokens, index, options, env):
        token = tokens[index]
        if token.info.strip() == "example":
            return f'<pre class="example"><code>{html.escape(token.content)}</code></pre>\n'
        return default_fence(tokens, index, options, env)

    md.add_render_rule("fence", fence)
    return md


# KaTeX's HTML for each (tex, display) formula, filled by `render` before Markdown is rendered.
RENDERED_MATH: dict[tuple[str, bool], str] = {}


def render(problems: list[Problem]) -> None:
    """Fill in each problem's HTML; raise BuildError naming the line of any bad formula."""
    locations: dict[tuple[str, bool], list[str]] = {}
    for problem in problems:
        for tokens in (problem.tokens, *problem.hint_tokens):
            for formula, line in math_in(tokens, problem):
                locations.setdefault(formula, []).append(problem.location("problem.md", line))
    pending = [formula for formula in locations if formula not in RENDERED_MATH]
    errors = []
    for formula, result in zip(pending, katex_render(pending)):
        if "html" in result:
            RENDERED_MATH[formula] = result["html"]
        else:
            errors += [f"{where}: LaTeX: {result['error']}" for where in locations[formula]]
    if errors:
        raise BuildError(errors)
    md = markdown()
    for problem in problems:
        problem.html = md.renderer.render(problem.tokens, md.options, {})
        problem.hints_html = [md.renderer.render(tokens, md.options, {})
                              for tokens in problem.hint_tokens]


def math_in(tokens, problem: Problem):
    """Yield ((tex, display), line in problem.md) for every formula in a token stream."""
    source_lines = problem.markdown.splitlines()
    for token in tokens:
        start = token.map[0] if token.map else 0
        for child in [token, *(token.children or [])]:
            if child.type in ("math_inline", "math_block", "math_block_label"):
                tex = child.content.strip()
                line = _line_of(tex, source_lines, start)
                yield (tex, child.type != "math_inline"), problem.markdown_line + line


def _line_of(tex: str, lines: list[str], start: int) -> int:
    first = tex.splitlines()[0] if tex else ""
    for offset, line in enumerate(lines[start:]):
        if first and first in line:
            return start + offset
    return start


def katex_render(formulas: list[tuple[str, bool]]) -> list[dict]:
    """Render [(tex, display)] with KaTeX in one Node process."""
    if not formulas:
        return []
    completed = subprocess.run(
        ["node", str(KATEX_BATCH)],
        input=json.dumps(formulas),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if completed.returncode != 0:
        raise BuildError([f"package.json:1: KaTeX failed to run: {completed.stderr.strip()}"])
    return json.loads(completed.stdout)


def write_pages(problems: list[Problem], out: Path, assets: dict,
                pyodide_url: str | None) -> None:
    """Render index.html once for the catalog and once per problem."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(ROOT),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    template = env.get_template("index.html")
    env.globals.update(assets=assets, style_nonce=secrets.token_urlsafe(16),
                       boot_script_hash=sri(hashlib.sha256(assets["boot.js"].encode()).digest()),
                       errors_script_hash=sri(hashlib.sha256(assets["errors.js"].encode()).digest()))
    series = group_by_series(problems)
    (out / "index.html").write_text(
        template.render(root="", problem=None, series=series), encoding="utf-8"
    )
    for group in series.values():
        for index, problem in enumerate(group):
            page = out / problem.slug / "index.html"
            page.parent.mkdir(parents=True)
            data = page_data(problem, env.globals["style_nonce"], assets)
            neighbours = {"previous": group[index - 1] if index else None,
                          "next": group[index + 1] if index + 1 < len(group) else None,
                          "position": index + 1, "count": len(group)}
            html = template.render(root="../", problem=problem, series=series, data=data,
                                   neighbours=neighbours)
            page.write_text(html, encoding="utf-8")
            # What a later problem of the series needs to grade this one as a learner's part.
            (page.parent / "part.json").write_text(json.dumps({"tests": problem.files["tests.py"]}))


def group_by_series(problems: list[Problem]) -> dict[str, list[Problem]]:
    """Problems by series (in order of their series' names), each series by position."""
    series: dict[str, list[Problem]] = {}
    for problem in sorted(problems, key=lambda p: (p.meta["series"], p.meta["position"], p.slug)):
        series.setdefault(problem.meta["series"], []).append(problem)
    return series


def page_data(problem, style_nonce, assets) -> dict:
    """What a problem page's script needs, embedded in the page as JSON."""
    spec = problem.spec()
    # Earlier parts' hidden tests are fetched by the worker when a run needs them (their
    # part.json): in the page, a series' last problem would carry all of them.
    spec["parts"] = [{key: value for key, value in part.items() if key != "tests"}
                     for part in spec["parts"]]
    return {
        "slug": problem.slug,
        "spec": spec,
        "timeLimitMs": int(problem.meta["time_limit"] * 1000),
        "starter": problem.files["starter.py"],
        "starterVersion": hashlib.sha256(problem.files["starter.py"].encode()).hexdigest()[:16],
        "solution": problem.files["solution.py"],
        "testNames": problem.test_names,
        "exampleNames": [example["name"] for example in problem.examples],
        "workerPath": f"../{assets['worker.js']}",
        "styleNonce": style_nonce,
    }
