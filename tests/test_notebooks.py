"""Notebook hygiene, papermill parameters, and the exploration notebook kept from rotting."""

import json
from pathlib import Path

import papermill as pm
import pytest

from analysis.clean import clean_all
from analysis.run import batch
from analysis.run.batch import KERNEL_NAME

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_hygiene(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in code), "strip outputs"
    assert nb["metadata"]["kernelspec"]["name"] == KERNEL_NAME
    tagged = [c for c in code if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    # The parameters cell holds literal assignments only (papermill does not recompute it).
    for line in "".join(tagged[0]["source"]).splitlines():
        assert line.startswith("#") or " = " in line and "(" not in line.split("#")[0], line


@pytest.mark.parametrize(
    "name", ["country_brief.ipynb", "regional_overview.ipynb", "thematic_report.ipynb"]
)
def test_brief_parameters_are_what_the_batch_sends(name):
    params = pm.inspect_notebook(str(ROOT / "notebooks" / name))
    job = batch.BriefJob("KAZ", 2025, "en", name, "data/processed", "outputs")
    assert set(params) == {*job.parameters, "snapshot"}  # snapshot: render_brief adds it
    assert set(job.parameters) == {"country", "year", "lang", "processed_dir", "figures_dir"}


@pytest.mark.slow
def test_explore_notebook_runs(tmp_path):
    processed = tmp_path / "processed"
    clean_all(ROOT / "data" / "raw", processed)
    out = tmp_path / "explore.ipynb"
    pm.execute_notebook(str(ROOT / "notebooks" / "explore.ipynb"), str(out), kernel_name=KERNEL_NAME,
                        parameters={"processed_dir": str(processed), "lang": "ru"}, progress_bar=False,
                        cwd=str(ROOT / "notebooks"))  # fmt: skip
    nb = json.loads(out.read_text(encoding="utf-8"))
    outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    assert not [o for o in outputs if o["output_type"] == "error"]
    answers = [c for c in nb["cells"] if "answer" in c["metadata"].get("tags", [])]
    assert len(answers) >= 6
    for cell in answers:  # every question gets a non-empty answer
        shown = "".join("".join(o.get("data", {}).get("text/plain", [])) for o in cell["outputs"])
        assert shown and "Empty DataFrame" not in shown and shown.strip() != "[]", cell["source"]
    text = json.dumps(outputs, ensure_ascii=False)
    assert "Кыргызстан" in text and "'direction': " in text
