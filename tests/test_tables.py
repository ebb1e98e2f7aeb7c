"""Appendix tables rebuilt from each flattened form: cell per line, pipe lines, markdown."""

from __future__ import annotations

import pytest
from conftest import read_corpus_text

from sxtdbv_nlp import analyze
from sxtdbv_nlp.tables import find_tables
from sxtdbv_nlp.text import split_lines


def _tables(text: str):
    return find_tables(text, split_lines(text), 0, len(text))


CELL_PER_LINE = """PHỤ LỤC

TT

Tên nhiệm vụ

Thời gian

Kinh phí (ĐVT: Triệu đồng)

I

Tuyên truyền

1

Xây dựng tài liệu

2021-2025

350

2

Tổ chức hội nghị

2022

2

Tổng

352
"""

PIPE = """PHỤ LỤC
STT
|
Nội
dung thực hiện
|
Tổng kinh phí
|
I
|
Sở Công
Thương
|
4.580.000.000
|
1.1
|
Tổ chức các lớp tập huấn
|
320.000.000
|
"""

MARKDOWN_GAPS = """|
**TT**
|
**Chỉ tiêu**
|
**Chủ trì**
|
|
|
**I. Kinh
tế số**
|
|
|
1
|
Kinh tế số chiếm 45% GRDP tỉnh.
|
Sở Tài chính
|
|
2
|
Đến năm 2030 có 20 tập dữ liệu mở.
|
Sở Khoa học và Công nghệ
|
"""

MARKDOWN = """| TT | Nhiệm vụ | Kinh phí (triệu đồng) |
|---|---|---|
| 1 | Tuyên truyền | 350 |
| 2 | Tập huấn | 500 |
| | Tổng cộng | 850 |
"""


def _rows(table) -> list[tuple[str, list[str]]]:
    return [(r.kind, [c.text for c in r.cells]) for r in table.rows]


def test_cell_per_line_table_uses_numbering_not_cell_values_to_cut_rows() -> None:
    (table,) = _tables(CELL_PER_LINE)
    assert table.layout == "cell_per_line"
    assert table.columns == ("TT", "Tên nhiệm vụ", "Thời gian", "Kinh phí (ĐVT: Triệu đồng)")
    assert table.units[-1] == "Triệu đồng"
    # the cell "2" under Kinh phí is a value, not row 2: numbering expects 2 only after 1's cells
    assert _rows(table)[1:] == [
        ("group", ["I", "Tuyên truyền"]),
        ("data", ["1", "Xây dựng tài liệu", "2021-2025", "350"]),
        ("data", ["2", "Tổ chức hội nghị", "2022", "2"]),
        ("total", ["Tổng", "352"]),
    ]


def test_pipe_table_with_wrapped_cells() -> None:
    (table,) = _tables(PIPE)
    assert table.layout == "pipe"
    assert table.columns == ("STT", "Nội dung thực hiện", "Tổng kinh phí")
    assert _rows(table)[1:] == [
        ("group", ["I", "Sở Công\nThương", "4.580.000.000"]),
        ("data", ["1.1", "Tổ chức các lớp tập huấn", "320.000.000"]),
    ]


def test_markdown_page_table_with_row_gaps_and_a_merged_group_row() -> None:
    (table,) = _tables(MARKDOWN_GAPS)
    assert table.columns == ("TT", "Chỉ tiêu", "Chủ trì")
    assert _rows(table)[1:] == [
        ("group", ["I. Kinh\ntế số"]),
        ("data", ["1", "Kinh tế số chiếm 45% GRDP tỉnh.", "Sở Tài chính"]),
        ("data", ["2", "Đến năm 2030 có 20 tập dữ liệu mở.", "Sở Khoa học và Công nghệ"]),
    ]


def test_one_line_markdown_table() -> None:
    (table,) = _tables(MARKDOWN)
    assert table.layout == "markdown"
    assert table.units == (None, None, "triệu đồng")
    assert _rows(table)[1:] == [
        ("data", ["1", "Tuyên truyền", "350"]),
        ("data", ["2", "Tập huấn", "500"]),
        ("total", ["Tổng cộng", "850"]),
    ]


def test_cell_offsets_index_the_text() -> None:
    for text in (CELL_PER_LINE, PIPE, MARKDOWN_GAPS, MARKDOWN):
        for table in _tables(text):
            for row in table.rows:
                for cell in row.cells:
                    assert text[cell.start:cell.end] == cell.text


@pytest.mark.parametrize(
    ("doc_id", "columns", "data_rows"),
    [
        ("phu-tho_3737-KH-UBND_2021", 6, 17),
        ("can-tho_160-KH-UBND_2022", 9, 18),  # 3.1, 3.1.1, 3.2, 3.3 have sub-rows: group rows
        ("dong-thap_552-KH-UBND_2025", 5, 19),
        ("bac-ninh_144-KH-UBND_2025", 3, 19),
        ("viet-nam_394-NQ-CP_2025", 5, 3),
    ],
)
def test_corpus_appendix_tables(doc_id: str, columns: int, data_rows: int) -> None:
    (table,) = analyze(read_corpus_text(doc_id), doc_id).tables
    assert len(table.columns) == columns
    assert len(table.data_rows) == data_rows
    assert all(len(r.cells) <= columns for r in table.data_rows)


def test_table_as_dataframe() -> None:
    (table,) = _tables(CELL_PER_LINE)
    frame = table.to_frame()
    assert list(frame.columns) == ["kind", *table.columns]
    assert frame.loc[1, "Tên nhiệm vụ"] == "Xây dựng tài liệu"


def test_cell_per_line_cells_hard_wrapped_onto_the_next_line_stay_one_cell() -> None:
    text = ("TT\nNội dung\nĐơn vị chủ trì\nKinh phí\n"
            "1\nTuyên truyền, phổ biến chính sách, pháp luật về sản xuất và tiêu dùng bền\nvững\n"
            "Sở Công Thương\n300\n"
            "2\nDiện tích rau an toàn\nha\n120\n")
    (table,) = _tables(text)
    assert _rows(table)[1:] == [
        ("data", ["1", "Tuyên truyền, phổ biến chính sách, pháp luật về sản xuất và tiêu dùng bền\nvững",
                  "Sở Công Thương", "300"]),
        ("data", ["2", "Diện tích rau an toàn", "ha", "120"]),  # a short cell keeps "ha" apart
    ]
