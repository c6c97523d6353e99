"""The files of one Maildir folder in delivery order, read with the product's own key (see core.maildir_order)."""

from __future__ import annotations

from pathlib import Path

from anshin_lab.core.maildir_order import delivery_key


def in_delivery_order(folder: Path) -> list[Path]:
    """The files of ``folder`` (a Maildir's ``new`` or ``cur``), earliest delivery first."""
    return sorted(folder.iterdir(), key=lambda path: delivery_key(path.name))
