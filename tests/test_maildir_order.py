"""The inbox and the tests read a Maildir in delivery order, not in the string order of its file names."""

from __future__ import annotations

import mailbox

from anshin_lab.core.maildir_order import in_delivery_order


def test_microseconds_without_padding_sort_as_numbers():
    names = ["1796667948.M100000P12Q2.host", "1796667948.M99999P12Q1.host", "1796667947.M999999P12Q9.host"]
    assert sorted(names)[0] == "1796667947.M999999P12Q9.host" and sorted(names)[1].startswith("1796667948.M100000")
    assert in_delivery_order(names) == ["1796667947.M999999P12Q9.host", "1796667948.M99999P12Q1.host",
                                        "1796667948.M100000P12Q2.host"]


def test_the_writers_count_breaks_a_tie_within_one_microsecond():
    assert in_delivery_order(["5.M7P1Q10.h", "5.M7P1Q9.h"]) == ["5.M7P1Q9.h", "5.M7P1Q10.h"]


def test_names_from_another_writer_come_last_in_name_order():
    assert in_delivery_order(["b.eml", "5.M7P1Q9.h", "a.eml"]) == ["5.M7P1Q9.h", "a.eml", "b.eml"]


def test_a_real_maildir_reads_back_in_the_order_it_was_written(tmp_path):
    box = mailbox.Maildir(tmp_path / "box", create=True)
    written = [box.add(f"Subject: {n}\n\n{n}\n".encode()) for n in range(200)]
    assert in_delivery_order(box.keys()) == written
