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
