"""The suite on every Python the package supports, and on the lowest versions it declares.

`make test` runs everything on the default interpreter; these sessions run the tests
alone elsewhere (`.ci/run` calls them): `nox -s tests-3.12`, `nox -s lowest`.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import nox
from packaging.requirements import Requirement

nox.options.default_venv_backend = "venv"
nox.options.error_on_missing_interpreters = True

PYPROJECT = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))["project"]
PYTHONS = [
    match.group(1)
    for classifier in PYPROJECT["classifiers"]
    if (match := re.fullmatch(r"Programming Language :: Python :: (3\.\d+)", classifier))
]
"""The interpreters the classifiers promise, so the two cannot drift apart."""

PYTEST = ("pytest", "-q", "-p", "no:cacheprovider")


def lowest_pins(extras: tuple[str, ...] = ("test",)) -> list[str]:
    """Each direct dependency pinned to the floor it declares, with its marker.

    The package's own extras (``service-recovery[testing,dask]``) are followed, and a
    dependency without a ``>=`` floor is an error: every floor must be provable.
    """
    pins = []
    requirements = [Requirement(text) for text in PYPROJECT["dependencies"]]
    pending = list(extras)
    while pending:
        extra = pending.pop()
        for requirement in map(Requirement, PYPROJECT["optional-dependencies"][extra]):
            if requirement.name == PYPROJECT["name"]:
                pending.extend(requirement.extras)
            else:
                requirements.append(requirement)
    for requirement in requirements:
        floors = [spec.version for spec in requirement.specifier if spec.operator == ">="]
        if len(floors) != 1:
            msg = f"{requirement} must declare one floor (>=) for the lowest-versions run"
            raise ValueError(msg)
        extras_ = f"[{','.join(sorted(requirement.extras))}]" if requirement.extras else ""
        marker = f"; {requirement.marker}" if requirement.marker else ""
        pins.append(f"{requirement.name}{extras_}=={floors[0]}{marker}")
    return pins


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The suite on one interpreter, against the package built and installed as a user would."""
    session.install(".[test]")
    session.run(*PYTEST, *session.posargs)


@nox.session(python=[PYTHONS[0], PYTHONS[-1]])
def lowest(session: nox.Session) -> None:
    """The suite on the lowest versions the package declares, on the oldest and newest Python.

    Both ends, because a floor can depend on the interpreter (pendulum's, for one).
    """
    session.install(".", *lowest_pins())
    session.run("pip", "list", "--format=freeze", silent=False)
    session.run(*PYTEST, *session.posargs)
