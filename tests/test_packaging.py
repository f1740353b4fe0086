"""The package as a company adopts it: what it cites, ships and declares."""

from __future__ import annotations

import email.parser
import importlib
import re
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from email.message import Message
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from service_recovery import _hypothesis_plugin
from service_recovery.testing import STRATEGIES

ROOT = Path(__file__).parent.parent
SOURCE = ROOT / "src" / "service_recovery"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
NAME = PROJECT["name"]


def python(code: str) -> str:
    """What `code` prints in a fresh interpreter of this environment."""
    command = [sys.executable, "-c", code]
    ran = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)  # noqa: S603 (our own interpreter)
    return ran.stdout.strip()


class TestCitations:
    def test_the_code_cites_the_rules_page_the_repository_ships(self) -> None:
        cited = [
            f"{path.relative_to(ROOT)}:{number}"
            for path in sorted(SOURCE.rglob("*.py"))
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if "DOMAIN.md" in line
        ]

        assert (ROOT / "docs" / "rules.md").is_file()
        assert cited == [], "cite docs/rules.md, the project's own copy of the rules"


class Built:
    """An sdist and the wheel built from it, as `python -m build` makes them."""

    def __init__(self, directory: Path) -> None:
        command = [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(directory)]
        subprocess.run([*command, str(ROOT)], capture_output=True, check=True)  # noqa: S603 (our own interpreter)
        [self.sdist] = directory.glob("*.tar.gz")
        [self.wheel] = directory.glob("*.whl")

    def sdist_files(self) -> list[str]:
        with tarfile.open(self.sdist) as archive:
            return [name.split("/", 1)[1] for name in archive.getnames() if "/" in name]

    def wheel_files(self) -> list[str]:
        with zipfile.ZipFile(self.wheel) as archive:
            return archive.namelist()

    def wheel_text(self, suffix: str) -> str:
        with zipfile.ZipFile(self.wheel) as archive:
            [name] = [name for name in archive.namelist() if name.endswith(suffix)]
            return archive.read(name).decode()

    def metadata(self) -> Message:
        return email.parser.Parser().parsestr(self.wheel_text(".dist-info/METADATA"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return Built(tmp_path_factory.mktemp("dist"))


class TestDistributions:
    def test_the_sdist_and_the_wheel_ship_the_mit_license(self, built: Built) -> None:
        license_text = (ROOT / "LICENSE").read_text(encoding="utf-8")

        shipped = built.wheel_text(".dist-info/licenses/LICENSE")

        assert license_text.startswith("MIT License")
        assert "LICENSE" in built.sdist_files()
        assert shipped == license_text
        assert built.metadata()["License-Expression"] == "MIT"
        assert built.metadata().get_all("License-File") == ["LICENSE"]

    def test_the_metadata_names_where_the_source_docs_and_changelog_are(self, built: Built) -> None:
        urls = dict(url.split(", ", 1) for url in built.metadata().get_all("Project-URL", []))

        assert sorted(urls) == ["Changelog", "Documentation", "Homepage", "Source"]
        assert all(url.startswith("https://") for url in urls.values())

    def test_the_wheel_holds_the_package_and_the_hypothesis_entry_point_module(
        self, built: Built
    ) -> None:
        files = built.wheel_files()
        entry_points = built.wheel_text(".dist-info/entry_points.txt")

        dist_info = f"service_recovery-{built.metadata()['Version']}.dist-info"
        assert {name.split("/")[0] for name in files} == {
            "_service_recovery_hypothesis.py",
            "service_recovery",
            dist_info,
        }
        assert "service_recovery/py.typed" in files
        assert "service_recovery = _service_recovery_hypothesis:_hypothesis_setup_hook" in (
            entry_points
        )

    def test_the_testing_extra_is_hypothesis_alone_and_dask_its_own(self, built: Built) -> None:
        requires = [Requirement(text) for text in built.metadata().get_all("Requires-Dist", [])]

        def extra(name: str) -> list[str]:
            return sorted(
                requirement.name
                for requirement in requires
                if requirement.marker and requirement.marker.evaluate({"extra": name})
                if not requirement.marker.evaluate({"extra": ""})
            )

        assert extra("testing") == ["hypothesis"]
        assert extra("dask") == ["dask"]
        assert {"hypothesis", "dask", "pytest"} <= set(extra("test"))


class TestDependencies:
    @pytest.mark.parametrize(
        "requirement",
        [
            *PROJECT["dependencies"],
            *(text for extra in PROJECT["optional-dependencies"].values() for text in extra),
        ],
    )
    def test_every_dependency_declares_the_floor_the_lowest_run_installs(
        self, requirement: str
    ) -> None:
        parsed = Requirement(requirement)

        floors = [spec for spec in parsed.specifier if spec.operator == ">="]

        assert parsed.name == NAME or len(floors) == 1, f"{requirement} needs one >= floor"

    def test_cattrs_is_new_enough_for_the_converter_the_library_builds(self) -> None:
        floors = {Requirement(text).name: Requirement(text) for text in PROJECT["dependencies"]}

        # cattrs before 25.2 has no homogenous_tuple_structure_factory, which the converter
        # imports; cattrs 25.2 itself needs attrs 24.3.
        assert floors["cattrs"].specifier.contains("25.1.1") is False
        assert floors["cattrs"].specifier.contains("25.2.0")
        assert floors["attrs"].specifier.contains("24.2.0") is False


class TestInstallDocs:
    def test_the_readme_installs_from_the_git_url_the_metadata_names(self) -> None:
        readme = (ROOT / "README.md").read_text(encoding="utf-8")

        lines = re.findall(r'pip install "service-recovery(?:\[\w+\])? @ git\+(\S+)"', readme)

        assert lines
        assert set(lines) == {PROJECT["urls"]["Source"]}
        assert "pip install ." in readme

    def test_no_page_tells_a_reader_to_install_from_an_index(self) -> None:
        pages = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *(ROOT / "docs").rglob("*.md")]

        wrong = [
            f"{page.relative_to(ROOT)}:{number}"
            for page in pages
            for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1)
            if re.search(r"pip install ['\"]?service-recovery(\[\w+\])?['\"]?\s*$", line)
        ]

        assert wrong == []


class TestTestKit:
    def test_importing_the_test_kit_without_hypothesis_names_the_extra(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setitem(sys.modules, "hypothesis", None)  # import fails as if not installed
        monkeypatch.delitem(sys.modules, "service_recovery.testing")

        with pytest.raises(ModuleNotFoundError) as refused:
            importlib.import_module("service_recovery.testing")

        assert refused.value.name == "hypothesis"
        assert "pip install 'service-recovery[testing]'" in str(refused.value)

    def test_starting_hypothesis_imports_nothing_of_the_library(self) -> None:
        loaded = python(
            "import sys, hypothesis; "
            "print(sorted(name for name in sys.modules if 'service_recovery' in name))"
        )

        assert loaded == "['_service_recovery_hypothesis']"

    @pytest.mark.parametrize(
        "imports",
        [
            "import hypothesis; import service_recovery",
            "import service_recovery; import hypothesis",
            "import service_recovery.testing",
        ],
    )
    def test_from_type_draws_from_the_test_kit_whichever_is_imported_first(
        self, imports: str
    ) -> None:
        drawn = python(
            f"{imports}; from hypothesis import find, strategies as st; "
            "from service_recovery import Money; "
            "print(find(st.from_type(Money), lambda money: money.currency == 'KWD'))"
        )

        assert drawn == "0.000 KWD"  # the kit's money strategy; KWD has three places

    def test_the_entry_point_registers_every_type_the_kit_has_a_strategy_for(self) -> None:
        assert set(_hypothesis_plugin._TYPES) == set(STRATEGIES)
