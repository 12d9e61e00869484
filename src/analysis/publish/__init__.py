"""Publish: the reports built from the indicators (view models, layout, charts, PDF rendering,
page checks, proof sheets, the ILO pack)."""
