from pathlib import Path

from demo_data import write_demo_data

from analysis.ingest.readers import detect_encoding

SHIPPED = Path(__file__).resolve().parents[1] / "data" / "raw"


def test_generator_is_deterministic_and_matches_the_shipped_files(tmp_path):
    paths = write_demo_data(tmp_path / "raw")
    relative = sorted(p.relative_to(tmp_path / "raw") for p in paths)
    assert relative == sorted(p.relative_to(SHIPPED) for p in SHIPPED.rglob("*") if p.is_file())
    for rel in relative:
        assert (tmp_path / "raw" / rel).read_bytes() == (SHIPPED / rel).read_bytes(), (
            f"{rel} differs: run `make demo-data` and commit"
        )


def test_every_demo_file_says_it_is_synthetic():
    for path in SHIPPED.rglob("*"):
        if path.suffix in {".csv", ".tsv", ".md"}:
            data = path.read_bytes()
            text = data.decode(detect_encoding(data))[:300]
            assert "SYNTHETIC" in text.upper() or "СИНТЕТИЧЕСК" in text.upper(), path
