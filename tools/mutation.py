"""Run mutmut once per module, each against only its own tests, and report each module's score.

mutmut 3 mutates a whole tree under one test selection, so a mutant of `_money.money` would be run
against every test that happens to touch money and a score would say little about the
module's own tests. This script gives each module listed in `[tool.service-recovery.mutation]`
of pyproject.toml a scratch copy of the project under `.mutation/MODULE/` (the sources, that
module's test files and the files in mutmut's `also_copy`), with `[tool.mutmut]` narrowed to
that module, runs `mutmut run` there and counts the results.

A module fails when fewer than `fail_under` percent of its mutants are killed, or when a
mutant survives that docs/mutation.md does not list as equivalent. Usage:
`python tools/mutation.py [MODULE ...]` (all modules when none is named).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / ".mutation"
EQUIVALENTS = ROOT / "docs" / "mutation.md"
# mutmut's exit codes per mutant (mutmut/stats.py) that mean a test failed or hung. Every
# other mutant survived: a mutant no test of its module runs ("no tests") counts against it.
KILLED = {1, 3, 24, -24, 36, 152, 255}
SHARED_TESTS = ["tests/builders.py"]  # what any test file may import, copied with its tests


def _path(module: str) -> str:
    """A module's file under the package, unsuffixed: ``_money.budget`` is ``_money/budget``."""
    return module.replace(".", "/")


def _toml(table: dict[str, Any]) -> str:
    """Write one flat table of strings, numbers, booleans and lists of them as TOML."""
    return "".join(f"{key} = {json.dumps(value)}\n" for key, value in table.items())


def _prepare(module: str, tests: list[str], project: dict[str, Any]) -> Path:
    """Lay out a fresh scratch project for MODULE with only TESTS; return its folder."""
    work = SCRATCH / module
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(ROOT / "src", work / "src", ignore=shutil.ignore_patterns("__pycache__"))
    mutmut = dict(project["tool"]["mutmut"])
    for name in [*tests, *SHARED_TESTS, *mutmut.get("also_copy", [])]:
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, work / name)
        else:
            shutil.copy2(ROOT / name, work / name)
    mutmut["only_mutate"] = [f"src/service_recovery/{_path(module)}.py"]
    mutmut["pytest_add_cli_args_test_selection"] = tests
    pytest = dict(project["tool"]["pytest"], testpaths=["tests"])
    (work / "pyproject.toml").write_text(
        f"[tool.mutmut]\n{_toml(mutmut)}\n[tool.pytest]\n{_toml(pytest)}", encoding="utf-8"
    )
    return work


def _results(work: Path, module: str) -> dict[str, int]:
    """Read mutmut's exit code for every mutant of MODULE from its .meta file."""
    meta = work / "mutants" / "src" / "service_recovery" / f"{_path(module)}.py.meta"
    codes: dict[str, int] = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    return codes


def _run(module: str, tests: list[str], project: dict[str, Any]) -> tuple[int, int, list[str]]:
    """Mutate MODULE against TESTS; return (killed, mutants, survivor names)."""
    work = _prepare(module, tests, project)
    mutmut = Path(sys.executable).with_name("mutmut")
    log = SCRATCH / f"{module}.log"
    with log.open("w", encoding="utf-8") as out:
        done = subprocess.run([mutmut, "run"], cwd=work, stdout=out, stderr=out, check=False)  # noqa: S603
    if done.returncode:
        tail = log.read_text(encoding="utf-8").splitlines()[-20:]
        msg = f"mutmut failed on {module} (exit {done.returncode}); {log} ends:\n" + "\n".join(tail)
        raise SystemExit(msg)
    codes = _results(work, module)
    survivors = sorted(name for name, code in codes.items() if code not in KILLED)
    return len(codes) - len(survivors), len(codes), survivors


def main(argv: list[str]) -> int:
    """Run every named module (all when none) and print one line of figures per module."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    settings = project["tool"]["service-recovery"]["mutation"]
    modules: dict[str, list[str]] = settings["modules"]
    unknown = sorted(set(argv) - set(modules))
    if unknown:
        print(f"unknown modules {unknown}; known: {sorted(modules)}")
        return 2
    listed = EQUIVALENTS.read_text(encoding="utf-8")
    failed = False
    print(f"{'module':<15} {'killed':>7} {'mutants':>7} {'score':>7} {'survived':>9}")
    for module in argv or modules:
        killed, total, survivors = _run(module, modules[module], project)
        score = 100 * killed / total if total else 100.0
        unexplained = [name for name in survivors if f"`{name}`" not in listed]
        print(f"{module:<15} {killed:>7} {total:>7} {score:>6.1f}% {len(survivors):>9}")
        for name in unexplained:
            print(f"    survived, not listed in docs/mutation.md: {name}")
        failed |= score < settings["fail_under"] or bool(unexplained)
    return int(failed)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
