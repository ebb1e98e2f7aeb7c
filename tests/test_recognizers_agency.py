"""AGENCY recogniser (recognizers/agency.py) and canonical names (recognizers/canonical.py)."""

from __future__ import annotations

import pytest

from sxtdbv_nlp.recognizers import recognize
from sxtdbv_nlp.recognizers.canonical import (
    bodies,
    expand_abbreviations,
    key,
    lookup,
    surface_forms,
)
from sxtdbv_nlp.types import DocumentBounds, Header

PHU_THO = Header(issuer="Ủy ban nhân dân tỉnh Phú Thọ")
CAN_THO = Header(issuer="Ủy ban nhân dân thành phố Cần Thơ")
GOVERNMENT = Header(issuer="Chính phủ")


def agencies(text: str, header: Header | None = PHU_THO) -> list[tuple[str, str | None, bool]]:
    return [(e.text, e.value.canonical, e.value.group)
            for e in recognize(text, DocumentBounds(0, len(text)), header=header)
            if e.label == "AGENCY"]


@pytest.mark.parametrize(
    ("text", "span", "canonical"),
    [
        ("Theo đề nghị của Sở Công Thương tại", "Sở Công Thương", "Sở Công Thương tỉnh Phú Thọ"),
        ("phối hợp với Sở Công thương và", "Sở Công thương", "Sở Công Thương tỉnh Phú Thọ"),
        ("2. Sở Kế hoạch& Đầu tư, Sở Tài chính:", "Sở Kế hoạch& Đầu tư",
         "Sở Kế hoạch và Đầu tư tỉnh Phú Thọ"),
        ("- Đơn vị thực hiện: Sở Kế hoạch và Đầu\ntư.", "Sở Kế hoạch và Đầu\ntư",
         "Sở Kế hoạch và Đầu tư tỉnh Phú Thọ"),
        ("phối hợp với Sở KH&ĐT và", "Sở KH&ĐT", "Sở Kế hoạch và Đầu tư tỉnh Phú Thọ"),
        ("3. Sở Tài nguyên & Môi trường;", "Sở Tài nguyên & Môi trường",
         "Sở Tài nguyên và Môi trường tỉnh Phú Thọ"),
        ("với Sở TN&MT tỉnh", "Sở TN&MT tỉnh", "Sở Tài nguyên và Môi trường tỉnh Phú Thọ"),
        ("Sở Văn hoá Thể thao du lịch chủ trì", "Sở Văn hoá Thể thao du lịch",
         "Sở Văn hóa, Thể thao và Du lịch tỉnh Phú Thọ"),
        ("**3. Sở\nNông nghiệp và Môi trường**", "Sở\nNông nghiệp và Môi trường",
         "Sở Nông nghiệp và Môi trường tỉnh Phú Thọ"),
        ("Sở Lao động - Thương binh và Xã hội", "Sở Lao động - Thương binh và Xã hội",
         "Sở Lao động - Thương binh và Xã hội tỉnh Phú Thọ"),
        ("Sở Công Thương tỉnh Phú Thọ chủ trì", "Sở Công Thương tỉnh Phú Thọ",
         "Sở Công Thương tỉnh Phú Thọ"),
        ("ban hành, UBND tỉnh Phú Thọ ban hành", "UBND tỉnh Phú Thọ", "Ủy ban nhân dân tỉnh Phú Thọ"),
        ("trình UBND tỉnh xem xét", "UBND tỉnh", "Ủy ban nhân dân tỉnh Phú Thọ"),
        ("của Ủy ban nhân dân Tỉnh về", "Ủy ban nhân dân Tỉnh", "Ủy ban nhân dân tỉnh Phú Thọ"),
        ("của UBND tỉnh Hậu Giang về", "UBND tỉnh Hậu Giang", "Ủy ban nhân dân tỉnh Hậu Giang"),
        ("ỦY BAN NHÂN DÂN\nTỈNH PHÚ THỌ\n-------", "ỦY BAN NHÂN DÂN\nTỈNH PHÚ THỌ",
         "Ủy ban nhân dân tỉnh Phú Thọ"),
        ("|\n**ỦY BAN NHÂN\nDÂN**\n**TỈNH ĐỒNG THÁP**\n---", "ỦY BAN NHÂN\nDÂN**\n**TỈNH ĐỒNG THÁP",
         "Ủy ban nhân dân tỉnh Đồng Tháp"),
        ("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH", "ỦY BAN NHÂN DÂN", "Ủy ban nhân dân tỉnh Phú Thọ"),
        ("Chủ tịch UBND tỉnh chỉ đạo", "UBND tỉnh", "Ủy ban nhân dân tỉnh Phú Thọ"),
        ("của Bộ trưởng Bộ Công Thương về", "Bộ Công Thương", "Bộ Công Thương"),
        ("của Thủ tướng Chính phủ phê duyệt", "Thủ tướng Chính phủ", "Thủ tướng Chính phủ"),
        ("- Bộ KH&CN (b/c);", "Bộ KH&CN", "Bộ Khoa học và Công nghệ"),
        ("- VPCP, Bộ Y tế;", "VPCP", "Văn phòng Chính phủ"),
        ("- TT.TU, TT.HĐND tỉnh (b/c);", "TT.TU", "Thường trực Tỉnh ủy Phú Thọ"),
        ("- TTTU, HĐND tỉnh;", "TTTU", "Thường trực Tỉnh ủy Phú Thọ"),
        ("- Thường trực HĐND Tỉnh;", "Thường trực HĐND Tỉnh",
         "Thường trực Hội đồng nhân dân tỉnh Phú Thọ"),
        ("- UBMTTQ Việt Nam tỉnh;", "UBMTTQ Việt Nam tỉnh",
         "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Phú Thọ"),
        ("- UBMTTQVN tỉnh và", "UBMTTQVN tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Phú Thọ"),
        ("**16. Mặt trận\nTổ quốc tỉnh** và", "Mặt trận\nTổ quốc tỉnh",
         "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Phú Thọ"),
        ("- CA tỉnh, BCHQS tỉnh;", "CA tỉnh", "Công an tỉnh Phú Thọ"),
        ("**10. Công\nan tỉnh**", "Công\nan tỉnh", "Công an tỉnh Phú Thọ"),
        ("- Cổng TTĐT tỉnh;", "Cổng TTĐT tỉnh", "Cổng Thông tin điện tử tỉnh Phú Thọ"),
        ("- VP UBND tỉnh:", "VP UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh Phú Thọ"),
        ("thuộc VPUBND tỉnh;", "VPUBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh Phú Thọ"),
        ("Ban quản lý các khu CN tỉnh, các", "Ban quản lý các khu CN tỉnh",
         "Ban Quản lý các khu công nghiệp tỉnh Phú Thọ"),
        ("BQL các KCN tỉnh chủ trì", "BQL các KCN tỉnh", "Ban Quản lý các khu công nghiệp tỉnh Phú Thọ"),
        ("trên đài phát thanh và truyền hình tỉnh phú Thọ;", "đài phát thanh và truyền hình tỉnh phú Thọ",
         "Đài Phát thanh và Truyền hình tỉnh Phú Thọ"),
        ("tuyên truyền trên Báo Phú Thọ, Cổng", "Báo Phú Thọ", "Báo Phú Thọ"),
        ("**14. Tỉnh\nđoàn**", "Tỉnh\nđoàn", "Tỉnh đoàn Phú Thọ"),
        ("- Mặt trận Tổ quốc, Đoàn\nThanh niên, Hội Phụ nữ hỗ trợ", "Hội Phụ nữ",
         "Hội Liên hiệp Phụ nữ tỉnh Phú Thọ"),
        ("Ngân hàng Nhà nước Chi nhánh Quảng Ninh", "Ngân hàng Nhà nước Chi nhánh Quảng Ninh",
         "Ngân hàng Nhà nước Chi nhánh tỉnh Quảng Ninh"),
        ("**17. Chi cục\nHải quan khu vực V**", "Chi cục\nHải quan khu vực V", "Chi cục Hải quan khu vực V"),
        ("- Trung tâm Kiểm soát bệnh\ntật tỉnh chủ trì", "Trung tâm Kiểm soát bệnh\ntật tỉnh",
         "Trung tâm Kiểm soát bệnh tật tỉnh Phú Thọ"),
        ("Chỉ đạo Trung tâm Khuyến công & Tư vấn phát triển Công Thương: Là",
         "Trung tâm Khuyến công & Tư vấn phát triển Công Thương",
         "Trung tâm Khuyến công và Tư vấn phát triển Công Thương tỉnh Phú Thọ"),
        ("phối hợp với Vụ Tiết kiệm năng lượng và Phát triển bền vững - Bộ Công Thương",
         "Vụ Tiết kiệm năng lượng và Phát triển bền vững",
         "Vụ Tiết kiệm năng lượng và Phát triển bền vững"),
        ("- Viện VSDT Tây Nguyên;", "Viện VSDT Tây Nguyên", "Viện Vệ sinh dịch tễ Tây Nguyên"),
        ("với Tổ chức phát triển công nghiệp Liên Hiệp Quốc (UNIDO) tiếp tục",
         "Tổ chức phát triển công nghiệp Liên Hiệp Quốc", "Tổ chức Phát triển Công nghiệp Liên Hợp Quốc"),
        ("Huy động lực lượng xung kích, đoàn thanh niên tham gia", "đoàn thanh niên", "Tỉnh đoàn Phú Thọ"),
    ],
    ids=lambda v: v[:40] if isinstance(v, str) else v,
)
def test_agency_names(text: str, span: str, canonical: str) -> None:
    found = agencies(text)
    assert (span, canonical, False) in found, found


@pytest.mark.parametrize(
    ("text", "header", "span", "canonical"),
    [
        ("phối hợp các sở, ban, ngành; UBND", PHU_THO, "sở, ban, ngành", "Các sở, ban, ngành tỉnh Phú Thọ"),
        ("với các sở, ban ngành; Ủy ban", CAN_THO, "sở, ban ngành", "Các sở, ban, ngành thành phố Cần Thơ"),
        ("- Sở, ban ngành TP;", CAN_THO, "Sở, ban ngành TP", "Các sở, ban, ngành thành phố Cần Thơ"),
        ("phối hợp các Sở, ngành, cơ quan", PHU_THO, "Sở, ngành", "Các sở, ban, ngành tỉnh Phú Thọ"),
        ("- Các Sở, ban ngành, đoàn thể;", PHU_THO, "Sở, ban ngành, đoàn thể",
         "Các sở, ban, ngành tỉnh Phú Thọ"),
        ("Phối hợp với các ngành\nliên quan", PHU_THO, "ngành", "Các sở, ban, ngành tỉnh Phú Thọ"),
        ("; UBND các huyện, thành, thị và", PHU_THO, "UBND các huyện, thành, thị",
         "Ủy ban nhân dân cấp huyện tỉnh Phú Thọ"),
        ("UBND các huyện, thị xã, thành phố và", PHU_THO, "UBND các huyện, thị xã, thành phố",
         "Ủy ban nhân dân cấp huyện tỉnh Phú Thọ"),
        ("; Ủy ban nhân dân quận, huyện.", CAN_THO, "Ủy ban nhân dân quận, huyện",
         "Ủy ban nhân dân cấp huyện thành phố Cần Thơ"),
        ("- UBND các xã, phường;", PHU_THO, "UBND các xã, phường", "Ủy ban nhân dân cấp xã tỉnh Phú Thọ"),
        ("- UBND các xã/phường;", PHU_THO, "UBND các xã/phường", "Ủy ban nhân dân cấp xã tỉnh Phú Thọ"),
        ("dữ liệu. UBND cấp xã chú trọng", PHU_THO, "UBND cấp xã", "Ủy ban nhân dân cấp xã tỉnh Phú Thọ"),
        ("trụ sở UBND xã, khu", PHU_THO, "UBND xã", "Ủy ban nhân dân cấp xã tỉnh Phú Thọ"),
        ("Ủy ban nhân dân các tỉnh,\nthành phố trực thuộc trung ương xác định", GOVERNMENT,
         "Ủy ban nhân dân các tỉnh,\nthành phố trực thuộc trung ương", "Ủy ban nhân dân cấp tỉnh"),
        ("yêu cầu các bộ, ngành trung ương, Ủy ban", GOVERNMENT, "bộ, ngành trung ương",
         "Các bộ, ngành trung ương"),
        ("- Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ;", GOVERNMENT,
         "bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ", "Các bộ, ngành trung ương"),
    ],
    ids=lambda v: v[:40] if isinstance(v, str) else "h",
)
def test_agency_groups(text: str, header: Header, span: str, canonical: str) -> None:
    assert (span, canonical, True) in agencies(text, header)


@pytest.mark.parametrize(
    ("text", "header", "span"),
    [
        ("và các tổ chức chính trị - xã hội phối hợp", PHU_THO, "tổ chức chính trị - xã hội"),
        ("- Các tổ chức chính trị - xã hội tỉnh;", PHU_THO, "tổ chức chính trị - xã hội tỉnh"),
        ("thông qua các tổ chức đoàn thể...", PHU_THO, "tổ chức đoàn thể"),
        ("- Kích hoạt Ban Chỉ huy\nPhòng chống thiên tai và tìm kiếm cứu nạn các cấp.", PHU_THO,
         "Ban Chỉ huy\nPhòng chống thiên tai và tìm kiếm cứu nạn các cấp"),
        ("- Chỉ đạo Mặt trận Tổ quốc\nViệt Nam tại địa phương xây dựng", GOVERNMENT,
         "Mặt trận Tổ quốc\nViệt Nam tại địa phương"),
        ("2. Đề nghị Hội đồng nhân\ndân, Mặt trận", GOVERNMENT, "Hội đồng nhân\ndân"),
        ("- Thủ tướng, các Phó Thủ tướng Chính phủ;", GOVERNMENT, "Phó Thủ tướng Chính phủ"),
        ("và các Trung tâm\nY tế, Trạm y tế.", PHU_THO, "Trung tâm\nY tế"),
    ],
    ids=lambda v: v[:40] if isinstance(v, str) else "h",
)
def test_agency_groups_without_canonical(text: str, header: Header, span: str) -> None:
    assert (span, None, True) in agencies(text, header)


@pytest.mark.parametrize(
    ("text", "span", "canonical"),
    [
        ("như Đoàn Thanh niên, Hội Phụ nữ", "Hội Phụ nữ", "Hội Liên hiệp Phụ nữ Việt Nam"),
        ("Hội Nông\ndân, Liên đoàn Lao động đóng", "Liên đoàn Lao động",
         "Tổng Liên đoàn Lao động Việt Nam"),
        ("- Chỉ đạo Hội Nông dân Việt\nNam đẩy mạnh", "Hội Nông dân Việt\nNam", "Hội Nông dân Việt Nam"),
        ("- Ngân hàng Nhà nước Việt\nNam rà soát", "Ngân hàng Nhà nước Việt\nNam",
         "Ngân hàng Nhà nước Việt Nam"),
        ("TGĐ Cổng TTĐT, các Vụ", "Cổng TTĐT", "Cổng Thông tin điện tử Chính phủ"),
        ("**TM. CHÍNH PHỦ**", "CHÍNH PHỦ", "Chính phủ"),
    ],
)
def test_agency_national_plan(text: str, span: str, canonical: str) -> None:
    assert (span, canonical, False) in agencies(text, GOVERNMENT)


@pytest.mark.parametrize(
    "text",
    [
        "các doanh nghiệp, người tiêu dùng, cơ quan, đơn vị liên quan",
        "cơ quan có thẩm quyền và các tổ chức quốc tế",
        "xuất khẩu sang EU và ASEAN",
        "trên địa bàn tỉnh Phú Thọ",  # a place is not an agency
        "- Lưu: VT, KT4.",
        "xây dựng chính phủ số và chính quyền điện tử",
        "các siêu thị, trung tâm thương mại",
        "các cơ sở y tế trên địa bàn",  # "cơ sở", not a department
        "từng hội nông dân",
        "Viện nghiên cứu liên quan",
        "Trung tâm thương mại",
        "ngành Giáo dục, Y tế",
        "lực lượng công an",
        "07-KH/TU ngày 25/7/2025",
        "Phòng, chống thiên tai",
        "THỦ TƯỚNG\nPhạm Minh Chính",
    ],
)
def test_agency_negative(text: str) -> None:
    assert agencies(text) == []


def test_agency_gloss_is_not_a_second_mention() -> None:
    found = agencies("phối hợp với Tổ chức Phát triển Công nghiệp Liên Hợp Quốc (UNIDO) hỗ trợ")
    assert [f[0] for f in found] == ["Tổ chức Phát triển Công nghiệp Liên Hợp Quốc"]


def test_agency_without_header_keeps_the_body_name() -> None:
    assert agencies("Sở Tài chính thẩm định", header=None) == [("Sở Tài chính", "Sở Tài chính", False)]


# ---------------------------------------------------------------- canonical building blocks
@pytest.mark.parametrize(
    ("written", "expanded"),
    [
        ("UBND tỉnh", "Ủy ban nhân dân tỉnh"),
        ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư"),
        ("BQL các KCN", "Ban Quản lý các khu công nghiệp"),
        ("UBNDX", "UBNDX"),  # token boundaries, never substrings
        ("ubnd tỉnh", "ubnd tỉnh"),  # abbreviations are case-sensitive
    ],
)
def test_canonical_expand_abbreviations(written: str, expanded: str) -> None:
    assert expand_abbreviations(written) == expanded


def test_canonical_every_surface_form_resolves_to_its_body() -> None:
    for body in bodies():
        for form in surface_forms(body):
            assert lookup(form) is not None, form
            assert key(form)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Uỷ ban nhân dân", "Ủy ban nhân dân"), ("Sở Văn hoá", "Sở Văn hóa"), ("Sở Kế hoạch& Đầu tư",
                                                                         "sở kế hoạch và đầu tư")],
)
def test_canonical_key_is_stable_under_spelling(a: str, b: str) -> None:
    assert key(a) == key(b)


@pytest.mark.parametrize(
    ("text", "span", "canonical"),
    [
        ("- TT Thành ủy, TT HĐND thành phố;", "TT Thành ủy", "Thường trực Thành ủy Đà Nẵng"),
        ("trên Đài Phát thanh - Truyền hình Đà\nNẵng và", "Đài Phát thanh - Truyền hình Đà\nNẵng",
         "Đài Phát thanh và Truyền hình Đà Nẵng"),
        # canonical names use new-style tone placement, the span keeps the old one
        ("phối hợp với UBND huyện Hoằng Hoá.", "UBND huyện Hoằng Hoá", "Ủy ban nhân dân huyện Hoằng Hóa"),
    ],
)
def test_agency_variants_from_the_blind_heldout_set(text: str, span: str, canonical: str) -> None:
    header = Header(issuer="Ủy ban nhân dân thành phố Đà Nẵng")
    found = [(e.text, e.value.canonical) for e in recognize(text, DocumentBounds(0, len(text)), header=header)
             if e.label == "AGENCY"]
    assert (span, canonical) in found


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        # a spaced dash joins the parts of one name ...
        ("Vụ Kế hoạch - Tài chính tổng hợp", ["Vụ Kế hoạch - Tài chính"]),
        ("a) Trung tâm Văn hoá - Thông tin và Thể thao huyện chủ trì",
         ["Trung tâm Văn hoá - Thông tin và Thể thao huyện"]),
        # ... but not a unit and the body it belongs to (guide §2: two spans)
        ("Vụ Pháp chế - Bộ Công Thương", ["Vụ Pháp chế", "Bộ Công Thương"]),
        # district offices are found by name, the verb after them is not part of it
        ("a) Phòng Kinh tế vận động các siêu thị", ["Phòng Kinh tế"]),
        ("Phòng Tài chính - Kế hoạch tổng hợp", ["Phòng Tài chính - Kế hoạch"]),
    ],
)
def test_agency_names_with_dashes_and_district_offices(text: str, spans: list[str]) -> None:
    header = Header(issuer="Ủy ban nhân dân huyện Đông Anh")
    found = [e.text for e in recognize(text, DocumentBounds(0, len(text)), header=header)
             if e.label == "AGENCY"]
    assert found == spans


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("a) Vụ Thị trường trong nước chủ trì", ["Vụ Thị trường trong nước"]),
        ("phối hợp với Viện Nghiên cứu Chiến lược, Chính sách Công Thương thực hiện",
         ["Viện Nghiên cứu Chiến lược, Chính sách Công Thương"]),
        # a comma before another body, or before running text, ends the name
        ("Vụ Pháp chế, Cục Xúc tiến thương mại", ["Vụ Pháp chế", "Cục Xúc tiến thương mại"]),
        ("giao Trung tâm Khuyến công, Thông báo kết quả cho các", ["Trung tâm Khuyến công"]),
    ],
)
def test_unit_names_going_on_after_a_comma_or_a_stop_word(text: str, spans: list[str]) -> None:
    header = Header(issuer="Bộ Công Thương")
    found = [e.text for e in recognize(text, DocumentBounds(0, len(text)), header=header)
             if e.label == "AGENCY"]
    assert found == spans
