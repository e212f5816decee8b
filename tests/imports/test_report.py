"""ImportReport: every row ends in one outcome, and a report that does not add up is refused."""

import json

import pytest

from geofinder.imports.errors import ReportMismatch
from geofinder.imports.report import ImportReport


def test_a_finished_report_accounts_for_every_row():
    report = ImportReport("test", rows_read=5, created=2, updated=1, unchanged=1)
    report.reject("line 6", "bad row")
    assert report.finish() is report and report.accounted == 5


@pytest.mark.parametrize("rows_read", [4, 6])
def test_a_report_whose_rows_do_not_add_up_is_refused(rows_read):
    report = ImportReport("test", rows_read=rows_read, created=5)
    with pytest.raises(ReportMismatch, match=f"test: {rows_read} rows read but 5 accounted for"):
        report.finish()


def test_rows_merged_into_a_row_rejected_later_are_rejected_with_it():
    report = ImportReport("test", rows_read=4)
    report.merge("line 3", into="line 2")
    report.merge("line 4", into="line 2")
    assert report.merged == 2
    report.reject("line 2", "outside every commune")
    report.created = 1  # line 1
    assert report.merged == 0
    assert [item["row"] for item in report.rejected] == ["line 2", "line 3", "line 4"]
    assert report.rejected[1]["reason"] == "merged into line 2, which was rejected: outside every commune"
    report.finish()


def test_a_row_merged_into_a_rejected_row_is_rejected_at_once():
    report = ImportReport("test", rows_read=2)
    report.reject("node/1", "no position")
    report.merge("node/1 (again)", into="node/1")
    assert report.merged == 0 and report.rejected[1]["reason"] == "merged into node/1, which was rejected: no position"
    report.finish()


def test_skipped_elements_are_shown_but_are_not_rows():
    report = ImportReport("test", rows_read=1, created=1)
    report.skip("untagged nodes", 3)
    report.skip("untagged nodes")
    report.finish()
    assert report.as_dict()["skipped"] == {"untagged nodes": 4}
    assert "not rows, skipped — untagged nodes: 4" in report.summary()


def test_the_written_report_is_the_json_of_the_whole_report_one_entry_per_line(tmp_path):
    report = ImportReport("test", source_file="fichier « é ».csv", rows_read=3, created=1)
    report.reject("line 2", "nom illisible : « \u00a0 »")
    report.warn("line 3", 'a "quoted" message')
    report.reject("line 3", "closed")
    path = report.write(tmp_path, tmp_path / "report.json")
    text = path.read_text(encoding="utf-8")
    assert json.loads(text) == report.as_dict()
    assert "fichier « é ».csv" in text  # UTF-8, not \\u escapes
    lines = text.splitlines()
    assert lines.index('  {"row":"line 2","reason":"nom illisible : « \u00a0 »"},') + 1 == lines.index(
        '  {"row":"line 3","reason":"closed"}'
    )
