"""Render: the statement, its math and the page's data, as the build writes them."""

import json
import re
from pathlib import Path

from conftest import TEST_NAMES
from sitebuild.runtime import PYODIDE_MODULE, PYODIDE_PATH

ROOT = Path(__file__).resolve().parent.parent


def test_problem_page_holds_statement_math_and_test_names(site):
    html = (site / "linear-backward" / "index.html").read_text()
    assert "<h1 id=\"problem-title\">Linear backward (chain rule)" in html
    for heading in ("Background", "Problem statement", "Input", "Output", "Examples",
                    "Constraints", "Notes"):
        assert f"<h2>{heading}</h2>" in html
    assert "Example 1 — the three gradients, hand-checked" in html
    assert "Example 2 — the bias gradient sums over the batch" in html
    # Math is rendered at build time: KaTeX markup with the TeX kept as MathML annotation.
    assert html.count('class="katex"') >= 10
    assert '<annotation encoding="application/x-tex">y = xW + b</annotation>' in html
    assert "\\sum_{b=1}^{B} g_{b,:}" in html
    assert "$" not in re.sub(r"<script.*?</script>", "", html, flags=re.DOTALL)
    for name in TEST_NAMES:
        assert f'data-test-name="{name}"' in html


def test_page_has_no_math_javascript_and_only_relative_urls(site):
    for page in (site / "index.html", site / "linear-backward" / "index.html"):
        html = page.read_text()
        urls = re.findall(r'(?:src|href)="([^"]*)"', html)
        assert urls, page
        assert [url for url in urls if url.startswith(("/", "http:", "https:", "//"))] == []
        assert "katex.min.js" not in html and "auto-render" not in html


def test_problem_data_carries_starter_tests_and_limits(site):
    html = (site / "linear-backward" / "index.html").read_text()
    data = json.loads(re.search(r'id="problem-data">(.*?)</script>', html, re.DOTALL).group(1))
    assert data["spec"]["function"] == "linear_backward"
    assert data["spec"]["returns"] == ["dx", "dW", "db"]
    assert len(data["spec"]["wrong"]) >= 6
    assert [example["name"] for example in data["spec"]["examples"]] == data["exampleNames"]
    assert data["testNames"] == TEST_NAMES
    assert data["starter"] == (ROOT / "problems/linear-backward/starter.py").read_text()
    assert data["timeLimitMs"] == 3000
    worker = site / "linear-backward" / data["workerPath"]
    assert f'url:"../../{PYODIDE_PATH}/",module:"{PYODIDE_MODULE}"' in worker.read_text()
    assert (worker.parent / f"../../{PYODIDE_PATH}/{PYODIDE_MODULE}").resolve().is_file()


def test_a_page_names_its_earlier_parts_and_their_tests_wait_in_part_json(site):
    html = (site / "train-xor" / "index.html").read_text()
    data = json.loads(re.search(r'id="problem-data">(.*?)</script>', html, re.DOTALL).group(1))
    parts = data["spec"]["parts"]
    assert [part["slug"] for part in parts][:2] == ["linear-forward", "linear-backward"]
    assert parts[0] == {"module": "linear_forward", "slug": "linear-forward",
                        "title": "Linear forward", "function": "linear_forward", "returns": []}
    # The capstone's page does not carry eleven test files: the worker fetches them on demand.
    for part in parts:
        tests = (ROOT / "problems" / part["slug"] / "tests.py").read_text()
        assert json.loads((site / part["slug"] / "part.json").read_text()) == {"tests": tests}
        assert tests not in html
    assert "part.json" in (site / "sw.js").read_text()  # kept for offline use too
