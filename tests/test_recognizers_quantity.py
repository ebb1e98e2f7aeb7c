"""QUANTITY recogniser (recognizers/quantity.py): counts in targets and tasks."""

from __future__ import annotations

import pytest

from sxtdbv_nlp.recognizers import recognize
from sxtdbv_nlp.types import DocumentBounds


def quantities(text: str) -> list[tuple[str, float, float]]:
    return [(e.text, e.value.low, e.value.high)
            for e in recognize(text, DocumentBounds(0, len(text))) if e.label == "QUANTITY"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+ Xây dựng, áp dụng 01 đến 02 mô hình sản xuất", [("01 đến 02", 1, 2)]),
        ("- Tổ chức 3-5 hội nghị/năm; xây dựng 5-7 phóng sự", [("3-5", 3, 5), ("5-7", 5, 7)]),
        ("phát hành 1.000-2.000 cẩm nang/năm", [("1.000-2.000", 1000, 2000)]),
        ("Hình thành ít nhất 02 vùng nuôi", [("02", 2, 2)]),
        ("+ Tổ chức 02 -03 cuộc tuyên truyền", [("02 -03", 2, 3)]),
        ("+ Tổ chức 01- 02 cuộc tuyên truyền", [("01- 02", 1, 2)]),
        ("hỗ trợ khoảng 50 doanh nghiệp", [("50", 50, 50)]),
        ("(01 lớp/năm)", [("01", 1, 1)]),
        ("hội chợ (2 đợt/năm, 2 gian/đợt)", [("2", 2, 2), ("2", 2, 2)]),
        ("trong đó có 20\ndoanh nghiệp công nghệ cao", [("20", 20, 20)]),
        ("băng rộng cố định với tốc độ 01 Gb/s đạt 100%", [("01", 1, 1)]),
        ("trồng mới 1,5 ha rừng", [("1,5", 1.5, 1.5)]),
        ("Tổ chức 02 lần/năm", [("02", 2, 2)]),
    ],
)
def test_quantity_finds(text: str, expected: list[tuple[str, float, float]]) -> None:
    assert quantities(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "1. Mục tiêu chung",  # a section marker
        "2.1. Giai đoạn 2021 - 2025",
        "áp dụng ISO 50001 cho",  # a standard's name
        "Mục tiêu số 12 của Chương trình",
        "Điều 5 Luật Đầu tư",
        "Quyết định số 1613/2017/QĐ-UBND",  # years and numbers inside symbols
        "kinh phí 12.000 triệu đồng",  # money, not a count
        "70% doanh nghiệp",
        "thời gian 01 năm",  # a duration
        "thực hiện trong 08 tháng",
        "Tỷ lệ dân số từ 15 tuổi trở lên",  # an age
        "liên hệ 0237.3852.123 để",  # a phone number
        "hotline 02103847123 hỗ trợ",
        "tọa độ 19°48' vĩ Bắc",  # coordinates
        "phủ sóng 5G trên địa bàn",  # a technology name
        "mô hình 3D/VR360",
        "năm 2025 là năm",
        "TT\n\n1\n\nTuyên truyền nâng cao nhận thức",  # a row number alone on its line
        "phong trào “Gia đình 5 không, 3 sạch”",  # inside a quoted slogan
        "ngày 24 tháng 6",
        "Toàn tỉnh hiện có khoảng 180 trạm quan trắc",  # the current situation, not a target
        "Bước 2 triển khai",
    ],
)
def test_quantity_negative(text: str) -> None:
    assert quantities(text) == []


def test_counts_in_a_target_table_with_a_unit_column() -> None:
    from sxtdbv_nlp.tables import find_tables
    from sxtdbv_nlp.text import split_lines

    text = ("STT\nChỉ tiêu\nĐơn vị tính\nNăm 2025\nNăm 2026\n1\nLớp tập huấn\nLớp\n03\n04\n"
            "2\nĐiểm bán sản phẩm xanh\nĐiểm\n10-12\n15\n3\nTỷ lệ hộ phân loại rác\n%\n50\n70\n")
    tables = find_tables(text, split_lines(text), 0, len(text))
    found = [(e.text, e.value.low, e.value.high)
             for e in recognize(text, DocumentBounds(0, len(text)), tables=tables)
             if e.label == "QUANTITY"]
    # counts, with ranges; the "%" row holds percentages, not counts
    assert found == [("03", 3, 3), ("04", 4, 4), ("10-12", 10, 12), ("15", 15, 15)]
