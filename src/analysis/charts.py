"""One house style for every chart: seaborn, a colour-blind-safe palette, print-size text."""

from __future__ import annotations

import io

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


def bar_by_year(series: pd.DataFrame, column: str, title: str, ylabel: str,
                highlight: int | None = None) -> Figure:  # fmt: skip
    """Bars per year, the brief's year in a darker colour."""
    with plt.rc_context(_STYLE):
        fig, ax = _figure()
        colours = [PALETTE[0] if y == highlight else PALETTE[7] for y in series["year"]]
        ax.bar(series["year"].astype(str), series[column], color=colours)
        for x, v in zip(series["year"].astype(str), series[column], strict=True):
            ax.annotate(f"{v:g}", (x, v), ha="center", va="bottom", fontsize=8, xytext=(0, 2),
                        textcoords="offset points")  # fmt: skip
        ax.set_title(title, loc="left")
        ax.set_ylabel(ylabel)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="x", visible=False)
    return fig


def lines_by_year(table: pd.DataFrame, title: str, ylabel: str, labels: dict[str, str],
                  scale: float = 1.0) -> Figure:  # fmt: skip
    """One line per column of a year-indexed table (e.g. migrants abroad by destination)."""
    with plt.rc_context(_STYLE):
        fig, ax = _figure()
        order = table.iloc[-1].sort_values(ascending=False).index
        for i, column in enumerate(order):
            ax.plot(table.index.astype(int), table[column] / scale, marker="o", markersize=3,
                    color=PALETTE[i % len(PALETTE)], label=labels.get(column, column))  # fmt: skip
        ax.set_title(title, loc="left")
        ax.set_ylabel(ylabel)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(frameon=False, fontsize=8, ncols=min(4, len(order)), loc="upper left")
        ax.set_ylim(bottom=0)
    return fig


def to_png(fig: Figure, dpi: int = 200) -> bytes:
    """PNG bytes of a figure (the figure is closed)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    plt.close(fig)
    return buffer.getvalue()
