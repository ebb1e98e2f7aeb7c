"""Finding the document proper inside web-site chrome."""

from __future__ import annotations

import pytest
from conftest import DOC_IDS, read_corpus_text, read_gold
from hypothesis import given
from hypothesis import strategies as st

from sxtdbv_nlp.bounds import find_document, is_chrome_line
from sxtdbv_nlp.text import split_lines

CHROME_BEFORE = [
    "Bộ lọc tìm kiếm\n\nTải văn bản\n\nLưu trữ Góp ý\n\n  • Thuộc tính\n  • Nội dung\n\n",
    "Hệ thống pháp luật\nĐang tải nội dung, vui lòng chờ giây lát...\n\n",
    "Số hiệu 12/KH-UBND\nNgày ban hành 01/09/2020\nLoại văn bản Kế hoạch\nNgười ký Nguyễn Văn A\n\n",
    "© 2025 Cổng thông tin điện tử. Bản quyền thuộc về Sở Tư pháp.\n\n",
]
CHROME_AFTER = [
    "\n\nNội dung văn bản đang được cập nhật\n\nSố hiệu: 12/KH-UBND\nLoại văn bản: Kế hoạch\n"
    "Văn bản được dẫn chiếu - [3]\nVăn bản liên quan cùng nội dung - [3]\nHãy đăng nhập để xem\nLoading…\n",
    "\n2\nChủ quản: Công ty TNHH X. Giấy phép số: 123. Mã số thuế: 0318679464\n",
    "\n\nCopyright © 2024 Thư viện pháp luật\nĐăng nhập\nTin liên quan\n",
]


def _bounds(text: str) -> tuple[int, int]:
    b = find_document(text, split_lines(text))
    assert b is not None
    return b.start, b.end


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_document_bounds_match_gold(doc_id: str) -> None:
    gold = read_gold(doc_id)["document"]
    assert _bounds(read_corpus_text(doc_id)) == (gold["start"], gold["end"])


@pytest.mark.parametrize("doc_id", DOC_IDS)
@given(before=st.sampled_from(CHROME_BEFORE), after=st.sampled_from(CHROME_AFTER))
def test_bounds_ignore_chrome_added_around_a_plan(doc_id: str, before: str, after: str) -> None:
    gold = read_gold(doc_id)["document"]
    text = read_corpus_text(doc_id)
    proper = text[gold["start"]:gold["end"]]
    wrapped = before + proper + after
    assert _bounds(wrapped) == (len(before), len(before) + len(proper))


@pytest.mark.parametrize(
    ("line", "chrome"),
    [
        ("Văn bản được dẫn chiếu - [3]", True),
        ("Số hiệu: 3737/KH-UBND", True),
        ("Hãy đăng nhập hoặc đăng ký Tài khoản", True),
        ("Sở Công Thương chủ trì, phối hợp", False),
        ("Lĩnh vực tài nguyên và môi trường số là định hướng", True),  # alone it looks like chrome
        ("I. MỤC TIÊU", False),
    ],
)
def test_is_chrome_line(line: str, chrome: bool) -> None:
    assert is_chrome_line(line) is chrome


def test_a_lone_chrome_like_line_inside_a_plan_does_not_end_it() -> None:
    text = ("ỦY BAN NHÂN DÂN\nTỈNH A\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nKẾ HOẠCH\nI. MỤC TIÊU\n"
            "Một.\nHai.\nBa.\nBốn.\nNội dung\nLĩnh vực tài nguyên và môi trường số\nCâu cuối.\n")
    assert text[slice(*_bounds(text))].endswith("Câu cuối.")


def test_text_without_structure_has_no_bounds() -> None:
    text = "Hôm nay trời đẹp. Chúng tôi đi chơi công viên.\n"
    assert find_document(text, split_lines(text)) is None
