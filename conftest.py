"""Run the Python examples of the README and the docs as tests (Sybil); hypothesis profiles."""

from hypothesis import HealthCheck, settings
from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser

pytest_collect_file = Sybil(
    parsers=[PythonCodeBlockParser(), SkipParser()],
    patterns=["*.md"],
    excludes=["_build/*", "CHANGELOG.md"],
).pytest()

# `make fuzz` runs the fuzz tests with this profile: 100,000 examples per entry point.
settings.register_profile(
    "fuzz",
    max_examples=100_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("fuzz-quick", parent=settings.get_profile("fuzz"), max_examples=3_000)
# `make mutation` runs with this profile (pyproject.toml, [tool.mutmut]): the same examples on
# every run, so a mutant's verdict does not depend on luck; no deadline, since mutmut's
# trampolines slow every call; no example database written into mutmut's scratch copy; and
# mutmut runs pytest many times in one process, so a test class's method is called on several
# instances, which is what differing_executors reports.
settings.register_profile(
    "mutation",
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.differing_executors],
)
