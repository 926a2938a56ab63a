"""Stage 1, load: read every problem folder and check it statically.

Reads problem.md (front matter, statement, examples, hints), the Python files and the known
mistakes; checks each front-matter field, the files, the function's definitions, the examples
and any TODO(author) left. Hands on a list of `Problem`s, their Markdown parsed to tokens, and
every error as a `path:line: message` line; behaviour.py then runs them.
"""

from __future__ import annotations

import ast
import keyword
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from sitebuild import PROBLEMS_DIR, BuildError
from sitebuild.examples import parse_example
from sitebuild.render import group_by_series, markdown

DIFFICULTIES = ("easy", "medium", "hard")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
PLACEHOLDER = "TODO(author)"
# Names a problem's module may not take: learner code imports them for other reasons.
RESERVED_MODULES = {"numpy", "runner", "pyodide", "js", "micropip", "solution", "hidden_tests"}
PROBLEM_FILES = ("problem.md", "starter.py", "solution.py", "tests.py")


@dataclass
class Problem:
    """One problem folder: loaded and checked, then (after render) turned into HTML."""

    slug: str
    folder: Path
    base: Path
    meta: dict
    markdown: str
    markdown_line: int
    files: dict[str, str]
    wrong: list[dict] = field(default_factory=list)
    tokens: list = field(default_factory=list)
    hint_tokens: list[list] = field(default_factory=list)
    examples: list[dict] = field(default_factory=list)
    test_names: list[str] = field(default_factory=list)
    html: str = ""
    hints_html: list[str] = field(default_factory=list)
    earlier: list["Problem"] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.meta["title"]

    @property
    def module(self) -> str | None:
        """The name learner code imports this problem's solution by, from later problems of
        its series (`relu-backward` -> `relu_backward`); None where no import could reach it."""
        name = self.slug.replace("-", "_")
        taken = name in sys.stdlib_module_names or name in RESERVED_MODULES
        return None if taken or keyword.iskeyword(name) or not name.isidentifier() else name

    @property
    def parts(self) -> list["Problem"]:
        """The earlier problems of the series whose solutions learner code may import."""
        return [problem for problem in self.earlier if problem.module]

    def location(self, filename: str, line: int | None = None) -> str:
        path = (self.folder / filename).relative_to(self.base)
        return f"{path}:{line or 1}"

    def spec(self) -> dict:
        """What the harness needs to grade this problem (runner.harness.ProblemSpec)."""
        return {
            "function": self.meta["function"],
            "tests": self.files["tests.py"],
            "returns": self.meta["returns"],
            "wrong": self.wrong,
            "examples": self.examples,
            "parts": [{"module": part.module, "slug": part.slug, "title": part.title,
                       "function": part.meta["function"], "tests": part.files["tests.py"],
                       "returns": part.meta["returns"]} for part in self.parts],
        }

    def imported_modules(self) -> set[str]:
        """The top-level modules that the problem's Python files import."""
        names = set()
        for text in [*self.files.values(), *(wrong["source"] for wrong in self.wrong)]:
            try:
                tree = ast.parse(text)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names.add(node.module.split(".")[0])
        return names

    def reference_parts(self) -> dict[str, str]:
        """The earlier problems' reference solutions, as the parts the checks import."""
        return {part.module: part.files["solution.py"] for part in self.parts}


def load_problems(problems_dir: Path = PROBLEMS_DIR) -> tuple[list[Problem], list[str]]:
    """Read every problem folder; return the problems that loaded and every error found."""
    # A slug is its folder's name, so no two problems share one; lowercase only, so none can
    # collide on a case-insensitive file system or host either.
    problems, errors = [], []
    for folder in problem_folders(problems_dir):
        if not SLUG.fullmatch(folder.name):
            where = f"{folder.relative_to(problems_dir.parent)}/problem.md:1"
            errors.append(f"{where}: slug {folder.name!r}: use lowercase letters, digits and '-'")
        try:
            problems.append(load_problem(folder, problems_dir.parent))
        except BuildError as error:
            errors += error.errors
    return problems, errors

def problem_folders(problems_dir: Path) -> list[Path]:
    """The folders of `problems_dir` that hold problems (not _template/ and the like)."""
    return sorted(p for p in problems_dir.iterdir()
                  if p.is_dir() and not p.name.startswith((".", "_")))


def link_series(problems: list[Problem]) -> None:
    """Tell each problem which problems come before it in its series."""
    for group in group_by_series(problems).values():
        if not group[0].meta["series"]:
            continue  # problems outside any series stand alone
        for index, problem in enumerate(group):
            problem.earlier = group[:index]


def load_problem(folder: Path, base: Path) -> Problem:
    """Read and statically check one problem folder; paths in messages are relative to `base`."""
    relative = folder.relative_to(base)
    missing = [name for name in PROBLEM_FILES if not (folder / name).is_file()]
    if missing:
        raise BuildError([f"{relative / name}:1: missing file" for name in missing])
    files = {name: (folder / name).read_text(encoding="utf-8") for name in PROBLEM_FILES}
    meta, markdown, markdown_line = parse_front_matter(files["problem.md"], relative / "problem.md")
    problem = Problem(folder.name, folder, base, meta, markdown, markdown_line, files)
    errors = validate_front_matter(problem)
    errors += find_placeholders(problem)
    errors += validate_python_files(problem)
    errors += load_wrong_solutions(problem)
    if not errors:
        errors += parse_statement(problem)
    if errors:
        raise BuildError(errors)
    return problem


def parse_front_matter(text: str, path: Path) -> tuple[dict, str, int]:
    """Split `---` YAML front matter from Markdown; return (meta, markdown, its first line)."""
    import yaml

    match = re.match(r"---\n(.*?\n)---\n", text, re.DOTALL)
    if not match:
        raise BuildError([f"{path}:1: expected YAML front matter between '---' lines"])
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        reason = getattr(error, "problem", None) or str(error)
        context, start = getattr(error, "context", None), getattr(error, "context_mark", None)
        if context and start:
            reason += f" ({context} started on line {start.line + 2})"
        raise BuildError([f"{path}:{line}: invalid YAML: {reason}"]) from None
    if not isinstance(meta, dict):
        raise BuildError([f"{path}:2: front matter must be a mapping of field: value"])
    markdown_line = match.group(0).count("\n") + 1
    return meta, text[match.end() :], markdown_line


def _is_text_list(value) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


# Front-matter fields: (check, what the check wants, default or REQUIRED). docs/authoring.md
# documents them.
REQUIRED = object()
FIELDS = {
    "title": (lambda v: isinstance(v, str) and v.strip() != "", "text", REQUIRED),
    "difficulty": (lambda v: v in DIFFICULTIES, f"one of {', '.join(DIFFICULTIES)}", REQUIRED),
    "function": (lambda v: isinstance(v, str) and v.isidentifier(), "a Python name", REQUIRED),
    "returns": (_is_text_list, "a list of names", []),
    "series": (lambda v: isinstance(v, str), "text", ""),
    "position": (lambda v: isinstance(v, int) and not isinstance(v, bool), "an integer", 0),
    "time_limit": (
        lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v <= 60,
        "a number of seconds from 0 to 60",
        5,
    ),
}


def validate_front_matter(problem: Problem) -> list[str]:
    """Check every front-matter field against FIELDS; fill in defaults."""
    errors = []
    lines = problem.files["problem.md"].splitlines()

    def where(key: str) -> str:
        for number, line in enumerate(lines, start=1):
            if line.startswith(f"{key}:"):
                return problem.location("problem.md", number)
        return problem.location("problem.md", 1)

    for key, (check, wanted, default) in FIELDS.items():
        if key not in problem.meta:
            if default is REQUIRED:
                errors.append(f"{where(key)}: missing required field '{key}'")
                continue
            problem.meta[key] = default
        elif not check(problem.meta[key]):
            errors.append(f"{where(key)}: '{key}': expected {wanted}, got {problem.meta[key]!r}")
    for key in sorted(problem.meta.keys() - FIELDS.keys()):
        errors.append(f"{where(key)}: unknown field '{key}'")
    return errors


def find_placeholders(problem: Problem) -> list[str]:
    """Report every `TODO(author)` left by `build.py new`, with what it asks for."""
    errors = []
    for name, text in [*problem.files.items(), *_wrong_files(problem)]:
        for number, line in enumerate(text.splitlines(), start=1):
            if PLACEHOLDER in line:
                request = line.split(PLACEHOLDER, 1)[1].strip(" :#\"'")
                errors.append(f"{problem.location(name, number)}: fill in: {request}")
    return errors


def _wrong_files(problem: Problem) -> list[tuple[str, str]]:
    folder = problem.folder / "wrong"
    return [(f"wrong/{path.name}", path.read_text(encoding="utf-8"))
            for path in sorted(folder.glob("*.py"))]


def validate_python_files(problem: Problem) -> list[str]:
    """Check that the Python files compile and that starter and solution define the function."""
    errors = []
    for name in ("starter.py", "solution.py", "tests.py"):
        tree, error = _parse_python(problem, name, problem.files[name])
        if error:
            errors.append(error)
        elif name != "tests.py" and _function_def(tree, problem.meta.get("function")) is None:
            errors.append(f"{problem.location(name)}: function "
                          f"'{problem.meta.get('function')}' is not defined")
    return errors


def _parse_python(problem: Problem, name: str, text: str):
    try:
        return ast.parse(text, filename=name), None
    except SyntaxError as error:
        return None, f"{problem.location(name, error.lineno)}: syntax error: {error.msg}"


def _function_def(tree, function):
    for node in tree.body if tree else []:
        if isinstance(node, ast.FunctionDef) and node.name == function:
            return node
    return None


def load_wrong_solutions(problem: Problem) -> list[str]:
    """Read wrong/*.py: known mistakes, each a function and a docstring hint for the learner."""
    errors = []
    for name, text in _wrong_files(problem):
        tree, error = _parse_python(problem, name, text)
        if error:
            errors.append(error)
            continue
        hint = ast.get_docstring(tree)
        if not hint:
            errors.append(f"{problem.location(name)}: no hint: start the file with a docstring "
                          "saying, in one sentence, what the mistake is")
        elif _function_def(tree, problem.meta.get("function")) is None:
            errors.append(f"{problem.location(name)}: function "
                          f"'{problem.meta.get('function')}' is not defined")
        else:
            problem.wrong.append({"name": Path(name).stem, "hint": " ".join(hint.split()),
                                  "source": text})
    return errors


def parse_statement(problem: Problem) -> list[str]:
    """Parse the Markdown; take out the `## Hints` section and the ```example blocks."""
    tokens = markdown().parse(problem.markdown)
    problem.tokens, problem.hint_tokens, stray = _split_hints(tokens)
    errors = [f"{problem.location('problem.md', problem.markdown_line + line)}: text in the "
              f"'## Hints' section outside its list would not be shown: make it a list item, "
              f"or move it above the section" for line in stray]
    solution = _function_def(ast.parse(problem.files["solution.py"]), problem.meta["function"])
    parameters = [arg.arg for arg in solution.args.args]
    optional = parameters[len(parameters) - len(solution.args.defaults):]
    heading = ""
    for index, token in enumerate(problem.tokens):
        if token.type == "heading_open":
            heading = _plain_text(problem.tokens[index + 1])
        if token.type == "fence" and token.info.strip() == "example":
            fence_line = problem.markdown_line + token.map[0]  # the block's lines follow it
            example, example_errors = parse_example(
                token.content, heading or f"Example {len(problem.examples) + 1}",
                parameters, problem.meta["returns"], optional,
            )
            errors += [f"{problem.location('problem.md', fence_line + line)}: example: {text}"
                       for line, text in example_errors]
            if example:
                problem.examples.append(example)
    return errors


def _split_hints(tokens) -> tuple[list, list[list], list[int]]:
    """Return (statement tokens, one token list per item of the `## Hints` lists, and the
    0-based Markdown lines of any block in that section outside them)."""
    start = next((i for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2"
                  and _plain_text(tokens[i + 1]) == "Hints"), None)
    if start is None:
        return tokens, [], []
    end = next((i for i in range(start + 1, len(tokens)) if tokens[i].type == "heading_open"
                and tokens[i].tag == "h2"), len(tokens))
    hints, item, stray = [], None, []
    for token in tokens[start + 3 : end]:
        if token.level == 0 and token.type in ("bullet_list_open", "ordered_list_open"):
            continue
        if token.type == "list_item_open" and token.level == 1:
            item = []
        elif token.type == "list_item_close" and token.level == 1:
            hints.append(item)
            item = None
        elif item is not None:
            item.append(token)
        elif token.level == 0 and token.nesting >= 0 and token.map:
            stray.append(token.map[0])  # a paragraph, code block, table... outside the list
    return tokens[:start] + tokens[end:], hints, stray


def _plain_text(inline) -> str:
    return "".join(child.content for child in inline.children or [] if child.content)


