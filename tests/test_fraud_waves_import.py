"""Same-day fraud waves: ``anshin fraud import`` tests the days it imported and drafts a wave's 多発 alert at once.

The drafts go through a real ``anshin service`` (``running_service``) as the
logged-in analyst; without the service, or without a login, the command says
what it found and the exact command that drafts it.
"""

from __future__ import annotations

import shlex

import numpy as np
import pandas as pd
import pytest

from anshin_lab.cli.main import main
from anshin_lab.storage import store
from anshin_lab.workflow.alerts import get_alert, list_alerts

from .service_process import running_service
from .staff import workspace_with_analyst

HEADERS = ["受付番号", "発生日時", "市町村", "小地域コード", "管轄署", "手口", "名乗り", "結果", "被害額", "被害者年代"]
ANALYST, ANALYST_PASSWORD = "wave-analyst", "wave-analyst-password-1"
CALLERS = ("警察官", "市役所職員", "銀行協会職員")


def write_calls(path, rows) -> str:
    pd.DataFrame(rows, columns=HEADERS).to_csv(path, index=False)
    return str(path)


def background(seed: int = 1) -> list[list]:
    """Sixty days of scattered calls in 鹿児島市 (about two a day, three callers): no wave."""
    rng = np.random.default_rng(seed)
    rows = []
    for day in pd.date_range("2026-10-01", "2026-11-29"):
        for _ in range(rng.poisson(2)):
            rows.append([f"B-{len(rows)}", f"{day:%Y-%m-%d} {10 + rng.integers(0, 7)}:{rng.integers(0, 60):02d}",
                         "鹿児島市", "", "鹿児島中央警察署", "預貯金詐欺", CALLERS[rng.integers(0, 3)], "予兆", "", "70代"])
    return rows


def wave(prefix: str, day: str, caller: str, size: int = 12) -> list[list]:
    """``size`` calls of one caller in 鹿児島市 on one afternoon."""
    return [[f"{prefix}-{k}", f"{day} 13:{10 + 3 * k:02d}", "鹿児島市", "", "鹿児島中央警察署", "預貯金詐欺", caller,
             "予兆", "", "80代以上"] for k in range(size)]


@pytest.fixture
def analyst_workspace(built_workspace, tmp_path):
    """The built workspace's files (layers, reference) with a database of its own: an admin and one analyst."""
    return workspace_with_analyst(built_workspace, tmp_path / "ws", ANALYST, ANALYST_PASSWORD)


def anshin(capsys, *args) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out


def stored_alerts(ws) -> pd.DataFrame:
    engine = store.connect(ws.database_url)
    try:
        return list_alerts(engine)
    finally:
        engine.dispose()


def test_an_import_with_a_wave_drafts_the_alert_in_the_same_command_once(analyst_workspace, tmp_path, capsys,
                                                                           monkeypatch):
    ws = analyst_workspace
    root = str(ws.root)
    monkeypatch.delenv("ANSHIN_SESSION", raising=False)
    monkeypatch.setenv("ANSHIN_PASSWORD", ANALYST_PASSWORD)
    quiet = write_calls(tmp_path / "quiet.csv", background())
    first = write_calls(tmp_path / "first.csv", wave("P", "2026-11-30", "市役所職員"))
    second = write_calls(tmp_path / "second.csv", wave("Q", "2026-12-01", "警察官", size=14))

    # No wave in sixty ordinary days: tested, nothing found, nothing drafted (and no service was needed).
    out = anshin(capsys, "fraud", "import", "--workspace", root, "--user", ANALYST, quiet)
    assert "急増はありませんでした" in out and "急増を検出しました" not in out
    # A wave while the service is down: what was found, and the exact command that drafts it later.
    out = anshin(capsys, "fraud", "import", "--workspace", root, "--user", ANALYST, first)
    assert "急増を検出しました: 11月30日(月) 鹿児島市・市役所職員を名乗る 12件(通常" in out
    assert "anshin service が起動していません" in out
    (command,) = [line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("下書きを作成するには")]
    assert command.startswith(f"anshin fraud waves --workspace {root} --day 2026-11-30 --draft --user ")
    assert stored_alerts(ws).empty

    with running_service(ws):
        out = anshin(capsys, "fraud", "import", "--workspace", root, "--user", ANALYST, second)
        (line,) = [line for line in out.splitlines() if line.startswith("急増を検出しました")]
        assert line.startswith("急増を検出しました: 12月1日(火) 鹿児島市・警察官を名乗る 14件(通常 ")
        assert line.endswith("を作成しました(承認待ち)")
        alert_id = int(line.split("下書き #")[1].split()[0])
        again = anshin(capsys, "fraud", "import", "--workspace", root, "--user", ANALYST, second)
        assert f"→ 下書き #{alert_id} は作成済みです(承認待ち)" in again
        # The command printed while the service was down drafts the first wave; a second run finds it.
        args = shlex.split(command)[1:-1] + [ANALYST]
        drafted = anshin(capsys, *args)
        assert "を作成しました(承認待ち)" in drafted
        assert "は作成済みです" in anshin(capsys, *args)
        # Nobody to log in as: found and named, not drafted.
        monkeypatch.delenv("ANSHIN_USER", raising=False)
        out = anshin(capsys, "fraud", "import", "--workspace", root, second)
        assert "下書きは作成していません(ログインしていません" in out and "下書き #" not in out
        assert "急増を検出しました" not in anshin(capsys, "fraud", "import", "--workspace", root, "--user", ANALYST,
                                               quiet)

    alerts = stored_alerts(ws)
    assert len(alerts) == 2  # one draft per wave, however often imported
    engine = store.connect(ws.database_url)
    try:
        alert = get_alert(engine, alert_id)
    finally:
        engine.dispose()
    assert alert.status.value == "draft" and alert.created_by == ANALYST and alert.category == "fraud"
    assert alert.subject == "【うそ電話詐欺】鹿児島市内で警察官を名乗る電話が多発"
    assert alert.public_text == "鹿児島市内" and alert.level.name == "CITY"
    assert "警察官を名乗るうそ電話が14件確認されました" in alert.body and "ふだんは1日あたり" in alert.body
    assert sorted(alert.incident_ids) == sorted(f"Q-{k}" for k in range(14))
