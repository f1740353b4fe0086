"""Draw first-contact resolution and spend against the frontline limit, as an SVG.

The docs' how-to "What if we raised the frontline limit?" shows this chart; a test checks
that the file in docs/_static is what this script draws, so the picture never goes stale.

Run:  .venv/bin/python examples/frontline_limit_chart.py
(it rewrites docs/_static/frontline-limit.svg)
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from service_recovery import (
    AuthorityLadder,
    AuthorityLevel,
    Money,
    RecoveryPolicy,
    SyntheticStream,
    simulate,
)

LIMITS = (25, 50, 100, 150, 200, 300, 400)
STREAM = SyntheticStream(seed=2026, incidents=1200, transactions_per_day=40_000)
CHART = Path(__file__).parent.parent / "docs" / "_static" / "frontline-limit.svg"


def with_frontline_limit(limit: int) -> RecoveryPolicy:
    """The default policy with another pre-authorized amount for front-line staff (R3)."""
    levels = (("frontline", limit), ("supervisor", 500), ("manager", 2000))
    ladder = AuthorityLadder(
        AuthorityLevel(name, Money.of(amount, "USD")) for name, amount in levels
    )
    return RecoveryPolicy(authority=ladder)


def measure() -> list[tuple[int, Decimal, Decimal]]:
    """(limit, first-contact resolution, spend per incident) for each limit."""
    points = []
    for limit in LIMITS:
        card = simulate(with_frontline_limit(limit), STREAM)
        points.append((limit, card.fcr or Decimal(0), card.spent_per_incident or Decimal(0)))
    return points


_DASHED = 'stroke-dasharray="6 3"'


def _text(x: float, y: float, body: str, **style: str) -> str:
    extra = "".join(f' {key.replace("_", "-")}="{value}"' for key, value in style.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{body}</text>'


def _line(x1: float, y1: float, x2: float, y2: float, colour: str) -> str:
    return f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{colour}"/>'


def draw(points: list[tuple[int, Decimal, Decimal]]) -> str:
    """A small two-axis line chart as SVG text: FCR (left, %) and spend (right, USD)."""
    width, height, left, right, top, bottom = 640, 360, 60, 70, 40, 50
    plot_w, plot_h = width - left - right, height - top - bottom
    top_limit = max(limit for limit, _, _ in points)
    top_spend = max(float(spend) for _, _, spend in points) * 1.2 or 1.0
    blue, red = "#1f77b4", "#d62728"

    def x(limit: int) -> float:
        return left + plot_w * limit / top_limit

    def y(share: float) -> float:
        return top + plot_h * (1 - share)

    fcr = " ".join(f"{x(limit):.1f},{y(float(share)):.1f}" for limit, share, _ in points)
    spend = " ".join(f"{x(limit):.1f},{y(float(s) / top_spend):.1f}" for limit, _, s in points)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">'
    )
    parts = [
        svg,
        f'<rect width="{width}" height="{height}" fill="white"/>',
        _text(
            width / 2,
            22,
            "First-contact resolution and spend against the frontline limit",
            text_anchor="middle",
            font_size="14",
        ),
        _line(left, top + plot_h, left + plot_w, top + plot_h, "black"),
        _line(left, top, left, top + plot_h, blue),
        _line(left + plot_w, top, left + plot_w, top + plot_h, red),
    ]
    for share in (0, 0.25, 0.5, 0.75, 1):
        parts.append(
            _text(left - 6, y(share) + 4, f"{share * 100:.0f}%", text_anchor="end", fill=blue)
        )
        parts.append(_text(left + plot_w + 6, y(share) + 4, f"{top_spend * share:.0f}", fill=red))
    parts.extend(
        _text(x(limit), top + plot_h + 16, str(limit), text_anchor="middle")
        for limit, _, _ in points
    )
    parts += [
        _text(
            left + plot_w / 2,
            height - 10,
            "frontline limit (USD per incident)",
            text_anchor="middle",
        ),
        f'<polyline points="{fcr}" fill="none" stroke="{blue}" stroke-width="2"/>',
        f'<polyline points="{spend}" fill="none" stroke="{red}" stroke-width="2" {_DASHED}/>',
        _text(left + 8, top + 14, "first-contact resolution (R5)", fill=blue),
        _text(left + 8, top + 30, "spend per incident, USD (dashed)", fill=red),
        "</svg>",
    ]
    return "\n".join(parts) + "\n"


def main() -> None:
    CHART.write_text(draw(measure()), encoding="utf-8")
    print(f"wrote {CHART}")


if __name__ == "__main__":
    main()
