"""The CLI: `backprop-lens backprop` prints the same trace locally and through --server."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest

from app.cli import main
from tests.app.helpers import free_port_url, worked_example


@pytest.fixture
def request_file(tmp_path: Path) -> Path:
    path = tmp_path / "request.json"
    path.write_text(json.dumps(worked_example()))
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_local_and_server_print_the_same(
    capsys: pytest.CaptureFixture[str], request_file: Path, live_server: str
) -> None:
    status, local, err = run(capsys, "backprop", str(request_file))
    assert (status, err) == (0, "")
    status, remote, err = run(capsys, "backprop", str(request_file), "--server", live_server)
    assert (status, err) == (0, "")
    assert local == remote
    trace = orjson.loads(local)
    assert trace["cost"] == 0.2983711087600027
    assert local.startswith('{\n  "network": {')


def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "absent.json"
    assert run(capsys, "backprop", str(path)) == (
        1,
        "",
        f"backprop-lens: {path}: no such file\n",
    )


def test_invalid_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"network": ')
    status, out, err = run(capsys, "backprop", str(path))
    assert (status, out) == (1, "")
    detail = "unexpected end of data: line 1 column 13 (char 12)"
    assert err == f"backprop-lens: {path}: not valid JSON: {detail}\n"


def test_invalid_request_locally_and_remotely(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, live_server: str
) -> None:
    body = worked_example()
    body["network"]["layers"] = [2, 3, 2]
    path = tmp_path / "request.json"
    path.write_text(json.dumps(body))
    message = "network.weights[0]: W1 must have shape 3×2 (n1 rows, n0 columns), got 2×2"
    assert run(capsys, "backprop", str(path)) == (
        1,
        "",
        f"backprop-lens: {path}: invalid request: {message}\n",
    )
    assert run(capsys, "backprop", str(path), "--server", live_server) == (
        1,
        "",
        f"backprop-lens: {path}: invalid request (422): {message}\n",
    )
    body = worked_example()
    body["cost"] = 3
    path.write_text(json.dumps(body))
    status, _, err = run(capsys, "backprop", str(path))
    assert status == 1
    assert err == (
        f"backprop-lens: {path}: invalid request: cost: input should be 'quadratic', "
        "'cross_entropy' or 'softmax_cross_entropy', got 3\n"
    )


def test_unreachable_server(capsys: pytest.CaptureFixture[str], request_file: Path) -> None:
    url = free_port_url()
    status, out, err = run(capsys, "backprop", str(request_file), "--server", url)
    assert (status, out) == (1, "")
    assert err.startswith(f"backprop-lens: cannot reach the server at {url}: ")


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([])
    assert exit_info.value.code == 2
    assert "backprop-lens" in capsys.readouterr().err
