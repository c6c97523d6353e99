from dataclasses import fields
from pathlib import Path

import pytest

from anshin_lab.core.errors import ConfigError
from anshin_lab.core.settings import PROJECT_ROOT, Settings, load_settings


def test_defaults_use_the_project_workspace():
    s = load_settings(environ={})
    assert s.workspace == PROJECT_ROOT / "data"
    assert s.database == f"sqlite:///{PROJECT_ROOT / 'data' / 'anshin.sqlite'}"
    assert s.sender_domain == "123123.tv"


def test_environment_overrides(tmp_path):
    s = load_settings(environ={"ANSHIN_WORKSPACE": str(tmp_path), "ANSHIN_SMTP_PORT": "2525",
                               "ANSHIN_DATABASE_URL": "postgresql://anshin:pw@db/anshin"})
    assert s.workspace == tmp_path and s.smtp_port == 2525
    assert s.database == "postgresql://anshin:pw@db/anshin"
    shown = dict((name, value) for name, value, _ in s.describe())
    assert "pw" not in shown["database_url"] and "pw" not in shown["database"]


def test_bad_number_is_a_config_error():
    with pytest.raises(ConfigError, match="ANSHIN_SMTP_PORT"):
        load_settings(environ={"ANSHIN_SMTP_PORT": "many"})


def test_every_setting_has_help_and_is_in_the_readme():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for f in fields(Settings):
        assert f.metadata["help"], f.name
        assert f"ANSHIN_{f.name.upper()}" in readme, f"README does not document ANSHIN_{f.name.upper()}"


def test_with_workspace_points_everything_there(tmp_path):
    s = load_settings(environ={}).with_workspace(tmp_path / "ws")
    assert s.database.endswith(str(Path(tmp_path / "ws" / "anshin.sqlite")))
