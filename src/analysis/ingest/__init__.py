"""Ingest: files in as their senders wrote them (partner spreadsheets, publishers' downloads),
as raw text tables with their provenance, and the value parsers the cleaning uses."""
