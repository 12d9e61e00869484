"""The corridor picture: origins down, destinations across, each cell a stock in thousands.

A matrix reads in print (and in grey) where arrows would cross: each value is written in its
cell, the shade only helps the eye; an empty cell is "no data", never zero.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from analysis.publish.charts import _STYLE, INK, _figure, _title, number


def corridor_matrix(
    table: pd.DataFrame,
    title: str,
    rows: dict[str, str],
    columns: dict[str, str],
    lang: str = "en",
) -> Figure:
    """``table``: origins (index) x destinations (columns), persons; shown in thousands."""
    thousands = table / 1000.0
    with plt.rc_context(_STYLE):
        fig, ax = _figure(height=0.36 * len(table.index) + 1.5)
        ax.grid(False)
        shown = thousands.fillna(0).clip(lower=0).map(lambda v: math.log10(1 + v))
        ax.pcolormesh(  # vector cells (an image would be a bitmap inside the SVG)
            [j - 0.5 for j in range(len(shown.columns) + 1)],
            [i - 0.5 for i in range(len(shown.index) + 1)],
            shown.to_numpy(),
            cmap="Blues",
            vmin=0,
            vmax=max(shown.max().max(), 1),
        )
        ax.set_ylim(len(shown.index) - 0.5, -0.5)  # the first origin on top
        peak = shown.max().max() or 1
        for i, origin in enumerate(thousands.index):
            for j, destination in enumerate(thousands.columns):
                value = thousands.loc[origin, destination]
                if pd.isna(value):
                    continue
                light = shown.loc[origin, destination] > 0.6 * peak
                ax.text(j, i, number(round(value, 1 if value < 10 else 0), lang), ha="center",
                        va="center", fontsize=7.5, color="white" if light else INK)  # fmt: skip
        ax.set_xticks(range(len(thousands.columns)), [columns.get(c, c) for c in thousands.columns],
                      rotation=35, ha="right", fontsize=8)  # fmt: skip
        ax.set_yticks(
            range(len(thousands.index)), [rows.get(r, r) for r in thousands.index], fontsize=8
        )
        ax.tick_params(length=0)
        for side in ax.spines.values():
            side.set_visible(False)
        _title(ax, title)
    return fig
