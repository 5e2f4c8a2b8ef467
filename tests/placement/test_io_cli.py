"""The exchange format round-trips, bad files are refused saying where, and the command line works end to end."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from koers.placement.cli import main
from koers.placement.io import (
    FormatError,
    instance_from_dict,
    instance_to_dict,
    read_solution,
    solution_from_dict,
    solution_to_dict,
    write_json,
)
from koers.placement.model import Solution, UnplacedReason
from tests.placement.instances import client, day, group, instance

ROOT = Path(__file__).resolve().parents[2]


def example():
    clients = [
        client("C1", deadline=day(20), needs=("low_language",), preferred_locations=("Noord",)),
        client("C2", attributes={"gender": "v", "age_band": "18-26"}, availability=("evening",)),
        client("C3", contraindications=("acute_crisis",)),
    ]
    groups = [group("G1", features=("language_support",), occupied=1), group("G2", slot="evening", location="Noord")]
    return instance(clients, groups, pinned={"C2": "G2"}, scale="tiny", seed=3)


def test_an_instance_survives_the_round_trip_through_json() -> None:
    original = example()
    data = json.loads(json.dumps(instance_to_dict(original)))
    assert data["format"] == "placement-instance/1"
    assert data["clients"][0]["deadline"] == "2026-01-25"
    assert instance_from_dict(data) == original


def test_a_solution_survives_the_round_trip_and_keeps_solver_extras() -> None:
    original = Solution(
        "tiny", "koers", {"C1": "G1"}, {"C3": UnplacedReason.CONTRAINDICATION}, 1.5, "OPTIMAL", 170, 170, {"gap": 0.0}
    )
    data = json.loads(json.dumps(solution_to_dict(original)))
    assert data["unplaced"] == {"C3": "contraindication"}
    assert solution_from_dict(data) == original


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="placement-instance/2"), "format: expected 'placement-instance/1'"),
        (lambda d: d["clients"][0].pop("availability"), "client C1: the field 'availability' is missing"),
        (lambda d: d["groups"][0].update(start_date="7 januari"), "group G1: '7 januari' is not a date"),
        (lambda d: d["clients"][1].update(training="XYZ"), "client C2: unknown training 'XYZ'"),
        (lambda d: d["groups"].append(dict(d["groups"][0])), "group ids are not unique"),
        (lambda d: d.update(pinned={"C1": "G9"}), "pinned: 'C1' → 'G9' names an unknown"),
    ],
)
def test_a_malformed_instance_is_refused_saying_where(change, message) -> None:
    data = instance_to_dict(example())
    change(data)
    with pytest.raises(FormatError, match=message):
        instance_from_dict(data)


def test_an_unknown_unplaced_reason_is_refused() -> None:
    with pytest.raises(FormatError, match="unknown reason 'ziek'"):
        solution_from_dict({"format": "placement-solution/1", "unplaced": {"C1": "ziek"}})


def test_score_prints_the_metrics_and_fails_on_a_broken_solution(tmp_path, capsys) -> None:
    write_json(instance_to_dict(example()), tmp_path / "instance.json")
    good = Solution("tiny", "hand", {"C1": "G1", "C2": "G2"}, {"C3": UnplacedReason.CONTRAINDICATION})
    write_json(solution_to_dict(good), tmp_path / "good.json")
    assert main(["score", str(tmp_path / "instance.json"), str(tmp_path / "good.json")]) == 0
    lines = [line.split(None, 1) for line in capsys.readouterr().out.splitlines()]
    assert ["valid", "yes"] in lines
    assert ["objective", "440"] in lines  # C1: 170 wait + 70 location; C2: 170 wait; balance 3 × 10
    broken = Solution("tiny", "hand", {"C1": "G2", "C2": "G1"}, {})
    write_json(solution_to_dict(broken), tmp_path / "broken.json")
    assert main(["score", str(tmp_path / "instance.json"), str(tmp_path / "broken.json")]) == 1
    printed = capsys.readouterr().out
    assert "violation: C3: neither assigned nor unplaced" in printed
    assert "violation: C2: pinned to run G2 but not placed there" in printed


def test_a_missing_file_is_an_error_not_a_traceback(tmp_path, capsys) -> None:
    assert main(["score", str(tmp_path / "nope.json"), str(tmp_path / "nope.json")]) == 2
    assert "error:" in capsys.readouterr().err


@pytest.mark.parametrize("method", ["optimise", "fcfs"])
def test_solve_and_score_round_trip_from_the_shell(tmp_path, method) -> None:
    write_json(instance_to_dict(example()), tmp_path / "instance.json")
    out = tmp_path / "solution.json"
    command = [sys.executable, "-m", "koers.placement"]
    solved = subprocess.run(
        [
            *command,
            "solve",
            str(tmp_path / "instance.json"),
            "--time-limit",
            "5",
            "--out",
            str(out),
            "--method",
            method,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert solved.returncode == 0, solved.stderr
    solution = read_solution(out)
    assert set(solution.assignments) | set(solution.unplaced) == {"C1", "C2", "C3"}
    assert solution.assignments["C2"] == "G2"
    assert solution.unplaced == {"C3": UnplacedReason.CONTRAINDICATION}
    scored = subprocess.run(
        [*command, "score", str(tmp_path / "instance.json"), str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert scored.returncode == 0, scored.stdout
    assert ["objective", str(solution.objective)] in [line.split(None, 1) for line in scored.stdout.splitlines()]
