"""PNG charts for the digest: progress against the deadline, section coverage.

Pure: data in, PNG bytes out. Uses matplotlib's object API on the Agg canvas (no
pyplot global state), so it is safe inside scheduler threads.
"""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import DateFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

# Colours readable when printed in grey too.
ON_TIME = "#2e7d32"
LATE = "#ef6c00"
DEADLINE = "#c62828"


def _png(fig: Figure, dpi: int = 90) -> bytes:
    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def progress_chart(
    submitted: list[datetime], total_units: int, opens: date, deadline: date, today: date
) -> bytes:
    """Cumulative units reported per day, with the deadline and the number expected."""
    end = max(today, deadline) + timedelta(days=1)
    days = [opens + timedelta(days=i) for i in range((end - opens).days + 1)]
    per_day: dict[date, int] = {}
    for moment in submitted:
        per_day[moment.date()] = per_day.get(moment.date(), 0) + 1
    before = sum(n for d, n in per_day.items() if d < opens)
    counts, running = [], before
    for day in days:
        running += per_day.get(day, 0)
        counts.append(running)
    shown = [(d, c) for d, c in zip(days, counts, strict=True) if d <= today]
    fig = Figure(figsize=(7, 3.2))
    ax = fig.add_subplot()
    if shown:
        xs, ys = zip(*shown, strict=True)
        ax.step(xs, ys, where="post", color=ON_TIME, linewidth=2, label="Đơn vị đã gửi")
        ax.fill_between(xs, ys, step="post", color=ON_TIME, alpha=0.15)
    ax.axhline(total_units, color="#555555", linestyle="--", linewidth=1,
               label=f"Tổng số đơn vị ({total_units})")
    ax.axvline(deadline, color=DEADLINE, linewidth=1.5, label="Hạn nộp")
    ax.set_xlim(opens, end)
    ax.set_ylim(0, max(total_units, running, 1) * 1.1)
    ax.set_ylabel("Số đơn vị")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title("Tiến độ gửi báo cáo")
    ax.legend(loc="upper left", fontsize=8)
    ax.grid(alpha=0.3)
    ax.xaxis.set_major_formatter(DateFormatter("%d/%m"))
    for label in ax.get_xticklabels():
        label.set_rotation(30)
        label.set_horizontalalignment("right")
    # Fixed margins: tight_layout would draw the figure twice (slow in a 1-second budget).
    fig.subplots_adjust(left=0.1, right=0.98, top=0.9, bottom=0.18)
    return _png(fig)


HEATMAP_MAX_UNITS = 150  # beyond this a row per unit is unreadable (and slow to draw)


def coverage_chart(wide: pd.DataFrame) -> bytes:
    """Section coverage: a unit-by-section heatmap for a bloc of ordinary size, the share of
    units covering each section for a larger one."""
    if len(wide.index) > HEATMAP_MAX_UNITS:
        return coverage_shares(wide)
    return coverage_heatmap(wide)


def coverage_shares(wide: pd.DataFrame) -> bytes:
    """Per outline section, the percentage of reporting units whose report has it."""
    shares = (wide.to_numpy(dtype=float) > 0).mean(axis=0) * 100 if len(wide.index) else []
    labels = [str(c) for c in wide.columns]
    height = max(3.0, 0.22 * len(labels) + 1.2)
    fig = Figure(figsize=(7, height))
    ax = fig.add_axes((0.16, 0.8 / height, 0.78, 1 - 1.3 / height))
    positions = range(len(labels))
    ax.barh(positions, shares, color=ON_TIME)
    ax.set_yticks(positions)
    ax.set_yticklabels(labels, fontsize=7)
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.set_xlim(0, 100)
    ax.set_xlabel(f"% đơn vị có mục này (trên {len(wide.index)} báo cáo)")
    ax.grid(axis="x", alpha=0.3)
    ax.set_title("Các mục đề cương có trong báo cáo")
    return _png(fig, dpi=80)


def coverage_heatmap(wide: pd.DataFrame) -> bytes:
    """Units (rows) × outline sections (columns), shaded by match confidence (0 = absent)."""
    rows = max(len(wide.index), 1)
    width, height = max(6.0, 0.38 * len(wide.columns) + 3.6), min(1.6 + 0.2 * rows, 30)
    fig = Figure(figsize=(width, height))
    ax = fig.add_axes((2.8 / width, 0.9 / height, 1 - 4.0 / width, 1 - 1.4 / height))
    if len(wide.index):
        image = ax.imshow(wide.to_numpy(dtype=float), aspect="auto", cmap="Greens",
                          vmin=0, vmax=1, interpolation="nearest")
        cax = fig.add_axes((1 - 1.0 / width, 0.9 / height, 0.15 / width, 1 - 1.4 / height))
        fig.colorbar(image, cax=cax, label="Độ tin cậy", ticks=[0, 0.5, 1])
        # One multi-line text for all unit names: a text object per row costs ~2 ms to lay
        # out, too slow for 100 units in the digest's one-second budget.
        ax.set_yticks([])
        ax.set_ylim(rows - 0.5, -0.5)
        names = "\n".join(str(name)[:40] for name in wide.index)
        row_points = (1 - 1.4 / height) * height * 72 / rows
        size = min(7.0, row_points / 1.25)
        # Matplotlib's line height is ~1.0 × linespacing × font size (DejaVu Sans).
        ax.text(-0.01, 0.5, names, transform=ax.transAxes, ha="right", va="center",
                fontsize=size, linespacing=row_points / size / 1.006)
    else:
        ax.text(0.5, 0.5, "Chưa có báo cáo", ha="center", va="center", transform=ax.transAxes)
        ax.set_yticks([])
    ax.set_xticks(range(len(wide.columns)))
    ax.set_xticklabels([str(c) for c in wide.columns], rotation=60, fontsize=7, ha="right")
    ax.set_title("Các mục đề cương có trong báo cáo")
    return _png(fig, dpi=80)
