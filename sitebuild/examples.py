"""Stage 1, load (examples): parse a statement's ```example blocks.

An example assigns the function's inputs before a `# Output` line and the outputs it states
after it, as literals (and a few other forms, see `parse_example`). Hands on the example as
plain data for the harness (runner.harness.Example) or the errors with their lines.
"""

from __future__ import annotations

import ast
import re

OUTPUT_LINE = re.compile(r"\s*#\s*Output\b(?P<rest>.*)")
TOLERANCE = re.compile(r"\s*\(to within (?P<atol>\d+(?:\.\d*)?(?:e-?\d+)?)\)\s*")


def parse_example(text: str, name: str, parameters: list[str], returns: list[str],
                  optional: list[str] = ()):
    """Parse an example block: `name = literal` lines, inputs before `# Output`, outputs after.

    An input may also be `name: int = [...]` (an integer array) or `name = lambda ...`; inputs
    in `optional` (parameters with defaults) may be left out; `# Output (to within 0.25)` sets
    the outputs' absolute tolerance. Returns (example or None, [(line within the block, error)]).
    """
    try:
        tree = ast.parse(text)
    except SyntaxError as error:
        return None, [(error.lineno or 1, f"not valid Python: {error.msg}")]
    lines = text.splitlines()
    output_line, match = next(((i, m) for i, line in enumerate(lines, start=1)
                               if (m := OUTPUT_LINE.match(line))), (None, None))
    if output_line is None:
        return None, [(1, "no '# Output' line separating inputs from outputs")]
    inputs, outputs, kinds, errors = {}, [], {}, []
    atol = None
    if match["rest"].strip():
        tolerance = TOLERANCE.fullmatch(match["rest"])
        if tolerance is None:
            errors.append((output_line, "after '# Output' write nothing or '(to within 0.25)'"))
        else:
            atol = float(tolerance["atol"])
    for statement in tree.body:
        target, value, kind = _example_assignment(statement, text)
        if target is None:
            errors.append((statement.lineno, "expected `name = value`"))
            continue
        if value is _missing_value:
            wanted = "a list of whole numbers" if kind == "int" else "a literal"
            errors.append((statement.lineno, f"{target}: the value must be {wanted}"))
            if statement.lineno < output_line:
                inputs[target] = None  # given, if wrongly: not also a missing input
            continue
        if statement.lineno < output_line:
            inputs[target] = value
            if kind:
                kinds[target] = kind
        elif kind:
            errors.append((statement.lineno, f"{target}: outputs must be plain literals"))
        else:
            outputs.append((target, value))
    given = [p for p in parameters if p in inputs]
    required = [p for p in parameters if p not in optional]
    if set(inputs) - set(parameters) or set(required) - set(inputs) or given != parameters[:len(given)]:
        errors.append((1, f"inputs must be {', '.join(parameters)}; got {', '.join(inputs)}"))
    allowed = returns or [name for name, _ in outputs[:1]]
    unknown = [name for name, _ in outputs if name not in allowed]
    if unknown or not outputs:
        errors.append((output_line, f"outputs must be among {', '.join(returns) or 'one value'}; "
                                    f"got {', '.join(name for name, _ in outputs) or 'none'}"))
    if errors:
        return None, errors
    return {"name": name, "inputs": [(p, inputs[p]) for p in given], "outputs": outputs,
            "kinds": kinds, "atol": atol}, []


_missing_value = object()


def _example_assignment(statement, text: str):
    """(name, value, kind) of one line of an example; name None if it is no assignment."""
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        if not (isinstance(statement.annotation, ast.Name) and statement.annotation.id == "int"
                and statement.value is not None):
            return None, None, None
        target, node, kind = statement.target.id, statement.value, "int"
    elif (isinstance(statement, ast.Assign) and len(statement.targets) == 1
          and isinstance(statement.targets[0], ast.Name)):
        target, node, kind = statement.targets[0].id, statement.value, None
    else:
        return None, None, None
    if isinstance(node, ast.Lambda) and kind is None:
        return target, ast.get_source_segment(text, node), "lambda"
    try:
        value = ast.literal_eval(node)
    except ValueError:
        return target, _missing_value, kind
    if kind == "int" and not _all_ints(value):
        return target, _missing_value, kind
    return target, value, kind


def _all_ints(value) -> bool:
    if isinstance(value, (list, tuple)):
        return all(_all_ints(item) for item in value)
    return isinstance(value, int) and not isinstance(value, bool)
