from pathlib import Path

from planner.errors import Collector, Problem, Where
from planner.io.yamlfile import MAX_INPUT_BYTES, line_of, read_yaml


def load(tmp_path: Path, text: str) -> tuple[object, list[Problem]]:
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    problems = Collector()
    return read_yaml(path, "x.yaml", problems), problems.problems


def test_clock_times_stay_text_not_base_60(tmp_path):
    data, problems = load(tmp_path, "a: 9:30\nb: 13:45\nc: 90\nd: 1.5\n")
    assert problems == [] and data == {"a": "9:30", "b": "13:45", "c": 90, "d": 1.5}


def test_line_numbers_of_keys_and_items(tmp_path):
    data, _ = load(tmp_path, "rooms:\n  - id: a\n  - id: b\n    capacity: x\n")
    assert line_of(data, ("rooms", 1, "capacity")) == 4
    assert line_of(data, ("rooms", 0)) == 2
    assert line_of(data, ("missing", 3)) == 1


def test_duplicate_keys_are_an_error_with_a_line(tmp_path):
    data, problems = load(tmp_path, "a: 1\nb: 2\na: 3\n")
    assert data is None and problems[0].where == Where.of(line=3) and "twice" in problems[0].message


def test_malformed_yaml_names_its_line(tmp_path):
    _, problems = load(tmp_path, "a: [1, 2\nb: 3\n")
    assert str(problems[0].where).startswith("line ") and "not valid YAML" in problems[0].message


def test_empty_and_oversized_files(tmp_path):
    assert "empty" in load(tmp_path, "  \n")[1][0].message
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (MAX_INPUT_BYTES + 1))
    problems = Collector()
    assert read_yaml(big, "big.yaml", problems) is None and "limit" in problems.problems[0].message


def test_unsafe_tags_are_refused(tmp_path):
    _, problems = load(tmp_path, "a: !!python/object/apply:os.system ['echo hi']\n")
    assert problems and "not valid YAML" in problems[0].message
