"""One house style for every chart: seaborn, a colour-blind-safe palette, print-size text."""

from __future__ import annotations

import html
import io
import os
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # charts are rendered to files, never to a screen
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from analysis import storage  # noqa: E402
from analysis.vocab.text import NBSP, fmt_number  # noqa: E402

# Okabe-Ito, ordered so that neighbours differ in lightness too (grey-scale print): the brief's
# own series is the dark blue, everything else a light grey; lines also differ in marker.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#000000", "#F0E442"]
HIGHLIGHT, MUTED, INK = "#0072B2", "#B8B8B8", "#333333"
PROTECTIVE, RESTRICTIVE = "#009E73", "#D55E00"
MARKERS = ["o", "s", "D", "^", "v", "P", "X", "*"]
WIDTH_IN = 6.7  # A4 text width with 2 cm margins
THIN_SPACE = "\u2009"
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


def number(value: float, lang: str = "en", decimals: int | None = None) -> str:
    """A number as a chart prints it in ``lang``: ``1,234.5`` / ``1 234,5`` (thin space),
    whole numbers without decimals unless ``decimals`` says otherwise."""
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    return fmt_number(value, lang, decimals).replace(NBSP, THIN_SPACE)


def _axis_numbers(axis, lang: str) -> None:
    """Tick labels in the language's number format."""
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: number(round(v, 6), lang)))


def _title(ax, title: str, width: int = 78) -> None:
    """The chart's title, left-aligned, wrapped so that no title runs past the figure."""
    import textwrap

    ax.set_title("\n".join(textwrap.wrap(title, width)) or title, loc="left")


def _figure(height: float = 2.6) -> tuple[Figure, plt.Axes]:
    with sns.axes_style("whitegrid", {"grid.linestyle": ":"}), plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, height), layout="constrained")
    return fig, ax


def _bar_labels(ax, xs, values, lang: str, fontsize: float = 8) -> None:
    for x, v in zip(xs, values, strict=True):
        ax.annotate(
            number(v, lang),
            (x, v),
            ha="center",
            va="bottom" if v >= 0 else "top",
            fontsize=fontsize,
            xytext=(0, 2 if v >= 0 else -2),
            textcoords="offset points",
        )


def bar_by_year(
    series: pd.DataFrame,
    column: str,
    title: str,
    ylabel: str,
    highlight: int | None = None,
    height: float = 2.6,
    lang: str = "en",
) -> Figure:
    """Bars per year with their values, the brief's year in the dark colour."""
    with plt.rc_context(_STYLE):
        fig, ax = _figure(height)
        _bars(ax, series, column, highlight, lang)
        _title(ax, title)
        ax.set_ylabel(ylabel)
    return fig


def _bars(ax, series: pd.DataFrame, column: str, highlight: int | None, lang: str) -> None:
    years = series["year"].astype(str)
    colours = [HIGHLIGHT if y == highlight else MUTED for y in series["year"]]
    ax.bar(years, series[column], color=colours)
    _bar_labels(ax, years, series[column], lang)
    # as many ticks as the axis has room for: about one per 0.4 inch of figure height
    room = max(2, int(ax.figure.get_figheight() / 0.4))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=room, integer=True))
    _axis_numbers(ax.yaxis, lang)
    ax.grid(axis="x", visible=False)
    top = max(1, series[column].max())
    low = min(0, series[column].min())
    ax.set_ylim(low * 1.2 if low < 0 else 0, top * 1.18)
    if low < 0:
        ax.axhline(0, color=INK, linewidth=0.8)


def counts_with_trend(
    per_year: pd.DataFrame,
    title: str,
    ylabel: str,
    fit: dict,
    highlight: int | None = None,
    lang: str = "en",
) -> Figure:
    """A small chart for page 1: documented violations per year, and the Theil-Sen line over
    the years the trend test used, drawn only when the test says the trend is
    distinguishable from noise (a line for a p = 0.09 series would claim what the text denies)."""
    with plt.rc_context(_STYLE):
        fig, ax = _figure(height=1.25)
        _bars(ax, per_year, "incidents", highlight, lang)
        if fit.get("slope") is not None and fit.get("significant"):
            start, end = fit["years"]
            years = per_year[(per_year["year"] >= start) & (per_year["year"] <= end)]
            level = (years["incidents"] - fit["slope"] * (years["year"] - start)).median()
            line = level + fit["slope"] * (years["year"] - start)
            ax.plot(
                years["year"].astype(str),
                line,
                color=INK,
                linewidth=1.4,
                linestyle="-",
            )
        _title(ax, title)
        ax.set_ylabel(ylabel, fontsize=8)
    return fig


def _end_labels(ax, xs, table: pd.DataFrame, labels: dict[str, str], lang: str) -> None:
    """Each line named at its last point, labels pushed apart (upwards, from the lowest) so
    that none covers another and none falls below the axis."""
    last = {c: table[c].dropna() for c in table.columns}
    ends = sorted((float(v.iloc[-1]), c) for c, v in last.items() if len(v))
    low, high = ax.get_ylim()
    gap = (high - low) * 0.08
    previous = low - gap
    colours = {c: line.get_color() for c, line in zip(table.columns, ax.get_lines(), strict=False)}
    for value, column in ends:
        y = max(value, previous + gap, low + gap * 0.4)
        previous = y
        ax.annotate(
            f"{labels.get(column, column)} {number(value, lang)}",
            (xs[-1], y),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=7.5,
            color=colours.get(column, INK),
            annotation_clip=False,
        )


def lines_by_year(
    table: pd.DataFrame,
    title: str,
    ylabel: str,
    labels: dict[str, str],
    scale: float = 1.0,
    lang: str = "en",
) -> Figure:
    """One line per column of a year-indexed table (e.g. migrants abroad by destination), each
    named at its end (no legend to look up); more than four lines become small multiples."""
    if len(table.columns) > 4:
        return small_multiples(table / scale, title, ylabel, labels, lang=lang)
    with plt.rc_context(_STYLE):
        fig, ax = _figure()
        order = table.iloc[-1].sort_values(ascending=False).index
        table = table[order] / scale
        xs = table.index.astype(int)
        for i, column in enumerate(order):
            ax.plot(
                xs,
                table[column],
                marker=MARKERS[i % len(MARKERS)],
                markersize=3.5,
                color=PALETTE[i % len(PALETTE)],
                linewidth=1.6,
                linestyle=("-", "--", "-.", ":")[i % 4],
            )
        _title(ax, title)
        ax.set_ylabel(ylabel)
        ax.set_xticks(list(xs) if len(xs) <= 12 else list(xs)[:: -(-len(xs) // 10)])
        ax.set_ylim(bottom=0, top=max(1e-9, float(table.max().max())) * 1.12)
        ax.set_xlim(xs.min() - 0.3, xs.max() + 0.3 + 0.28 * max(1, xs.max() - xs.min()))
        _axis_numbers(ax.yaxis, lang)
        _end_labels(ax, list(xs), table, labels, lang)
    return fig


def small_multiples(
    table: pd.DataFrame,
    title: str,
    ylabel: str,
    labels: dict[str, str],
    highlight: str | None = None,
    lang: str = "en",
    columns: int = 3,
) -> Figure:
    """One small panel per column of a year-indexed table, on a shared scale, each with its
    name and latest value: six countries read apart instead of six tangled lines."""
    names = list(table.columns)
    rows = -(-len(names) // columns)
    with sns.axes_style("whitegrid", {"grid.linestyle": ":"}), plt.rc_context(_STYLE):
        fig, axes = plt.subplots(
            rows,
            columns,
            figsize=(WIDTH_IN, 1.45 * rows + 0.55),
            sharex=True,
            sharey=True,
            layout="constrained",
            squeeze=False,
        )
    top = max(1e-9, float(table.max().max())) * 1.25
    xs = table.index.astype(int)
    for ax, column in zip(axes.flat, names, strict=False):
        values = table[column]
        colour = HIGHLIGHT if highlight in (None, column) else INK
        ax.fill_between(xs, values, color=colour, alpha=0.12, linewidth=0)
        ax.plot(xs, values, color=colour, linewidth=1.6, marker="o", markersize=2.5)
        known = values.dropna()
        note = f" · {number(float(known.iloc[-1]), lang)}" if len(known) else ""
        ax.set_title(f"{labels.get(column, column)}{note}", loc="left", fontsize=8.5)
        ax.set_ylim(0, top)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        _axis_numbers(ax.yaxis, lang)
        ax.tick_params(labelsize=7.5)
    for ax in list(axes.flat)[len(names) :]:
        ax.set_visible(False)
    fig.suptitle(title, x=0.01, ha="left", fontsize=10, fontweight="bold")
    fig.supylabel(ylabel, fontsize=8.5)
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
    lang: str = "en",
) -> Figure:
    """Documented violations per year (bars, the brief's year dark) above the number of
    reporting partners (a thin panel on the same years), so that more monitoring is not read
    as more violations. Two panels: nothing overlaps, no legend to decode."""
    with sns.axes_style("whitegrid", {"grid.linestyle": ":"}), plt.rc_context(_STYLE):
        fig, (ax, low) = plt.subplots(
            2,
            1,
            figsize=(WIDTH_IN, 3.0),
            sharex=True,
            height_ratios=[3, 1],
            layout="constrained",
        )
        _bars(ax, per_year, "incidents", highlight, lang)
        _title(ax, title)
        ax.set_ylabel(ylabel)
        years = coverage["year"].astype(str)
        low.bar(years, coverage["partners"], color=PALETTE[1], width=0.35)
        _bar_labels(low, years, coverage["partners"], lang, fontsize=7)
        low.set_ylim(0, max(1, coverage["partners"].max()) * 1.6)
        low.set_ylabel(partners_label, fontsize=8)
        low.yaxis.set_major_locator(MaxNLocator(nbins=2, integer=True))
        low.grid(axis="x", visible=False)
    return fig


def horizontal_bars(
    labels: list[str],
    values: list[float],
    title: str,
    highlight: str | None = None,
    xlabel: str = "",
    lang: str = "en",
) -> Figure:
    """Horizontal bars, largest on top (e.g. violations per country, the brief's country darker)."""
    with plt.rc_context(_STYLE):
        fig, ax = _figure(height=0.24 * len(labels) + 0.8)
        colours = [HIGHLIGHT if lab == highlight else MUTED for lab in labels]
        ax.barh(labels[::-1], values[::-1], color=colours[::-1])
        for y, v in enumerate(values[::-1]):
            ax.annotate(
                number(v, lang),
                (v, y),
                va="center",
                fontsize=8,
                xytext=(3, 0),
                textcoords="offset points",
            )
        _title(ax, title)
        ax.set_xlabel(xlabel)
        ax.grid(axis="y", visible=False)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlim(0, max(1, max(values, default=1)) * 1.1)
        _axis_numbers(ax.xaxis, lang)
    return fig


def legislation_timeline(
    balance: pd.DataFrame,
    title: str,
    ylabel: str,
    labels: dict[str, str],
    balance_label: str,
    lang: str = "en",
) -> Figure:
    """Protective acts above zero, restrictive below (hatched, for grey-scale print), per year,
    and the running balance; the legend sits below the chart, covering nothing."""
    with plt.rc_context(_STYLE):
        fig, ax = _figure(height=2.9)
        years = balance["year"].astype(str)
        ax.bar(years, balance["protective"], color=PROTECTIVE, label=labels["protective"])
        ax.bar(
            years,
            -balance["restrictive"],
            color=RESTRICTIVE,
            hatch="////",
            edgecolor="white",
            linewidth=0,
            label=labels["restrictive"],
        )
        other = balance["neutral"] + balance["mixed"]
        ax.bar(
            years,
            other,
            bottom=balance["protective"],
            color=MUTED,
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
        ax.axhline(0, color=INK, linewidth=0.8)
        _title(ax, title)
        ax.set_ylabel(ylabel)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        _axis_numbers(ax.yaxis, lang)
        extent = max(1, balance[["protective", "restrictive"]].to_numpy().max())
        ax.set_ylim(
            min(-extent, balance["running_balance"].min()) - 0.6,
            max(extent + other.max(), balance["running_balance"].max()) + 0.6,
        )
        fig.legend(frameon=False, fontsize=7.5, ncols=2, loc="outside lower center")
        ax.grid(axis="x", visible=False)
    return fig


def _decimal_year(date: str) -> float:
    """'2020-05-12' -> 2020.36, '2020-05' -> 2020.37, '2020' -> 2020.5 (mid-year)."""
    parts = [int(p) for p in str(date).split("-")[:3]]
    if len(parts) == 1:
        return parts[0] + 0.5
    day = parts[2] if len(parts) == 3 else 15
    return parts[0] + (parts[1] - 1) / 12 + (day - 1) / 365


def act_timeline(
    acts: pd.DataFrame,
    title: str,
    rows: list[str],
    names: dict[str, str],
    directions: dict[str, str],
    years: range,
    lang: str = "en",
) -> Figure:
    """Acts on one time axis, one row per country: restrictive ▼, protective ▲, others ●
    (shape and colour both tell the direction, for grey-scale print)."""
    styles = {
        "restrictive": ("v", RESTRICTIVE),
        "protective": ("^", PROTECTIVE),
        "neutral": ("o", MUTED),
        "mixed": ("D", INK),
    }
    with plt.rc_context(_STYLE):
        fig, ax = _figure(height=0.3 * len(rows) + 1.3)
        position = {name: i for i, name in enumerate(reversed(rows))}
        for direction, (marker, colour) in styles.items():
            subset = acts[acts["direction"] == direction]
            if subset.empty:
                continue
            ax.scatter(
                subset["date_adopted"].map(_decimal_year),
                subset["country"].map(names).map(position),
                marker=marker,
                s=46,
                color=colour,
                edgecolor="white",
                linewidth=0.6,
                label=directions.get(direction, direction),
                zorder=3,
            )
        ax.set_yticks(range(len(rows)), list(reversed(rows)))
        ax.set_ylim(-0.7, len(rows) - 0.3)
        ax.set_xlim(years.start - 0.2, years.stop + 0.1)
        ax.set_xticks(list(years))
        ax.tick_params(axis="x", labelsize=8)
        ax.grid(axis="y", visible=False)
        _title(ax, title)
        fig.legend(frameon=False, fontsize=7.5, ncols=4, loc="outside lower center")
    return fig


def render(
    fig: Figure, folder: str | os.PathLike | None = None, name: str = "", dpi: int = 170
) -> bytes:
    """PNG bytes of a figure for the brief; with ``folder``, also saved as PNG (the same bytes)
    and SVG for slides, atomically. The figure is closed.

    Each chart is laid out once: ``savefig`` with a layout engine draws the whole figure
    twice (once invisibly, to lay it out); running the constrained layout at the PNG's
    resolution first and then saving without an engine gives the same pixels with one draw
    (about 15% of a save), and the SVG reuses that layout."""
    _lay_out(fig, dpi)
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=dpi)
    if folder is not None:
        folder = Path(folder)
        storage.write_bytes(folder / f"{name}.png", png.getvalue())
        svg = io.BytesIO()
        fig.savefig(svg, format="svg", metadata={"Date": None})
        storage.write_bytes(folder / f"{name}.svg", svg.getvalue())
    plt.close(fig)
    return png.getvalue()


def svg(fig: Figure, title: str, description: str, dpi: int = 170) -> str:
    """The figure as SVG markup for a web page: text kept as text (the page's fonts, readable
    by a screen reader and searchable), laid out as for the PDF, with a ``<title>`` and a
    ``<desc>``; no date or other varying metadata. The figure is closed."""
    _lay_out(fig, dpi)
    out = io.StringIO()
    with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": "labour-briefs"}):
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    markup = out.getvalue()
    markup = markup[markup.index("<svg") :]  # no XML prolog or DOCTYPE inside HTML
    markup = re.sub(r"\s*<metadata>.*?</metadata>", "", markup, flags=re.S)
    head_end = markup.index(">") + 1
    extra = f"<title>{html.escape(title)}</title><desc>{html.escape(description)}</desc>"
    return markup[:head_end] + extra + markup[head_end:]


def _lay_out(fig: Figure, dpi: int) -> None:
    """Run the figure's layout engine as ``savefig(dpi=dpi)`` would, then switch it off."""
    engine = fig.get_layout_engine()
    if engine is None:
        return
    screen_dpi = fig.dpi
    fig.dpi = dpi  # the layout measures text with a renderer at the saving resolution
    try:
        engine.execute(fig)
    finally:
        fig.dpi = screen_dpi
    fig.set_layout_engine("none")
