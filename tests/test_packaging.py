"""The package as a company adopts it: what it cites, ships and declares."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).parent.parent
SOURCE = ROOT / "src" / "service_recovery"


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
