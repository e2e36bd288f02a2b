"""benchmarks/cosplib.py: its table says where planner is better or worse than the best other, its section keeps the
other scripts' sections, and without CoSPLib's dataset it says so and writes nothing."""

from benchmarks import cosplib
from benchmarks.audience import END as AUDIENCE_END
from benchmarks.audience import START as AUDIENCE_START


def _found(ours: int, hyper: int) -> dict:
    run = {"objective": ours, "valid": True, "complete": True, "first": 1.0, "best": 2.0}
    return {
        "GECCO21": {
            "published": {"exact": 11280, "extended": 11130},
            "runs": {"planner": [run], "hyper_heuristic": [{**run, "objective": hyper}]},
        }
    }


def test_the_table_says_where_planner_is_better_or_worse():
    assert "**better** (182 below the best other)" in cosplib.table(_found(10948, 11200))
    worse = cosplib.table(_found(11300, 11000))
    assert "worse (300 above; 2.7%)" in worse and "| GECCO21 | published extended model | 11,130 |" in worse


def test_the_section_replaces_only_its_own(tmp_path, monkeypatch):
    report = tmp_path / "BENCHMARKS.md"
    earlier = f"# Benchmarks\n\n{AUDIENCE_START}\naudience\n{AUDIENCE_END}\n\n{cosplib.START}\nold\n{cosplib.END}\n"
    report.write_text(earlier, encoding="utf-8")
    monkeypatch.setattr(cosplib, "VENV_PYTHON", tmp_path / "python")
    (tmp_path / "python").write_text("")
    (tmp_path / "Dataset").mkdir()
    assert cosplib.main(["--dataset", str(tmp_path / "Dataset"), "--instances", "", "--out", str(tmp_path / "o"),
                         "--update", str(report)]) == 0  # fmt: skip
    text = report.read_text(encoding="utf-8")
    assert "audience" in text and "old" not in text and text.count(cosplib.START) == 1


def test_without_the_dataset_it_says_so_and_writes_nothing(tmp_path, capsys):
    report = tmp_path / "BENCHMARKS.md"
    assert cosplib.main(["--dataset", str(tmp_path / "absent"), "--update", str(report)]) == 0
    assert "is skipped" in capsys.readouterr().out and not report.exists()
