"""The batch engine: incremental rebuilds, parallel runs without flakes, nbconvert integration."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.run import batch, kernels

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def test_nbconvert_finds_the_briefpdf_exporter():
    from nbconvert.exporters import get_exporter

    exporter = get_exporter("briefpdf")
    assert exporter.__name__ == "BriefPDFExporter"
    assert exporter().file_extension == ".pdf"


@pytest.fixture
def project(tiny_cleaned, tmp_path, monkeypatch):
    root = tmp_path / "project"
    (root / "notebooks").mkdir(parents=True)
    shutil.copy(NOTEBOOKS / "country_brief.ipynb", root / "notebooks")
    shutil.copytree(tiny_cleaned, root / "data" / "processed")
    monkeypatch.chdir(root)
    return root


def _statuses(results):
    return {(r.country, r.lang): r.status for r in results}


@pytest.mark.slow
def test_rebuilds_exactly_the_briefs_whose_inputs_changed(built_briefs, tmp_path, monkeypatch):
    project = tmp_path / "copy"
    shutil.copytree(built_briefs, project)  # built once for the session; changed here only
    monkeypatch.chdir(project)
    jobs = batch.plan(["KGZ", "TJK"], 2025, ["en"])
    manifest = json.loads(
        (project / "outputs/briefs/2025/manifest.json").read_text(encoding="utf-8")
    )
    entry = {(b["lang"], b["country"]): b for b in manifest["briefs"]}[("en", "KGZ")]
    assert entry["parameters"]["country"] == "KGZ" and entry["pages"] >= 2 and entry["input_hash"]
    assert entry["pdf"] == "outputs/briefs/2025/en/KGZ.pdf" and entry["seconds"] > 0

    again = batch.run_batch(jobs, workers=2)
    assert set(_statuses(again).values()) == {"up to date"}

    # A change that only the Tajik brief shows: only that brief is rebuilt.
    path = project / "data/processed/violations.parquet"
    table = pd.read_parquet(path)
    table.loc[table["country"] == "TJK", "description"] = "corrected description"
    table.to_parquet(path, index=False)
    assert _statuses(batch.run_batch(jobs, workers=2)) == {
        ("KGZ", "en"): "up to date",
        ("TJK", "en"): "ok",
    }

    assert _statuses(batch.run_batch(jobs[:1], workers=1, force=True)) == {("KGZ", "en"): "ok"}


@pytest.mark.slow
def test_parallel_batches_do_not_flake(project):
    jobs = batch.plan(["KGZ", "TJK"], 2025, ["en", "ru"])
    # 4 kernels on 2 cores, over a brief already built: races for ports or files would show
    batch.run_batch(jobs[:1], workers=1)
    results = batch.run_batch(jobs, workers=4, force=True)
    assert [r.error_text for r in results if r.status != "ok"] == []
    pdf = (project / "outputs/briefs/2025/ru/TJK.pdf").read_bytes()
    assert str(project).encode() not in pdf
    assert not list((project / "outputs").rglob("*.tmp"))


@pytest.mark.slow
def test_export_and_nbconvert_give_the_batch_pdf(built_briefs, tmp_path):
    executed = tmp_path / "executed.ipynb"
    shutil.copy(built_briefs / "outputs/notebooks/2025/en/KGZ.ipynb", executed)
    subprocess.run([sys.executable, "-m", "analysis", "export", str(executed), "--output", str(tmp_path / "cli.pdf")],
                   check=True, capture_output=True)  # fmt: skip
    subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "briefpdf", str(executed)],
                   check=True, capture_output=True)  # fmt: skip
    batch_pdf = (built_briefs / "outputs/briefs/2025/en/KGZ.pdf").read_bytes()
    assert (tmp_path / "cli.pdf").read_bytes() == batch_pdf
    assert (tmp_path / "executed.pdf").read_bytes() == batch_pdf


@pytest.mark.slow
def test_reused_kernel_stops_the_clients_it_handed_out(caplog):
    """nbclient leaves a passed-in kernel's client running; the worker stops it after each
    brief, so no sockets pile up and no 'Could not destroy zmq context' warning is logged."""
    import gc

    km = kernels._start_kernel()
    try:
        client = km.client()  # as nbclient does for each brief
        client.start_channels()
        client.wait_for_ready(timeout=60)
        km.stop_clients()
        assert not client.channels_running
        del client
        gc.collect()
        assert "Could not destroy zmq context" not in caplog.text
    finally:
        km.shutdown_kernel(now=True)
        kernels._WORKER_KERNEL.clear()


@pytest.mark.slow
def test_a_span_of_years_runs_in_one_pool_with_a_manifest_per_year(project):
    jobs = [job for year in (2024, 2025) for job in batch.plan(["KGZ"], year, ["en"], figures=True)]
    results = batch.run_batch(jobs, workers=2)
    assert [r.status for r in results] == ["ok", "ok"]
    for year in (2024, 2025):
        manifest = json.loads((project / f"outputs/briefs/{year}/manifest.json").read_text("utf-8"))
        assert [b["country"] for b in manifest["briefs"]] == ["KGZ"]
        assert (project / f"outputs/briefs/{year}/en/KGZ.pdf").exists()
    assert list((project / "outputs/figures/2025/KGZ").glob("*.svg"))  # asked for: slides
    again = batch.run_batch(jobs, workers=2)
    assert {r.status for r in again} == {"up to date"}


@pytest.mark.slow
def test_slide_figures_only_when_asked(project):
    [job] = batch.plan(["KGZ"], 2025, ["en"])
    assert job.parameters["figures_dir"] == ""
    [result] = batch.run_batch([job], workers=1)
    assert result.status == "ok" and not (project / "outputs" / "figures").exists()


@pytest.mark.slow
def test_nothing_to_do_is_decided_without_pandas(project):
    command = [sys.executable, "-c", (
        "import sys, analysis.run.cli; rc = analysis.run.cli.main(['briefs', '--countries', 'KGZ', '--lang', 'en']);"
        "print('PANDAS' if 'pandas' in sys.modules else 'LEAN', rc)"
    )]  # fmt: skip
    first = subprocess.run(command, capture_output=True, text=True, cwd=project, check=True)
    assert "PANDAS 0" in first.stdout  # built: the normal path
    second = subprocess.run(command, capture_output=True, text=True, cwd=project, check=True)
    assert (
        "nothing to do: all 1 briefs are up to date" in second.stdout and "LEAN 0" in second.stdout
    )
    note = project / "data" / "notes" / "2025" / "KGZ.en.md"
    note.parent.mkdir(parents=True)
    note.write_text("A new assessment.\n", encoding="utf-8")  # an input changed: not up to date
    third = subprocess.run(command, capture_output=True, text=True, cwd=project, check=True)
    assert "PANDAS 0" in third.stdout and " ok " in third.stdout


@pytest.mark.slow
def test_reports_left_stale_are_named_with_the_command_that_rebuilds_them(
    built_briefs, tmp_path, monkeypatch
):
    from analysis.run import cli, status

    project = tmp_path / "copy"
    shutil.copytree(built_briefs, project)
    monkeypatch.chdir(project)
    states = {s.key: s.state for s in status.report_states(2025)}
    assert states["en/KGZ"] == states["ru/TJK"] == states["ru/regional"] == "up to date"
    assert states["en/KAZ"] == "not built"
    # a change only the Tajik brief shows; a PDF disappears
    path = project / "data/processed/violations.parquet"
    table = pd.read_parquet(path)
    table.loc[table["country"] == "TJK", "description"] = "corrected description"
    table.to_parquet(path, index=False)
    (project / "outputs/briefs/2025/ru/KGZ.pdf").unlink()
    states = {s.key: s.state for s in status.report_states(2025)}
    assert states["en/TJK"] == states["ru/TJK"] == "out of date"
    assert states["ru/KGZ"] == "missing" and states["en/KGZ"] == "up to date"
    stale = status.stale_after(status.report_states(2025), built={"en/KGZ"})
    message = status.stale_message(stale, 2025)
    assert "TJK ru/en" in message and "KGZ ru," in message  # KGZ en was just built
    assert (
        "rebuild them with: analysis briefs --year 2025 --lang ru,en --countries KGZ,TJK" in message
    )
    assert {s.key for s in stale} == {
        k for k, v in states.items() if v not in ("up to date", "not built")
    }
    assert cli.main(["status"]) == 1  # something to rebuild


@pytest.mark.slow
def test_export_refuses_a_notebook_older_than_the_data(built_briefs, tmp_path, monkeypatch, capsys):
    import os

    from analysis.run import cli

    project = tmp_path / "copy"
    shutil.copytree(built_briefs, project)
    monkeypatch.chdir(project)
    notebook = project / "outputs/notebooks/2025/en/KGZ.ipynb"
    table = project / "data/processed/violations.parquet"
    os.utime(notebook, (1_000_000_000, 1_000_000_000))  # executed long before the data
    assert cli.main(["export", str(notebook), "--output", str(tmp_path / "a.pdf")]) == 2
    assert "executed before the processed data last changed" in capsys.readouterr().err
    assert not (tmp_path / "a.pdf").exists()
    assert cli.main(["export", str(notebook), "--output", str(tmp_path / "a.pdf"), "--force"]) == 0
    assert (tmp_path / "a.pdf").exists() and table.exists()
