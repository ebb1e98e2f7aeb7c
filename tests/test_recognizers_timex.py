"""DATE, DEADLINE and PERIOD recognisers (recognizers/timex.py)."""

from __future__ import annotations

from typing import Any

import pytest

from sxtdbv_nlp.recognizers import recognize
from sxtdbv_nlp.types import DocumentBounds, Table, TableCell, TableRow

TIME_LABELS = ("DATE", "DEADLINE", "PERIOD")


def times(text: str, tables: tuple[Table, ...] = ()) -> list[tuple[str, str, dict[str, Any]]]:
    return [(e.text, e.label, e.value.to_dict())
            for e in recognize(text, DocumentBounds(0, len(text)), tables=tables)
            if e.label in TIME_LABELS]


def one(text: str) -> tuple[str, str, dict[str, Any]]:
    found = times(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "span", "iso"),
    [
        ("Quyết định số 889/QĐ-TTg ngày 24/6/2020 của", "ngày 24/6/2020", "2020-06-24"),
        ("Phú Thọ, ngày 23 tháng 8 năm 2021", "ngày 23 tháng 8 năm 2021", "2021-08-23"),
        ("*Bắc Ninh, ngày 24\ntháng 11 năm 2025*", "ngày 24\ntháng 11 năm 2025", "2025-11-24"),
        ("số 57-NQ/TW ngày\n22/12/2024 của", "ngày\n22/12/2024", "2024-12-22"),
        ("QĐ-TTG NGÀY 24/6/2020 CỦA", "NGÀY 24/6/2020", "2020-06-24"),
        ("ký ngày 05 tháng 6", "ngày 05 tháng 6", "XXXX-06-05"),
        ("ban hành 24/6/2020 và", "24/6/2020", "2020-06-24"),
        ("ngày 29/02/2024", "ngày 29/02/2024", "2024-02-29"),
    ],
)
def test_timex_dates(text: str, span: str, iso: str) -> None:
    assert one(text) == (span, "DATE", {"date": iso})


@pytest.mark.parametrize(
    ("text", "span", "date", "recurrence"),
    [
        ("báo cáo trước ngày 15 tháng 12 hằng năm.", "trước ngày 15 tháng 12 hằng năm",
         "XXXX-12-15", "P1Y"),
        ("định kỳ trước ngày 15 tháng 12 hằng năm", "trước ngày 15 tháng 12 hằng năm",
         "XXXX-12-15", "P1Y"),
        ("gửi trước ngày 30/11\nhằng năm.", "trước ngày 30/11\nhằng năm", "XXXX-11-30", "P1Y"),
        ("c) Trước ngày 31 tháng 12\nnăm 2025, xây dựng", "Trước ngày 31 tháng 12\nnăm 2025",
         "2025-12-31", None),
        ("định kỳ 6 tháng (trước ngày 15/6)", "trước ngày 15/6", "XXXX-06-15", None),
        ("hoàn thành chậm nhất ngày 30/6/2024", "chậm nhất ngày 30/6/2024", "2024-06-30", None),
        ("định hướng đến năm 2030 với", "đến năm 2030", "2030", None),
        ("b) Đến năm 2030\n\n+ Giảm", "Đến năm 2030", "2030", None),
        ("ĐỊNH HƯỚNG ĐẾN NĂM 2030", "ĐẾN NĂM 2030", "2030", None),
        ("Việt Nam đến 2030, tầm nhìn", "đến 2030", "2030", None),
        ("Mục tiêu cụ thể đến\nnăm 2030", "đến\nnăm 2030", "2030", None),
        ("Đến hết năm 2025, 90% doanh nghiệp", "Đến hết năm 2025", "2025", None),
        ("hoàn thành trước tháng 6/2025", "trước tháng 6/2025", "2025-06", None),
        ("hoàn thành trước Quý II/2026", "trước Quý II/2026", "2026-06", None),
        ("- Hằng năm tổ chức hội nghị", "Hằng năm", None, "P1Y"),
        ("Hàng năm tổ chức 5-10 lớp", "Hàng năm", None, "P1Y"),
        ("Phấn đấu mỗi năm phát triển", "mỗi năm", None, "P1Y"),
        ("báo cáo định kỳ sáu tháng, năm", "định kỳ sáu tháng", None, "P6M"),
        ("báo cáo định kỳ 6 tháng một lần", "định kỳ 6 tháng", None, "P6M"),
        ("- Định kỳ hàng năm tổng hợp", "Định kỳ hàng năm", None, "P1Y"),
        ("kiểm tra hằng quý", "hằng quý", None, "P3M"),
        ("báo cáo hằng ngày.", "hằng ngày", None, "P1D"),
        ("ra quân hàng tuần tại", "hàng tuần", None, "P1W"),
        ("|\nHằng\nnăm\n|", "Hằng\nnăm", None, "P1Y"),
        ("họp vào ngày 16 hằng tháng", "ngày 16 hằng tháng", "XXXX-XX-16", "P1M"),
        ("tổ chức vào tháng 11 hằng năm", "tháng 11 hằng năm", "XXXX-11", "P1Y"),
    ],
)
def test_timex_deadlines(text: str, span: str, date: str | None, recurrence: str | None) -> None:
    assert one(text) == (span, "DEADLINE", {"date": date, "recurrence": recurrence})


@pytest.mark.parametrize(
    ("text", "span", "start", "end"),
    [
        ("bền vững giai đoạn 2021-2025, định", "giai đoạn 2021-2025", "2021", "2025"),
        ("TỈNH BẮC NINH GIAI ĐOẠN\n2026 - 2030\n", "GIAI ĐOẠN\n2026 - 2030", "2026", "2030"),
        ("a) Trong giai đoạn năm 2021 - 2025", "giai đoạn năm 2021 - 2025", "2021", "2025"),
        ("trong giai đoạn 2026–2030, mà", "giai đoạn 2026–2030", "2026", "2030"),
        ("thành phố năm 2022 và", "năm 2022", "2022", "2022"),
        ("TỈNH HẬU GIANG TRONG NĂM 2024", "NĂM 2024", "2024", "2024"),
        ("bền vững năm 2022-2025", "năm 2022-2025", "2022", "2025"),
        ("Chiến lược, tầm nhìn 2035 theo", "tầm nhìn 2035", "2035", "2035"),
        ("từ năm 2024 đến năm 2025", "năm 2024 đến năm 2025", "2024", "2025"),
        ("thời kỳ 2021-2030, tầm", "thời kỳ 2021-2030", "2021", "2030"),
        ("hoàn thành trong Quý II/2026.", "Quý II/2026", "2026-04", "2026-06"),
        ("trong quý III năm 2026", "quý III năm 2026", "2026-07", "2026-09"),
        ("trong tháng 6/2024 và", "tháng 6/2024", "2024-06", "2024-06"),
        ("Do mưa lớn, từ ngày 17 đến ngày 20 tháng 11 năm 2025 tỉnh",
         "ngày 17 đến ngày 20 tháng 11 năm 2025", "2025-11-17", "2025-11-20"),
        ("thực hiện\n\n2021-2025\n\n- Đơn vị", "2021-2025", "2021", "2025"),
    ],
)
def test_timex_periods(text: str, span: str, start: str, end: str) -> None:
    assert one(text) == (span, "PERIOD", {"start": start, "end": end})


@pytest.mark.parametrize(
    "text",
    [
        "lập dự toán ngân sách hằng năm",  # a recurrence qualifying a noun
        "xây dựng kế hoạch hằng năm",
        "bố trí kinh phí hàng năm",
        "kinh phí chi thường xuyên hằng năm",
        "các vật dụng sinh hoạt hàng ngày",
        "thực hiện định kỳ theo quy định",  # bare "định kỳ"
        "Thường xuyên",
        "Theo kế hoạch",
        "Quyết định số 1613/2017/QĐ-UBND",  # a year inside a symbol
        "tỷ lệ 15/20 học sinh",  # a ratio, not a date
        "tăng từ 1500 đến 2000 doanh nghiệp",
        "01 năm",  # a duration
        "ngày 31/2/2024",  # no such day
        "Điều 5.8 của Luật",
    ],
)
def test_timex_negative(text: str) -> None:
    assert times(text) == []


def test_timex_recurrence_before_parenthesised_deadline() -> None:
    text = "định kỳ 6 tháng (trước ngày 15/6), hàng năm (trước ngày 15/12) hoặc đột xuất"
    assert times(text) == [
        ("trước ngày 15/6", "DEADLINE", {"date": "XXXX-06-15", "recurrence": None}),
        ("trước ngày 15/12", "DEADLINE", {"date": "XXXX-12-15", "recurrence": None}),
    ]


def test_timex_table_time_cells_and_headers() -> None:
    text = "STT|Nhiệm vụ|Thời gian|Kinh phí 2022|1|Tập huấn|2026|5|2|Hội thảo|2025 - 2035|6"
    cells = {}
    pos = 0
    for part in text.split("|"):
        start = text.index(part, pos)
        cells.setdefault(part, []).append(TableCell(start, start + len(part), part))
        pos = start + len(part)
    c = {k: v[0] for k, v in cells.items()}
    table = Table(0, len(text), ("STT", "Nhiệm vụ", "Thời gian", "Kinh phí 2022"), (
        TableRow((c["STT"], c["Nhiệm vụ"], c["Thời gian"], c["Kinh phí 2022"]), "header"),
        TableRow((c["1"], c["Tập huấn"], c["2026"], c["5"]), "data"),
        TableRow((c["2"], c["Hội thảo"], c["2025 - 2035"], c["6"]), "data"),
    ))
    found = times(text, (table,))
    assert ("2022", "PERIOD", {"start": "2022", "end": "2022"}) in found
    assert ("2026", "PERIOD", {"start": "2026", "end": "2026"}) in found
    assert ("2025 - 2035", "PERIOD", {"start": "2025", "end": "2035"}) in found
    assert len(found) == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a bullet on the next line is not the second half of a year range
        ("b) Định hướng đến năm 2030\n\n- 100% khu công nghiệp", [("DEADLINE", "đến năm 2030")]),
        ("từ 2021 đến 2025\n- Giảm", [("DEADLINE", "đến 2025")]),
        # "năm" after a count is a duration: "kế hoạch 5 năm 2026 - 2030"
        ("kế hoạch phát triển 5 năm 2026 - 2030 của tỉnh", [("PERIOD", "2026 - 2030")]),
        # a recurrence word that qualifies "kế hoạch thực hiện" is no deadline
        ("xây dựng kế hoạch thực hiện hằng năm.", []),
    ],
)
def test_timex_regressions_from_the_blind_heldout_set(text: str, expected: list) -> None:
    found = [(e.label, e.text) for e in recognize(text, DocumentBounds(0, len(text)))
             if e.label in ("DEADLINE", "PERIOD")]
    assert found == expected
