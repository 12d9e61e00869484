"""One house style for every chart: seaborn, a colour-blind-safe palette, print-size text."""

from __future__ import annotations

import io
import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # charts are rendered to files, never to a screen
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

PALETTE = sns.color_palette("colorblind")
WIDTH_IN = 6.7  # A4 text width with 2 cm margins
_STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
}


def _figure(height: float = 2.6) -> tuple[Figure, plt.Axes]:
    with sns.axes_style("whitegrid", {"grid.linestyle": ":"}), plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, height), layout="constrained")
    return fig, ax


def bar_by_year(
    series: pd.DataFrame,
    column: str,
    title: str,
    ylabel: str,
    highlight: int | None = None,
    height: float = 2.6,
) -> Figure:
    """Bars per year, the brief's year in a darker colour."""
    with plt.rc_context(_STYLE):
        fig, ax = _figure(height)
        colours = [PALETTE[0] if y == highlight else PALETTE[7] for y in series["year"]]
        ax.bar(series["year"].astype(str), series[column], color=colours)
        for x, v in zip(series["year"].astype(str), series[column], strict=True):
            ax.annotate(
                f"{v:g}",
                (x, v),
                ha="center",
                va="bottom" if v >= 0 else "top",
                fontsize=8,
                xytext=(0, 2 if v >= 0 else -2),
                textcoords="offset points",
            )
        ax.set_title(title, loc="left")
        ax.set_ylabel(ylabel)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="x", visible=False)
        if (series[column] < 0).any():
            ax.axhline(0, color="#444444", linewidth=0.8)
            ax.margins(y=0.15)
    return fig


def lines_by_year(
    table: pd.DataFrame, title: str, ylabel: str, labels: dict[str, str], scale: float = 1.0
) -> Figure:
    """One line per column of a year-indexed table (e.g. migrants abroad by destination)."""
    with plt.rc_context(_STYLE):
        fig, ax = _figure()
        order = table.iloc[-1].sort_values(ascending=False).index
        for i, column in enumerate(order):
            ax.plot(
                table.index.astype(int),
                table[column] / scale,
                marker="o",
                markersize=3,
                color=PALETTE[i % len(PALETTE)],
                label=labels.get(column, column),
            )
        ax.set_title(title, loc="left")
        ax.set_ylabel(ylabel)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if len(order) > 3:
            fig.legend(
                frameon=False, fontsize=8, ncols=min(6, len(order)), loc="outside lower center"
            )
        else:
            ax.legend(frameon=False, fontsize=8, ncols=len(order), loc="upper left")
        ax.set_ylim(bottom=0)
    return fig


def violations_with_coverage(
    per_year: pd.DataFrame,
    coverage: pd.DataFrame,
    title: str,
    ylabel: str,
    partners_label: str,
    incidents_label: str,
    partners_legend: str,
    highlight: int | None = None,
) -> Figure:
    """Bars of documented violations per year, with the number of reporting partners as a line
    on a second axis, so that more monitoring is not read as more violations."""
    with plt.rc_context(_STYLE):
        fig = bar_by_year(per_year, "incidents", title, ylabel, highlight)
        ax = fig.axes[0]
        ax.bar([], [], color=PALETTE[7], label=incidents_label)
        twin = ax.twinx()
        twin.plot(
            coverage["year"].astype(str),
            coverage["partners"],
            color=PALETTE[3],
            marker="D",
            markersize=4,
            linewidth=1.5,
            label=partners_legend,
        )
        twin.set_ylabel(partners_label, color=PALETTE[3])
        twin.set_ylim(0, max(1, coverage["partners"].max()) * 1.6)
        twin.yaxis.set_major_locator(MaxNLocator(integer=True))
        twin.spines["right"].set_visible(True)
        twin.grid(False)
        handles = ax.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
        ax.legend(
            handles, [h.get_label() for h in handles], frameon=False, fontsize=8, loc="upper left"
        )
        ax.set_ylim(0, max(1, per_year["incidents"].max()) * 1.25)
    return fig


def horizontal_bars(
    labels: list[str],
    values: list[float],
    title: str,
    highlight: str | None = None,
    xlabel: str = "",
) -> Figure:
    """Horizontal bars, largest on top (e.g. violations per country, the brief's country darker)."""
    with plt.rc_context(_STYLE):
        fig, ax = _figure(height=0.24 * len(labels) + 0.8)
        colours = [PALETTE[0] if lab == highlight else PALETTE[7] for lab in labels]
        ax.barh(labels[::-1], values[::-1], color=colours[::-1])
        for y, v in enumerate(values[::-1]):
            ax.annotate(
                f"{v:g}", (v, y), va="center", fontsize=8, xytext=(3, 0), textcoords="offset points"
            )
        ax.set_title(title, loc="left")
        ax.set_xlabel(xlabel)
        ax.grid(axis="y", visible=False)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return fig


def legislation_timeline(
    balance: pd.DataFrame, title: str, ylabel: str, labels: dict[str, str], balance_label: str
) -> Figure:
    """Protective acts above zero, restrictive below, per year, and the running balance."""
    with plt.rc_context(_STYLE):
        fig, ax = _figure(height=2.7)
        years = balance["year"].astype(str)
        ax.bar(years, balance["protective"], color=PALETTE[2], label=labels["protective"])
        ax.bar(years, -balance["restrictive"], color=PALETTE[3], label=labels["restrictive"])
        other = balance["neutral"] + balance["mixed"]
        ax.bar(
            years,
            other,
            bottom=balance["protective"],
            color=PALETTE[7],
            label=f"{labels['neutral']} / {labels['mixed']}",
        )
        ax.plot(
            years,
            balance["running_balance"],
            color="black",
            marker="o",
            markersize=3,
            linewidth=1.2,
            label=balance_label,
        )
        ax.axhline(0, color="#333", linewidth=0.8)
        ax.set_title(title, loc="left")
        ax.set_ylabel(ylabel)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        fig.legend(frameon=False, fontsize=7, ncols=2, loc="outside lower center")
        ax.grid(axis="x", visible=False)
    return fig


def render(
    fig: Figure, folder: str | os.PathLike | None = None, name: str = "", dpi: int = 170
) -> bytes:
    """PNG bytes of a figure for the brief; with ``folder``, also saved as PNG (the same bytes)
    and SVG for slides, atomically. The figure is closed. Each save costs a few tenths of a
    second on our machines, so the PNG is drawn once."""
    from analysis import storage

    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=dpi)
    # The first save ran the constrained layout; keeping its result makes the SVG lay out
    # exactly like the PNG and saves a second layout pass (about 40% of a save).
    fig.set_layout_engine("none")
    if folder is not None:
        folder = Path(folder)
        storage.write_bytes(folder / f"{name}.png", png.getvalue())
        svg = io.BytesIO()
        fig.savefig(svg, format="svg", metadata={"Date": None})
        storage.write_bytes(folder / f"{name}.svg", svg.getvalue())
    plt.close(fig)
    return png.getvalue()
