"""How ``check.lint`` combines the rules and the learned detector (``learned``)."""

from __future__ import annotations

import pytest

from anshin_lab.drafting.languages import text_findings
from anshin_lab.privacy.lint import lint


@pytest.mark.parametrize("subject", [
    "[Kagoshima Police] Missing older person – Amami City (奄美市)",
    "[Cảnh sát Kagoshima] Người lạ bắt chuyện – Thành phố Kirishima (霧島市)",
    "Photographing without consent – Amami City",
])
def test_latin_script_is_not_the_learned_detectors_to_judge(subject):
    """It learned Japanese; in a translated subject it read every word as a facility."""
    assert lint(subject) == []


@pytest.mark.parametrize(("line", "code"), [
    ("发生了以下事件：身体接触。", "zh"),
    ("가고시마시(鹿児島市) 新城 부근의 보도", "ko"),
    ("Thành phố Kagoshima (鹿児島市) 本名町 부근", "vi"),
])
def test_translated_versions_are_linted_by_the_rules_alone(line, code):
    assert text_findings(line, code) == []
