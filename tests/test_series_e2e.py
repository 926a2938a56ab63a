"""End to end: the "Build a neural network from scratch" series in each engine, with real Pyodide.

Every problem of the series solves with its reference and fails with each of its known mistakes,
and with two plausible wrong answers that are not among them, in the browser; learner code
imports the learner's own earlier parts (saved by the pages), and a part that is missing or
failing is named, with a link to its problem; the catalog shows how far the learner is through
the series.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from sitebuild.problems import link_series, load_problems
from sitebuild.render import group_by_series
from conftest import READY_TIMEOUT_MS, wait_ready
from series_wrong_answers import wrong_answers

ROOT = Path(__file__).resolve().parent.parent
SERIES = "Build a neural network from scratch"
PROBLEMS, _ = load_problems(ROOT / "problems")
link_series(PROBLEMS)
IN_SERIES = group_by_series(PROBLEMS)[SERIES]
BY_SLUG = {problem.slug: problem for problem in IN_SERIES}
SUMMARY = "[data-testid=results-summary]"


@pytest.fixture
def page_at(fresh, site_url):
    """Open problem pages (or the catalog, slug "") in fresh contexts, with the learner's saved
    code ({slug: code}) and progress ({slug: state}) in storage; errors fail the test."""

    def open_page(slug: str, saved: dict[str, str] | None = None, progress: dict | None = None):
        return fresh(site_url, slug=slug, storage=storage_entries(saved or {}, progress or {}))

    return open_page


def storage_entries(saved: dict[str, str], progress: dict[str, str]) -> dict:
    """Code and progress as the pages save them in localStorage."""
    entries = {f"ml-practice:v1:code:{slug}": {"code": code, "starterVersion": "test",
                                               "savedAt": "2026-01-01T00:00:00Z"}
               for slug, code in saved.items()}
    entries |= {f"ml-practice:v1:progress:{slug}": {"state": state, "solvedAt": "2026-01-01"}
                for slug, state in progress.items()}
    return entries


def store(page, saved: dict[str, str]) -> None:
    """Save code for other problems, as their pages would have."""
    page.evaluate("""entries => { for (const [key, value] of Object.entries(entries))
                                    localStorage.setItem(key, JSON.stringify(value)); }""",
                  storage_entries(saved, {}))


def run(page, source: str, kind: str = "tests") -> str:
    """Run `source`'s tests (or examples) and return the summary, such as "6/6 passed"."""
    page.evaluate("source => window.practiceApp.setCode(source)", source)
    page.click(f"[data-testid=run-{kind}]")
    list_item = "test-result" if kind == "tests" else "example-result"
    page.wait_for_function(
        f"""() => document.querySelector('[data-testid=runtime-status]').dataset.state === 'ready'
              && [...document.querySelectorAll('[data-testid={list_item}]')]
                   .every(item => item.dataset.status !== 'pending')""",
        timeout=READY_TIMEOUT_MS,
    )
    return page.inner_text(SUMMARY)


def statuses(page, kind: str = "test") -> list[str]:
    return page.eval_on_selector_all(f"[data-testid={kind}-result]",
                                     "items => items.map(item => item.dataset.status)")


def references_before(problem) -> dict[str, str]:
    """The reference solutions of the problems before `problem`, as the learner's saved code."""
    return {part.slug: part.files["solution.py"] for part in problem.parts}


def test_the_series_is_complete_and_in_order():
    slugs = [problem.slug for problem in IN_SERIES]
    assert len(slugs) >= 12
    fixed = ["linear-forward", "linear-backward", "relu-backward", "sigmoid", "sigmoid-backward",
             "mse-loss", "softmax", "softmax-cross-entropy", "numerical-gradient",
             "sgd-momentum", "mlp-backward", "train-xor"]
    assert [slug for slug in slugs if slug in fixed] == fixed
    assert slugs[:2] == ["linear-forward", "linear-backward"] and slugs[-1] == "train-xor"


@pytest.mark.parametrize("slug", [problem.slug for problem in IN_SERIES])
def test_each_problem_solves_with_its_reference_and_fails_with_its_known_mistakes(slug, page_at,
                                                                                  engine):
    problem = BY_SLUG[slug]
    page = page_at(slug, saved=references_before(problem))
    wait_ready(page)
    total = page.locator("[data-testid=test-result]").count()
    assert 5 <= total <= 8
    started = time.perf_counter()
    assert run(page, problem.files["solution.py"]) == f"{total}/{total} passed"
    seconds = time.perf_counter() - started
    print(f"{slug}: reference graded in {engine} in {seconds:.2f} s")
    assert page.locator("[data-testid=parts-report]").is_hidden()
    run(page, problem.files["solution.py"], kind="examples")
    assert set(statuses(page, "example")) == {"pass"}
    for wrong in problem.wrong:
        summary = run(page, wrong["source"])
        assert summary != f"{total}/{total} passed", wrong["name"]
        assert {"fail", "error"} & set(statuses(page)), wrong["name"]
    # Two plausible wrong answers that are not known mistakes: caught, with words to act on.
    for name, source, mention in wrong_answers(slug):
        assert run(page, source) != f"{total}/{total} passed", name
        assert mention in page.inner_text(".results"), name


def test_a_part_never_written_names_the_problem_to_solve_first(page_at):
    page = page_at("linear-backward")
    wait_ready(page)
    source = "from linear_forward import linear_forward\n" + BY_SLUG["linear-backward"].files["solution.py"]
    run(page, source)
    assert "you have not written yet: solve that problem first" in page.inner_text("[data-testid=run-error]")
    part = page.locator("[data-testid=part-result]")
    assert part.get_attribute("data-status") == "missing"
    link = part.locator("a")
    assert link.inner_text() == "Solve Linear forward first →"
    assert link.get_attribute("href") == "../linear-forward/"


def test_a_failing_part_is_named_and_a_fixed_part_clears_the_note(page_at):
    forward = BY_SLUG["linear-forward"]
    no_bias = next(w["source"] for w in forward.wrong if w["name"] == "no_bias")
    page = page_at("linear-backward", saved={"linear-forward": no_bias})
    wait_ready(page)
    source = ("from linear_forward import linear_forward\n"
              + BY_SLUG["linear-backward"].files["solution.py"])
    assert run(page, source) == "6/6 passed"  # this problem's own tests never use the part
    part = page.locator("[data-testid=part-result]")
    assert part.get_attribute("data-status") == "fail"
    total = forward.files["tests.py"].count("@hidden_test(")
    assert part.inner_text() == ("Your `linear_forward` does not pass Linear forward's tests "
                                 f"(1 of {total} pass): fix it there first. Go to Linear forward →")
    assert "does not pass Linear forward's tests" in page.inner_text("[data-testid=announcer]")
    store(page, {"linear-forward": forward.files["solution.py"]})
    assert run(page, source) == "6/6 passed"
    assert page.locator("[data-testid=parts-report]").is_hidden()


def test_the_capstone_names_the_broken_part_behind_a_failed_training(page_at):
    capstone = BY_SLUG["train-xor"]
    saved = references_before(capstone)
    saved["sgd-momentum"] = next(w["source"] for w in BY_SLUG["sgd-momentum"].wrong)
    page = page_at("train-xor", saved=saved)
    wait_ready(page)
    run(page, capstone.files["solution.py"])
    reports = page.eval_on_selector_all(
        "[data-testid=part-result]", "items => items.map(i => [i.dataset.module, i.dataset.status])")
    assert ["sgd_momentum", "fail"] in reports or ["sgd_momentum", "error"] in reports, reports


def test_the_catalog_shows_progress_through_the_series_and_the_next_problem(page_at):
    page = page_at("", progress={"linear-forward": "solved", "linear-backward": "solved",
                                 "sigmoid": "solved"})
    series = page.locator("[data-testid=catalog-series]", has_text=SERIES)
    summary = series.locator("[data-testid=series-progress]")
    assert summary.inner_text() == (
        f"3 of {len(IN_SERIES)} solved · Continue: {IN_SERIES[2].title} →")
    assert summary.locator("[data-testid=series-next]").get_attribute("href") == f"{IN_SERIES[2].slug}/"
    titles = series.locator("[data-testid=catalog-problem] a").all_inner_texts()
    assert titles == [problem.title for problem in IN_SERIES]
