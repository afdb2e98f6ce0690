"""The README's Python example runs and prints what the README says it prints."""

from __future__ import annotations

import contextlib
import io
import re

from conftest import REPO


def test_readme_python_example():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Python\n", 1)[1]
    match = re.search(r"```python\n(.*?)```\n(?:(?!```).)*?```text\n(.*?)```", section, re.S)
    assert match, "the Python section has a ```python example followed by its ```text output"
    code, expected = match.group(1), match.group(2)
    assert len(code.strip().splitlines()) <= 6
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    assert out.getvalue() == expected
