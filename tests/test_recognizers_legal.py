"""LEGAL_REF recogniser (recognizers/legal.py): positive and negative rows."""

from __future__ import annotations

import pytest

from sxtdbv_nlp.recognizers import recognize
from sxtdbv_nlp.types import DocumentBounds, Entity


def entities(text: str, label: str = "LEGAL_REF") -> list[Entity]:
    return [e for e in recognize(text, DocumentBounds(0, len(text))) if e.label == label]


@pytest.mark.parametrize(
    ("text", "span", "doc_id", "doc_type"),
    [
        ("Thực hiện Quyết định số 889/QĐ-TTg ngày 24/6/2020", "Quyết định số 889/QĐ-TTg",
         "889/QĐ-TTg", "Quyết định"),
        ("theo Quyết định số 1613/2017/QĐ-UBND ngày 23/5/2017", "Quyết định số 1613/2017/QĐ-UBND",
         "1613/2017/QĐ-UBND", "Quyết định"),
        ("Căn cứ Nghị quyết số 48/NQ-CP", "Nghị quyết số 48/NQ-CP", "48/NQ-CP", "Nghị quyết"),
        ("tại văn bản số 2458/SCT-VP12 ngày 24/7/2020", "văn bản số 2458/SCT-VP12",
         "2458/SCT-VP12", "Công văn"),
        ("Nghị định số 24/2014/NĐ-CP", "Nghị định số 24/2014/NĐ-CP", "24/2014/NĐ-CP", "Nghị định"),
        ("Thông tư số 05/2019/TT-BCT", "Thông tư số 05/2019/TT-BCT", "05/2019/TT-BCT", "Thông tư"),
        ("Thông tư liên tịch số 01/2016/TTLT-BTNMT-BTC", "Thông tư liên tịch số 01/2016/TTLT-BTNMT-BTC",
         "01/2016/TTLT-BTNMT-BTC", "Thông tư liên tịch"),
        ("Căn cứ Nghị quyết số\n57-NQ/TW ngày 22/12/2024", "Nghị quyết số\n57-NQ/TW", "57-NQ/TW",
         "Nghị quyết"),
        ("Nghị quyết số 57- NQ/TW ngày", "Nghị quyết số 57- NQ/TW", "57-NQ/TW", "Nghị quyết"),
        ("Chương trình hành động số 10- CTr/TU ngày", "Chương trình hành động số 10- CTr/TU",
         "10-CTr/TU", "Chương trình"),
        ("Kế hoạch hành động số 86/KH-UBND", "Kế hoạch hành động số 86/KH-UBND", "86/KH-UBND",
         "Kế hoạch"),
        ("Tờ trình số 61/TTr-SCT", "Tờ trình số 61/TTr-SCT", "61/TTr-SCT", "Tờ trình"),
        ("Thông báo số 30-TB/TGV", "Thông báo số 30-TB/TGV", "30-TB/TGV", "Thông báo"),
        ("Kết luận số 81-KL/TW", "Kết luận số 81-KL/TW", "81-KL/TW", "Kết luận"),
        ("Chỉ thị số 09/CT-TTg", "Chỉ thị số 09/CT-TTg", "09/CT-TTg", "Chỉ thị"),
        ("Công văn số 1234/BCT-TKNL", "Công văn số 1234/BCT-TKNL", "1234/BCT-TKNL", "Công văn"),
        ("Luật số 72/2020/QH14", "Luật số 72/2020/QH14", "72/2020/QH14", "Luật"),
        ("Số: 3737/KH-UBND", "3737/KH-UBND", "3737/KH-UBND", "Kế hoạch"),
        ("Số:\n160/KH-UBND", "160/KH-UBND", "160/KH-UBND", "Kế hoạch"),
        ("TRIỂN KHAI QUYẾT ĐỊNH SỐ 889/QĐ-TTG NGÀY", "QUYẾT ĐỊNH SỐ 889/QĐ-TTG", "889/QĐ-TTG",
         "Quyết định"),
        ("như 889/QĐ-TTg đã nêu", "889/QĐ-TTg", "889/QĐ-TTg", "Quyết định"),
        ("Nghị định 08/2022/NĐ-CP quy định", "Nghị định 08/2022/NĐ-CP", "08/2022/NĐ-CP", "Nghị định"),
        ("theo đúng quy định của Luật ngân sách Nhà nước và", "Luật ngân sách Nhà nước",
         "Luật ngân sách Nhà nước", "Luật"),
        ("Căn cứ Luật Bảo vệ môi trường năm 2020;", "Luật Bảo vệ môi trường năm 2020",
         "Luật Bảo vệ môi trường", "Luật"),
        ("hoàn thiện Luật Thi đua khen thưởng trong đó", "Luật Thi đua khen thưởng",
         "Luật Thi đua khen thưởng", "Luật"),
        ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 16", "Luật Tổ chức chính quyền địa phương",
         "Luật Tổ chức chính quyền địa phương", "Luật"),
        ("theo Bộ luật Lao động năm 2019", "Bộ luật Lao động năm 2019", "Bộ luật Lao động", "Bộ luật"),
        ("theo Luật Chăn Nuôi Thú Cưng và các văn bản", "Luật Chăn Nuôi Thú Cưng",
         "Luật Chăn Nuôi Thú Cưng", "Luật"),
    ],
    ids=lambda v: v if len(v) < 30 else v[:30],
)
def test_legal_finds(text: str, span: str, doc_id: str, doc_type: str) -> None:
    found = entities(text)
    assert [(e.text, e.value.id, e.value.doc_type) for e in found] == [(span, doc_id, doc_type)]
    assert found[0].source.startswith("legal.")


def test_legal_list_shares_the_type_word() -> None:
    text = "các Quyết định: số 36/QĐ-TTg; số 1569/QĐ-TTg của Thủ tướng"
    assert [(e.text, e.value.doc_type) for e in entities(text)] == [
        ("số 36/QĐ-TTg", "Quyết định"), ("số 1569/QĐ-TTg", "Quyết định")]


@pytest.mark.parametrize(
    "text",
    [
        "1. Mục tiêu chung",
        "áp dụng ISO 50001 cho doanh nghiệp",
        "tốc độ 01 Gb/s",
        "tỷ lệ 3/4 hộ dân",
        "Chương trình hành động quốc gia về sản xuất và tiêu dùng bền vững",
        "theo quy định của pháp luật về bảo vệ môi trường",
        "Luật sư tư vấn miễn phí",
        "mô hình 3D/VR360",
        "điện thoại 0210.3847.123",
        "phát triển 5G/6G",
    ],
)
def test_legal_negative(text: str) -> None:
    assert entities(text) == []
