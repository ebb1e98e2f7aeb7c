"""MONEY recogniser (recognizers/money.py): prose amounts and budget-table cells."""

from __future__ import annotations

import pytest

from sxtdbv_nlp.recognizers import recognize
from sxtdbv_nlp.types import DocumentBounds, Entity, Table, TableCell, TableRow


def entities(text: str, tables: tuple[Table, ...] = (), label: str = "MONEY") -> list[Entity]:
    return [e for e in recognize(text, DocumentBounds(0, len(text)), tables=tables)
            if e.label == label]


@pytest.mark.parametrize(
    ("text", "span", "amount", "currency"),
    [
        ("Tổng kinh phí: 12.000 triệu đồng. Trong đó", "12.000 triệu đồng", 12_000_000_000, "VND"),
        ("năm 2022 là 3.802.800.000 đồng,", "3.802.800.000 đồng", 3_802_800_000, "VND"),
        ("khoảng 1,5 tỷ đồng từ ngân sách", "1,5 tỷ đồng", 1_500_000_000, "VND"),
        ("vốn 250 nghìn USD", "250 nghìn USD", 250_000, "USD"),
        ("thu hút 5 triệu USD", "5 triệu USD", 5_000_000, "USD"),
        ("hỗ trợ 500 triệu\nđồng mỗi năm", "500 triệu\nđồng", 500_000_000, "VND"),
        ("mức 200.000 VNĐ/người", "200.000 VNĐ", 200_000, "VND"),
        ("1.000,5 nghìn đồng", "1.000,5 nghìn đồng", 1_000_500, "VND"),
    ],
)
def test_money_text(text: str, span: str, amount: int, currency: str) -> None:
    found = entities(text)
    assert [(e.text, e.value.amount, e.value.currency) for e in found] == [(span, amount, currency)]
    assert isinstance(found[0].value.amount, int)


@pytest.mark.parametrize(
    "text",
    [
        "12.000 doanh nghiệp được hỗ trợ",  # a count, not money
        "tỷ lệ 70% doanh nghiệp",
        "giảm 5 tỷ lệ hao hụt",
        "Quyết định số 12.000/QĐ-UBND",
        "1. Kinh phí thực hiện",
        "Mục tiêu số 12",
        "đồng thời 3 đơn vị",
    ],
)
def test_money_negative(text: str) -> None:
    assert entities(text) == []


def _table(text: str, header: list[str], rows: list[tuple[str, list[str]]],
           units: tuple[str | None, ...] = (), caption: str | None = None) -> Table:
    """A Table over ``text`` whose cells are found by their text, in order."""
    pos = 0

    def cell(s: str) -> TableCell:
        nonlocal pos
        start = text.index(s, pos)
        pos = start + len(s)
        return TableCell(start, pos, s)

    head = TableRow(tuple(cell(h) for h in header), "header")
    body = [TableRow(tuple(cell(c) for c in cells), kind) for kind, cells in rows]
    return Table(0, len(text), tuple(header), (head, *body), units=units, caption=caption)


def test_money_table_cells_take_the_column_unit() -> None:
    text = "TT\nNội dung\nKinh phí (ĐVT: Triệu đồng)\n1\nTập huấn\n350\nTổng\n12.000\n"
    table = _table(text, ["TT", "Nội dung", "Kinh phí (ĐVT: Triệu đồng)"],
                   [("data", ["1", "Tập huấn", "350"]), ("total", ["Tổng", "12.000"])],
                   units=(None, None, "Triệu đồng"))
    assert [(e.text, e.value.amount) for e in entities(text, (table,))] == [
        ("350", 350_000_000), ("12.000", 12_000_000_000)]


def test_money_table_without_unit_is_dong() -> None:
    text = "STT|Nội dung|Thời gian|Kinh phí 2022|1.1|Tập huấn|2022|4.580.000.000|1.2|Hội thảo|Hằng năm|0"
    table = _table(text, ["STT", "Nội dung", "Thời gian", "Kinh phí 2022"],
                   [("data", ["1.1", "Tập huấn", "2022", "4.580.000.000"]),
                    ("data", ["1.2", "Hội thảo", "Hằng năm", "0"])])
    found = entities(text, (table,))
    assert [(e.text, e.value.amount, e.value.currency) for e in found] == [
        ("4.580.000.000", 4_580_000_000, "VND"), ("0", 0, "VND")]
    assert {e.source for e in found} == {"money.table"}


def test_money_table_usd_thousands_and_subrows() -> None:
    text = "TT|Hoạt động|Tổng (Nghìn USD)|Năm 2025|1|Khảo sát|25|10|- Tập huấn|12|6"
    table = _table(text, ["TT", "Hoạt động", "Tổng (Nghìn USD)", "Năm 2025"],
                   [("data", ["1", "Khảo sát", "25", "10"]), ("subrow", ["- Tập huấn", "12", "6"])],
                   units=(None, None, "Nghìn USD", None), caption="Dự toán (Nghìn USD)")
    found = entities(text, (table,))
    assert [(e.text, e.value.amount, e.value.currency) for e in found] == [
        ("25", 25_000, "USD"), ("10", 10_000, "USD"), ("12", 12_000, "USD"), ("6", 6_000, "USD")]


def test_money_table_ignores_row_numbers_and_other_columns() -> None:
    text = "TT|Nội dung|Chủ trì|1|Tổ chức 02 hội nghị|Sở Công Thương"
    table = _table(text, ["TT", "Nội dung", "Chủ trì"],
                   [("data", ["1", "Tổ chức 02 hội nghị", "Sở Công Thương"])])
    assert entities(text, (table,)) == []
