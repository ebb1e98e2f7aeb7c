"""Agency resolution (sxtdbv_nlp/resolve.py): tiers, canonical names, ids, levels, parents,
2025 successors, abstention, the gazetteer's integrity, and the pipeline's use of it."""

from __future__ import annotations

import dataclasses
import doctest
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sxtdbv_nlp.resolve as resolve_module
from sxtdbv_nlp import analyze
from sxtdbv_nlp.data import load_records
from sxtdbv_nlp.frames import agency_index
from sxtdbv_nlp.recognizers import recognize
from sxtdbv_nlp.resolve import (
    FUZZY_CUTOFF,
    AgencyMatch,
    Level,
    MatchMethod,
    Resolver,
    default_resolver,
    normalize_name,
    resolve,
    slug,
)
from sxtdbv_nlp.types import DocumentBounds, Header

PHU_THO = "tỉnh Phú Thọ"
CAN_THO = "thành phố Cần Thơ"


def canonical(mention: str, jurisdiction: str | None = PHU_THO) -> str | None:
    match = resolve(mention, jurisdiction=jurisdiction)
    return match.canonical if match else None


# ---------------------------------------------------------------- variants per body type
@pytest.mark.parametrize(
    ("mention", "jurisdiction", "expected", "method"),
    [
        # central: the Government, the Prime Minister, ministries before and after 1 March 2025
        ("Chính phủ", None, "Chính phủ", "exact"),
        ("CHÍNH PHỦ", None, "Chính phủ", "exact"),
        ("Thủ tướng Chính phủ", None, "Thủ tướng Chính phủ", "exact"),
        ("Thủ tướng", None, "Thủ tướng Chính phủ", "alias"),
        ("VPCP", None, "Văn phòng Chính phủ", "alias"),
        ("Bộ Công Thương", PHU_THO, "Bộ Công Thương", "exact"),
        ("Bộ Công thương", None, "Bộ Công Thương", "exact"),
        ("BỘ CÔNG THƯƠNG", None, "Bộ Công Thương", "exact"),
        ("Bộ Kế hoạch và Đầu tư", None, "Bộ Kế hoạch và Đầu tư", "exact"),
        ("Bộ KH&ĐT", None, "Bộ Kế hoạch và Đầu tư", "alias"),
        ("Bộ Tài nguyên & Môi trường", None, "Bộ Tài nguyên và Môi trường", "exact"),
        ("Bộ TN&MT", None, "Bộ Tài nguyên và Môi trường", "alias"),
        ("Bộ NN&PTNT", None, "Bộ Nông nghiệp và Phát triển nông thôn", "alias"),
        ("Bộ Nông nghiệp và Môi trường", None, "Bộ Nông nghiệp và Môi trường", "exact"),
        ("Bộ GTVT", None, "Bộ Giao thông vận tải", "alias"),
        ("Bộ TT&TT", None, "Bộ Thông tin và Truyền thông", "alias"),
        ("Bộ LĐTB&XH", None, "Bộ Lao động - Thương binh và Xã hội", "alias"),
        ("Bộ Lao động Thương binh và Xã hội", None, "Bộ Lao động - Thương binh và Xã hội", "exact"),
        ("Bộ VH,TT&DL", None, "Bộ Văn hóa, Thể thao và Du lịch", "alias"),
        ("Bộ Văn hoá Thể thao và Du lịch", None, "Bộ Văn hóa, Thể thao và Du lịch", "exact"),
        ("Bộ KH&CN", None, "Bộ Khoa học và Công nghệ", "alias"),
        ("Bộ GD&ĐT", None, "Bộ Giáo dục và Đào tạo", "alias"),
        ("Bộ Dân tộc và Tôn giáo", None, "Bộ Dân tộc và Tôn giáo", "exact"),
        ("Uỷ ban Dân tộc", None, "Ủy ban Dân tộc", "exact"),
        ("Ngân hàng Nhà nước Việt Nam", None, "Ngân hàng Nhà nước Việt Nam", "exact"),
        ("Bảo hiểm xã hội Việt Nam", None, "Bảo hiểm xã hội Việt Nam", "exact"),
        ("Ủy ban Quản lý vốn nhà nước tại doanh nghiệp", None,
         "Ủy ban Quản lý vốn nhà nước tại doanh nghiệp", "exact"),
        ("UNIDO", None, "Tổ chức Phát triển Công nghiệp Liên Hợp Quốc", "alias"),
        # provincial departments: abbreviations, spelling, spacing, tone placement
        ("Sở Công Thương", PHU_THO, "Sở Công Thương tỉnh Phú Thọ", "exact"),
        ("Sở Công thương", PHU_THO, "Sở Công Thương tỉnh Phú Thọ", "exact"),
        ("SỞ CÔNG THƯƠNG", PHU_THO, "Sở Công Thương tỉnh Phú Thọ", "exact"),
        ("Sở  Công\nThương", PHU_THO, "Sở Công Thương tỉnh Phú Thọ", "exact"),
        ("SCT", PHU_THO, "Sở Công Thương tỉnh Phú Thọ", "alias"),
        ("Sở CT", PHU_THO, "Sở Công Thương tỉnh Phú Thọ", "alias"),
        ("Sở Công Thương tỉnh Phú Thọ", None, "Sở Công Thương tỉnh Phú Thọ", "exact"),
        ("Sở Công Thương Phú Thọ", CAN_THO, "Sở Công Thương Phú Thọ", "exact"),
        ("Sở Kế hoạch& Đầu tư", PHU_THO, "Sở Kế hoạch và Đầu tư tỉnh Phú Thọ", "exact"),
        ("Sở Kế hoạch và Đầu\ntư", PHU_THO, "Sở Kế hoạch và Đầu tư tỉnh Phú Thọ", "exact"),
        ("Sở KH&ĐT", PHU_THO, "Sở Kế hoạch và Đầu tư tỉnh Phú Thọ", "alias"),
        ("Sở KHĐT", PHU_THO, "Sở Kế hoạch và Đầu tư tỉnh Phú Thọ", "alias"),
        ("Sở TN&MT tỉnh", PHU_THO, "Sở Tài nguyên và Môi trường tỉnh Phú Thọ", "alias"),
        ("Sở TNMT", CAN_THO, "Sở Tài nguyên và Môi trường thành phố Cần Thơ", "alias"),
        ("Sở NN&PTNT", PHU_THO, "Sở Nông nghiệp và Phát triển nông thôn tỉnh Phú Thọ", "alias"),
        ("Sở NN&MT", PHU_THO, "Sở Nông nghiệp và Môi trường tỉnh Phú Thọ", "alias"),
        ("Sở GTVT", PHU_THO, "Sở Giao thông vận tải tỉnh Phú Thọ", "alias"),
        ("Sở Giao thông - Vận tải", PHU_THO, "Sở Giao thông vận tải tỉnh Phú Thọ", "exact"),
        ("Sở TT&TT", PHU_THO, "Sở Thông tin và Truyền thông tỉnh Phú Thọ", "alias"),
        ("Sở LĐTB&XH", PHU_THO, "Sở Lao động - Thương binh và Xã hội tỉnh Phú Thọ", "alias"),
        ("Sở LĐ-TB&XH", PHU_THO, "Sở Lao động - Thương binh và Xã hội tỉnh Phú Thọ", "alias"),
        ("Sở KH&CN", PHU_THO, "Sở Khoa học và Công nghệ tỉnh Phú Thọ", "alias"),
        ("Sở VH,TT&DL", PHU_THO, "Sở Văn hóa, Thể thao và Du lịch tỉnh Phú Thọ", "alias"),
        ("Sở Văn hoá Thể thao du lịch", PHU_THO, "Sở Văn hóa, Thể thao và Du lịch tỉnh Phú Thọ", "alias"),
        ("Sở GD&ĐT", PHU_THO, "Sở Giáo dục và Đào tạo tỉnh Phú Thọ", "alias"),
        ("Sở Y tế", PHU_THO, "Sở Y tế tỉnh Phú Thọ", "exact"),
        ("Sở Dân tộc và Tôn giáo", PHU_THO, "Sở Dân tộc và Tôn giáo tỉnh Phú Thọ", "exact"),
        ("Sở Tài chính", None, "Sở Tài chính", "exact"),
        ("Văn phòng UBND tỉnh", PHU_THO, "Văn phòng Ủy ban nhân dân tỉnh Phú Thọ", "alias"),
        ("VP UBND tỉnh", PHU_THO, "Văn phòng Ủy ban nhân dân tỉnh Phú Thọ", "alias"),
        ("Thanh tra tỉnh", PHU_THO, "Thanh tra tỉnh Phú Thọ", "exact"),
        ("BQL các KCN tỉnh", PHU_THO, "Ban Quản lý các khu công nghiệp tỉnh Phú Thọ", "alias"),
        ("Ban quản lý các khu CN", PHU_THO, "Ban Quản lý các khu công nghiệp tỉnh Phú Thọ", "alias"),
        ("Ban Quản lý Khu kinh tế", PHU_THO, "Ban Quản lý Khu kinh tế tỉnh Phú Thọ", "exact"),
        ("đài phát thanh và truyền hình tỉnh phú Thọ", None, "Đài Phát thanh và Truyền hình tỉnh Phú Thọ",
         "exact"),
        ("Báo Phú Thọ", PHU_THO, "Báo Phú Thọ", "exact"),
        ("Cổng TTĐT tỉnh", PHU_THO, "Cổng Thông tin điện tử tỉnh Phú Thọ", "alias"),
        ("Trung tâm Khuyến công & Tư vấn phát triển Công Thương", PHU_THO,
         "Trung tâm Khuyến công và Tư vấn phát triển Công Thương tỉnh Phú Thọ", "exact"),
        ("Chi cục Quản lý thị trường", PHU_THO, "Chi cục Quản lý thị trường tỉnh Phú Thọ", "exact"),
        ("Ngân hàng Nhà nước Chi nhánh Quảng Ninh", None, "Ngân hàng Nhà nước Chi nhánh tỉnh Quảng Ninh",
         "exact"),
        ("Ngân hàng nhà nước khu vực XII", None, "Ngân hàng Nhà nước Khu vực 12", "exact"),
        ("Chi cục Hải quan khu vực V", None, "Chi cục Hải quan khu vực V", "exact"),
        # people's committees and councils at each level
        ("UBND tỉnh", PHU_THO, "Ủy ban nhân dân tỉnh Phú Thọ", "alias"),
        ("Uỷ ban nhân dân tỉnh Phú Thọ", None, "Ủy ban nhân dân tỉnh Phú Thọ", "exact"),
        ("ỦY BAN NHÂN DÂN\nTỈNH PHÚ THỌ", None, "Ủy ban nhân dân tỉnh Phú Thọ", "exact"),
        ("UBND TP", CAN_THO, "Ủy ban nhân dân thành phố Cần Thơ", "alias"),
        ("UBND thành phố Cần Thơ", None, "Ủy ban nhân dân thành phố Cần Thơ", "alias"),
        ("UBND huyện Tam Nông", PHU_THO, "Ủy ban nhân dân huyện Tam Nông", "alias"),
        ("UBND thành phố Hà Tĩnh", "tỉnh Hà Tĩnh", "Ủy ban nhân dân thành phố Hà Tĩnh", "alias"),
        ("UBND xã Gia Thuận", PHU_THO, "Ủy ban nhân dân xã Gia Thuận", "alias"),
        ("HĐND tỉnh", PHU_THO, "Hội đồng nhân dân tỉnh Phú Thọ", "alias"),
        ("Thường trực HĐND Tỉnh", PHU_THO, "Thường trực Hội đồng nhân dân tỉnh Phú Thọ", "alias"),
        ("HĐND huyện Tam Nông", PHU_THO, "Hội đồng nhân dân huyện Tam Nông", "alias"),
        ("Phòng Kinh tế huyện Tam Nông", PHU_THO, "Phòng Kinh tế huyện Tam Nông", "exact"),
        # the Fatherland Front, mass organisations, party bodies
        ("UBMTTQ Việt Nam tỉnh", PHU_THO, "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Phú Thọ", "alias"),
        ("UBMTTQVN tỉnh", PHU_THO, "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Phú Thọ", "alias"),
        ("Mặt trận Tổ quốc tỉnh", PHU_THO, "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Phú Thọ", "alias"),
        ("Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam", None, "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam",
         "exact"),
        ("Hội Phụ nữ", PHU_THO, "Hội Liên hiệp Phụ nữ tỉnh Phú Thọ", "alias"),
        ("Hội LHPN tỉnh", PHU_THO, "Hội Liên hiệp Phụ nữ tỉnh Phú Thọ", "alias"),
        ("Hội Nông dân", PHU_THO, "Hội Nông dân tỉnh Phú Thọ", "exact"),
        ("Hội Nông dân", None, "Hội Nông dân Việt Nam", "exact"),
        ("Hội Nông dân Việt Nam", PHU_THO, "Hội Nông dân Việt Nam", "exact"),
        ("Hội Cựu chiến binh tỉnh", PHU_THO, "Hội Cựu chiến binh tỉnh Phú Thọ", "exact"),
        ("Liên đoàn Lao động tỉnh", PHU_THO, "Liên đoàn Lao động tỉnh Phú Thọ", "exact"),
        ("Liên đoàn Lao động", None, "Tổng Liên đoàn Lao động Việt Nam", "exact"),
        ("Tỉnh đoàn", PHU_THO, "Tỉnh đoàn Phú Thọ", "exact"),
        ("Đoàn Thanh niên", None, "Đoàn Thanh niên Cộng sản Hồ Chí Minh", "alias"),
        ("Hội Chữ thập đỏ tỉnh", PHU_THO, "Hội Chữ thập đỏ tỉnh Phú Thọ", "exact"),
        ("TT.TU", PHU_THO, "Thường trực Tỉnh ủy Phú Thọ", "alias"),
        ("Công an tỉnh", PHU_THO, "Công an tỉnh Phú Thọ", "exact"),
        ("Công an Việt Nam", None, "Bộ Công an", "exact"),
        # collective groups (the guide's group names)
        ("sở, ban, ngành", PHU_THO, "Các sở, ban, ngành tỉnh Phú Thọ", "exact"),
        ("các Sở, ban ngành, đoàn thể", CAN_THO, "Các sở, ban, ngành thành phố Cần Thơ", "exact"),
        ("các sở", PHU_THO, "Các sở, ban, ngành tỉnh Phú Thọ", "exact"),
        ("UBND các huyện, thị xã, thành phố", PHU_THO, "Ủy ban nhân dân cấp huyện tỉnh Phú Thọ", "exact"),
        ("UBND các xã, phường", PHU_THO, "Ủy ban nhân dân cấp xã tỉnh Phú Thọ", "exact"),
        ("UBND cấp xã", PHU_THO, "Ủy ban nhân dân cấp xã tỉnh Phú Thọ", "exact"),
        ("Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương", None, "Ủy ban nhân dân cấp tỉnh",
         "exact"),
        ("các bộ, ngành trung ương", None, "Các bộ, ngành trung ương", "exact"),
        ("bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ", None, "Các bộ, ngành trung ương", "exact"),
    ],
)
def test_resolve_variants(mention: str, jurisdiction: str | None, expected: str, method: str) -> None:
    match = resolve(mention, jurisdiction=jurisdiction)
    assert match is not None, mention
    assert (match.canonical, match.method.value) == (expected, method)


@pytest.mark.parametrize(
    ("mention", "jurisdiction", "expected", "score_at_least"),
    [
        ("Sở Công Thuơng", PHU_THO, "Sở Công Thương tỉnh Phú Thọ", FUZZY_CUTOFF),
        ("Sở Tài nguyên Môi trường", PHU_THO, "Sở Tài nguyên và Môi trường tỉnh Phú Thọ", 93),
        ("Sở Tài nguyen và Môi trường tỉnh Phú Thọ", None, "Sở Tài nguyên và Môi trường tỉnh Phú Thọ", 95),
        ("Bộ Công Thuơng", None, "Bộ Công Thương", FUZZY_CUTOFF),
        ("So Cong Thuong", PHU_THO, "Sở Công Thương tỉnh Phú Thọ", 100),
        ("Bo Nong nghiep va Moi truong", None, "Bộ Nông nghiệp và Môi trường", 100),
    ],
)
def test_resolve_fuzzy_tier(mention: str, jurisdiction: str | None, expected: str,
                            score_at_least: float) -> None:
    match = resolve(mention, jurisdiction=jurisdiction)
    assert match is not None and match.method is MatchMethod.FUZZY
    assert match.canonical == expected and FUZZY_CUTOFF <= score_at_least <= match.score <= 100


# ---------------------------------------------------------------- ids, levels, parents
@pytest.mark.parametrize(
    ("mention", "jurisdiction", "id_", "level", "parent"),
    [
        ("Bộ Công Thương", None, "bo-cong-thuong", Level.CENTRAL, "chinh-phu"),
        ("Thủ tướng Chính phủ", None, "thu-tuong-chinh-phu", Level.CENTRAL, "chinh-phu"),
        ("Chính phủ", None, "chinh-phu", Level.CENTRAL, None),
        ("Sở Công Thương", PHU_THO, "so-cong-thuong@tinh-phu-tho", Level.PROVINCIAL,
         "uy-ban-nhan-dan@tinh-phu-tho"),
        ("Sở Công thương", "tỉnh phú thọ", "so-cong-thuong@tinh-phu-tho", Level.PROVINCIAL,
         "uy-ban-nhan-dan@tinh-phu-tho"),
        ("Sở Y tế", "Phú Thọ", "so-y-te@tinh-phu-tho", Level.PROVINCIAL, "uy-ban-nhan-dan@tinh-phu-tho"),
        ("UBND tỉnh", PHU_THO, "uy-ban-nhan-dan@tinh-phu-tho", Level.PROVINCIAL, "chinh-phu"),
        ("UBND huyện Tam Nông", PHU_THO, "uy-ban-nhan-dan@huyen-tam-nong", Level.DISTRICT,
         "uy-ban-nhan-dan@tinh-phu-tho"),
        ("UBND xã Gia Thuận", None, "uy-ban-nhan-dan@xa-gia-thuan", Level.COMMUNE, None),
        ("Phòng Kinh tế huyện Tam Nông", PHU_THO, "phong-kinh-te@huyen-tam-nong", Level.DISTRICT,
         "uy-ban-nhan-dan@huyen-tam-nong"),
        ("Hội Nông dân", PHU_THO, "hoi-nong-dan@tinh-phu-tho", Level.PROVINCIAL,
         "uy-ban-mat-tran-to-quoc-viet-nam@tinh-phu-tho"),
        ("Hội Nông dân Việt Nam", None, "hoi-nong-dan-viet-nam", Level.CENTRAL,
         "uy-ban-trung-uong-mat-tran-to-quoc-viet-nam"),
        ("Trung tâm Kiểm soát bệnh tật tỉnh", "tỉnh Đắk Lắk", "trung-tam-kiem-soat-benh-tat@tinh-dak-lak",
         Level.PROVINCIAL, "so-y-te@tinh-dak-lak"),
        ("Công an tỉnh", PHU_THO, "cong-an@tinh-phu-tho", Level.PROVINCIAL, "bo-cong-an"),
        ("sở, ban, ngành", PHU_THO, "cac-so-ban-nganh@tinh-phu-tho", Level.PROVINCIAL, None),
        ("UBND các huyện", PHU_THO, "uy-ban-nhan-dan-cap-huyen@tinh-phu-tho", Level.DISTRICT, None),
        ("các bộ, ngành trung ương", None, "cac-bo-nganh-trung-uong", Level.CENTRAL, None),
    ],
)
def test_resolve_ids_levels_parents(mention: str, jurisdiction: str | None, id_: str, level: Level,
                                    parent: str | None) -> None:
    match = resolve(mention, jurisdiction=jurisdiction)
    assert match is not None
    assert (match.id, match.level, match.parent_id) == (id_, level, parent)


def test_resolve_group_flag() -> None:
    assert resolve("sở, ban, ngành", jurisdiction=PHU_THO).group
    assert resolve("UBND cấp huyện", jurisdiction=PHU_THO).group
    assert not resolve("UBND tỉnh", jurisdiction=PHU_THO).group


# ---------------------------------------------------------------- abstention and negatives
@pytest.mark.parametrize(
    "mention",
    [
        "cơ quan", "đơn vị", "doanh nghiệp", "người tiêu dùng", "cơ quan có thẩm quyền",
        "tổ chức quốc tế", "các doanh nghiệp", "", "   ", "**", "Sở", "Bộ", "Ủy ban", "Trung tâm",
        "Sở Du hành Vũ trụ",  # no such department
        "Bộ Ma thuật",
        "Trung tâm thương mại",
        "Hội Những người yêu mèo",
        "ubnd tỉnh",  # abbreviations are case-sensitive: "ubnd" is not "UBND"
        "unido",
        "Sở Nội vu",  # too close to both "Nội vụ" and "Ngoại vụ" to choose: abstain
        "Báo",  # generic without a place
        "Công an",
        "sở",  # a group only after "các"/"Giám đốc"
        "tổ chức chính trị - xã hội",  # a group the guide leaves unnamed
        "Mặt trận Tổ quốc Việt Nam tại địa phương",
        "EU", "ASEAN", "Lưu: VT, KT4",
    ],
)
def test_resolve_abstains(mention: str) -> None:
    assert resolve(mention, jurisdiction=PHU_THO) is None
    assert resolve(mention) is None


@pytest.mark.parametrize("mention", ["Sở Công Thương", "Sở Công thương", "SỞ CÔNG THƯƠNG", "Sở Công Thuơng",
                                     "Sở CT", "SCT", "So Cong Thuong", "Sở Công Thương tỉnh Phú Thọ"])
@pytest.mark.parametrize("jurisdiction", [None, PHU_THO])
def test_resolve_department_is_never_a_ministry(mention: str, jurisdiction: str | None) -> None:
    match = resolve(mention, jurisdiction=jurisdiction)
    assert match is not None and match.id.startswith("so-cong-thuong") and match.level is Level.PROVINCIAL


def test_resolve_fuzzy_stays_within_the_body_type() -> None:
    """Every department name with a typo resolves to a department or to nothing, never to a ministry."""
    for agency in default_resolver().agencies:
        if agency.name.startswith("Sở "):
            typo = agency.name[:-1] + ("x" if agency.name[-1] != "x" else "y")
            match = resolve(typo, jurisdiction=PHU_THO)
            assert match is None or match.id.startswith("so-"), (typo, match)


def test_resolve_rejects_non_strings() -> None:
    with pytest.raises(TypeError, match="str"):
        resolve(None)  # type: ignore[arg-type]


def test_resolve_match_is_frozen_and_serialisable() -> None:
    match = resolve("Sở KH&ĐT", jurisdiction=PHU_THO)
    assert isinstance(match, AgencyMatch)
    with pytest.raises(dataclasses.FrozenInstanceError):
        match.canonical = "x"  # type: ignore[misc]
    assert match.to_dict()["method"] == "alias" and match.to_dict()["level"] == "provincial"


def test_resolve_batch_and_cache() -> None:
    resolver = Resolver(cache_size=0)
    mentions = ["Sở Y tế", "cơ quan", "UBND tỉnh"]
    uncached = resolver.resolve_all(mentions, jurisdiction=PHU_THO)
    assert uncached == [resolve(m, jurisdiction=PHU_THO) for m in mentions]
    assert uncached[1] is None


# ---------------------------------------------------------------- 2025 successors
# One row per "main" succession of data/agency_successions.tsv, plus province mergers.
SUCCESSIONS = [
    ("Bộ Kế hoạch và Đầu tư", None, "Bộ Tài chính"),
    ("Bộ Tài nguyên và Môi trường", None, "Bộ Nông nghiệp và Môi trường"),
    ("Bộ Nông nghiệp và Phát triển nông thôn", None, "Bộ Nông nghiệp và Môi trường"),
    ("Bộ Giao thông vận tải", None, "Bộ Xây dựng"),
    ("Bộ Thông tin và Truyền thông", None, "Bộ Khoa học và Công nghệ"),
    ("Bộ Lao động - Thương binh và Xã hội", None, "Bộ Nội vụ"),
    ("Ủy ban Dân tộc", None, "Bộ Dân tộc và Tôn giáo"),
    ("Ban Tôn giáo Chính phủ", None, "Bộ Dân tộc và Tôn giáo"),
    ("Ủy ban Quản lý vốn nhà nước tại doanh nghiệp", None, "Bộ Tài chính"),
    ("Sở Kế hoạch và Đầu tư", PHU_THO, "Sở Tài chính tỉnh Phú Thọ"),
    ("Sở Tài nguyên và Môi trường", PHU_THO, "Sở Nông nghiệp và Môi trường tỉnh Phú Thọ"),
    ("Sở Nông nghiệp và Phát triển nông thôn", PHU_THO, "Sở Nông nghiệp và Môi trường tỉnh Phú Thọ"),
    ("Sở Giao thông vận tải", PHU_THO, "Sở Xây dựng tỉnh Phú Thọ"),
    ("Sở Thông tin và Truyền thông", PHU_THO, "Sở Khoa học và Công nghệ tỉnh Phú Thọ"),
    ("Sở Lao động - Thương binh và Xã hội", PHU_THO, "Sở Nội vụ tỉnh Phú Thọ"),
    ("Ban Dân tộc", PHU_THO, "Sở Dân tộc và Tôn giáo tỉnh Phú Thọ"),
    ("Phòng Tài nguyên và Môi trường huyện Tam Nông", PHU_THO,
     "Phòng Nông nghiệp và Môi trường huyện Tam Nông"),
    ("Phòng Nông nghiệp và Phát triển nông thôn huyện Tam Nông", PHU_THO,
     "Phòng Nông nghiệp và Môi trường huyện Tam Nông"),
    ("Phòng Lao động - Thương binh và Xã hội huyện Tam Nông", PHU_THO, "Phòng Nội vụ huyện Tam Nông"),
    ("Phòng Văn hóa và Thông tin huyện Tam Nông", PHU_THO,
     "Phòng Văn hóa, Khoa học và Thông tin huyện Tam Nông"),
    ("Phòng Dân tộc huyện Tam Nông", PHU_THO, "Phòng Dân tộc và Tôn giáo huyện Tam Nông"),
    # provinces merged on 1 July 2025 (admin_units.tsv), alone and combined with a department merger
    ("UBND tỉnh Hậu Giang", None, "Ủy ban nhân dân thành phố Cần Thơ"),
    ("Sở Công Thương tỉnh Vĩnh Phúc", None, "Sở Công Thương tỉnh Phú Thọ"),
    ("Sở KH&ĐT tỉnh Hậu Giang", None, "Sở Tài chính thành phố Cần Thơ"),
    ("Sở TN&MT tỉnh Bình Dương", None, "Sở Nông nghiệp và Môi trường thành phố Hồ Chí Minh"),
    ("Báo Hậu Giang", None, "Báo Cần Thơ"),
    ("sở, ban, ngành", "tỉnh Hậu Giang", "Các sở, ban, ngành thành phố Cần Thơ"),
]


@pytest.mark.parametrize(("mention", "jurisdiction", "successor"), SUCCESSIONS,
                         ids=[row[0] for row in SUCCESSIONS])
def test_resolve_2025_successor(mention: str, jurisdiction: str | None, successor: str) -> None:
    match = resolve(mention, jurisdiction=jurisdiction)
    assert match is not None and match.successor == successor
    assert match.successor_id == default_resolver().resolve(successor).id


def test_resolve_successions_table_is_covered() -> None:
    """Every "main" row of agency_successions.tsv has its row in SUCCESSIONS above."""
    tested = {re.sub(r" huyện Tam Nông$", "", m) for m, _, _ in SUCCESSIONS}
    main = {r["predecessor"] for r in load_records("agency_successions.tsv") if r["share"] == "main"}
    assert main <= tested, main - tested


@pytest.mark.parametrize(("mention", "jurisdiction"), [
    ("Sở Công Thương", PHU_THO), ("Bộ Tài chính", None), ("Bộ Nông nghiệp và Môi trường", None),
    ("Sở Nông nghiệp và Môi trường", "tỉnh Bắc Ninh"), ("UBND tỉnh", "tỉnh Đồng Tháp"), ("Chính phủ", None),
])
def test_resolve_no_successor_for_bodies_that_remain(mention: str, jurisdiction: str | None) -> None:
    match = resolve(mention, jurisdiction=jurisdiction)
    assert match is not None and match.successor is None and match.successor_id is None


# ---------------------------------------------------------------- properties
@settings(max_examples=300)
@given(st.text(max_size=60))
def test_resolve_normalize_name_is_idempotent(text: str) -> None:
    once = normalize_name(text)
    assert normalize_name(once) == once


_NAMES = sorted({a.name for a in default_resolver().agencies})
_OLD_STYLE = {"ủy": "uỷ", "hóa": "hoá", "hòa": "hoà", "Ủy": "Uỷ"}


@st.composite
def _noisy(draw: st.DrawFn) -> tuple[str, str]:
    """A gazetteer name and a copy with case, spacing, line-break and tone-placement noise."""
    name = draw(st.sampled_from(_NAMES))
    words = []
    for word in name.split(" "):
        case = draw(st.sampled_from(["keep", "lower", "upper", "title"]))
        word = {"keep": word, "lower": word.lower(), "upper": word.upper(), "title": word.title()}[case]
        if draw(st.booleans()):
            word = _OLD_STYLE.get(word, word)
        words.append(word)
    gaps = [draw(st.sampled_from([" ", "  ", "\n", " \n "])) for _ in words[1:]]
    noisy = words[0] + "".join(g + w for g, w in zip(gaps, words[1:], strict=True))
    return name, draw(st.sampled_from(["", " ", "**"])) + noisy


@settings(max_examples=300)
@given(_noisy())
def test_resolve_is_stable_under_case_and_spacing_noise(pair: tuple[str, str]) -> None:
    name, noisy = pair
    clean, found = resolve(name, jurisdiction=PHU_THO), resolve(noisy, jurisdiction=PHU_THO)
    if clean is None:
        assert found is None, noisy
    else:
        assert found is not None and (found.id, found.canonical) == (clean.id, clean.canonical), noisy


@pytest.mark.parametrize("name", _NAMES)
def test_resolve_every_gazetteer_name_resolves_to_itself(name: str) -> None:
    """With a jurisdiction every official name is an exact match of its own row (or None for
    names never annotated alone); without one, a local body with a national form is that
    national body ("Liên đoàn Lao động" -> "Tổng Liên đoàn Lao động Việt Nam")."""
    agency = default_resolver().entry(name)
    match = resolve(name, jurisdiction=PHU_THO)
    assert agency is not None
    if match is None:
        assert not agency.bare, name
    else:
        assert (match.name, match.method) == (name, MatchMethod.EXACT)
    national = resolve(name)
    if national is not None and national.name != name:
        assert national.level is Level.CENTRAL and agency.national_form == national.canonical


# ---------------------------------------------------------------- the gazetteer's integrity
def test_resolve_gazetteer_ids_are_unique_slugs() -> None:
    agencies = default_resolver().agencies
    ids = [a.id for a in agencies]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", i) for i in ids)


def test_resolve_gazetteer_parents_exist() -> None:
    resolver = default_resolver()
    ids = {a.id for a in resolver.agencies} | {slug(a.national_name) for a in resolver.agencies}
    local = {a.id for a in resolver.agencies if a.scope != "central"}
    for a in resolver.agencies:
        if a.parent.endswith("@"):
            assert a.parent[:-1] in local, (a.name, a.parent)
        elif a.parent:
            assert a.parent in ids, (a.name, a.parent)


def test_resolve_gazetteer_forms_name_one_body() -> None:
    """No normalised name or alias stands for two bodies; a national form is a form of its own
    body or the name of that national body's row ("Bộ Công an" for "Công an")."""
    owner: dict[str, str] = {}
    for a in default_resolver().agencies:
        for form in (a.name, *a.aliases):
            key = normalize_name(form)
            assert owner.setdefault(key, a.id) == a.id, (form, owner[key], a.id)
    for a in default_resolver().agencies:
        if a.national_form:  # unused, the body's own alias, or the row of that national body
            assert owner.get(normalize_name(a.national_form), a.id) in (a.id, slug(a.national_form)), a.name


def test_resolve_gazetteer_columns() -> None:
    records = load_records("agencies.tsv")
    levels = {r["unit"] for r in load_records("admin_levels.tsv")} | {"tỉnh", "huyện", "xã"}
    for r in records:
        assert r["level"] in ("central", "local", "both"), r
        assert r["find"] in ("", "no") and r["bare"] in ("", "no"), r
        assert all(t in levels for t in r["tiers"].split("|") if t), r
        assert set(re.findall(r"\{(\w+)\}", r["region_form"])) <= {"name", "region", "region_no"}
    succession_names = {r["name"] for r in records}
    for r in load_records("agency_successions.tsv"):
        assert {r["predecessor"], r["successor"]} <= succession_names, r
        assert r["share"] in ("main", "part") and re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["effective"]), r
        assert re.search(r"(Nghị quyết|Nghị định) \d+/2025/(QH15|NĐ-CP)", r["source"]), r
    mains = [r["predecessor"] for r in load_records("agency_successions.tsv") if r["share"] == "main"]
    assert len(mains) == len(set(mains)), "one main successor per body"


def test_resolve_type_heads_cover_the_gazetteer() -> None:
    """Every body's type is a listed head or its first word; ministries and departments differ."""
    resolver = default_resolver()
    kinds = {a.name: a.kind for a in resolver.agencies}
    assert kinds["Bộ Công Thương"] == "bộ" and kinds["Sở Công Thương"] == "sở"
    assert kinds["Bộ Chỉ huy Quân sự"] == "bộ chỉ huy"


@pytest.mark.parametrize("name", ["agencies.tsv", "agency_successions.tsv", "admin_units.tsv",
                                  "agency_name_words.tsv", "agency_groups.tsv", "agency_abbreviations.tsv"])
def test_resolve_data_files_say_where_they_come_from(name: str) -> None:
    from importlib import resources

    raw = resources.files("sxtdbv_nlp.data").joinpath(name).read_text(encoding="utf-8")
    header = " ".join(ln for ln in raw.splitlines() if ln.startswith("#"))
    assert "Source" in header and load_records(name)


def test_resolve_docstring_examples() -> None:
    assert doctest.testmod(resolve_module, optionflags=doctest.ELLIPSIS).failed == 0


# ---------------------------------------------------------------- in the pipeline
def _agencies(text: str, issuer: str) -> dict[str, tuple[str | None, str | None, str | None]]:
    entities = recognize(text, DocumentBounds(0, len(text)), header=Header(issuer=issuer))
    return {e.text: (e.value.canonical, e.value.id, e.value.successor)
            for e in entities if e.label == "AGENCY"}


def test_resolve_pipeline_values_carry_id_and_successor() -> None:
    found = _agencies("Sở KH&ĐT phối hợp với Sở Công Thương, UBND các huyện và Bộ Tài nguyên và Môi trường.",
                      "Ủy ban nhân dân tỉnh Phú Thọ")
    assert found["Sở KH&ĐT"] == ("Sở Kế hoạch và Đầu tư tỉnh Phú Thọ", "so-ke-hoach-va-dau-tu@tinh-phu-tho",
                                 "Sở Tài chính tỉnh Phú Thọ")
    assert found["Sở Công Thương"] == ("Sở Công Thương tỉnh Phú Thọ", "so-cong-thuong@tinh-phu-tho", None)
    assert found["UBND các huyện"] == ("Ủy ban nhân dân cấp huyện tỉnh Phú Thọ",
                                       "uy-ban-nhan-dan-cap-huyen@tinh-phu-tho", None)
    assert found["Bộ Tài nguyên và Môi trường"][2] == "Bộ Nông nghiệp và Môi trường"


def test_resolve_pipeline_open_class_names_and_fallback() -> None:
    found = _agencies("Trung tâm Kiểm soát bệnh tật tỉnh chủ trì; Ban Chỉ đạo phát triển du lịch tỉnh "
                      "tham mưu.", "Ủy ban nhân dân tỉnh Đắk Lắk")
    assert found["Trung tâm Kiểm soát bệnh tật tỉnh"][1] == "trung-tam-kiem-soat-benh-tat@tinh-dak-lak"
    assert found["Ban Chỉ đạo phát triển du lịch tỉnh"] == (
        "Ban Chỉ đạo phát triển du lịch tỉnh Đắk Lắk", None, None)  # abstained: cleaned name, no id


PLAN = ("ỦY BAN NHÂN DÂN\nTỈNH HẬU GIANG\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 12/KH-UBND\n"
        "Hậu Giang, ngày 2 tháng 3 năm 2024\nKẾ HOẠCH\nVỀ SẢN XUẤT BỀN VỮNG\nI. NHIỆM VỤ\n"
        "1. Sở Kế hoạch và Đầu tư chủ trì, phối hợp với Sở Công Thương và các sở, ban, ngành "
        "xây dựng kế hoạch.\n")


def test_resolve_agency_index_uses_ids_and_successors() -> None:
    index = agency_index([analyze(PLAN, "hau-giang")])
    assert list(index.columns) == ["agency", "agency_id", "successor", "doc_id", "role", "count"]
    issuer = index[index.role == "issuer"].iloc[0]
    assert (issuer.agency, issuer.agency_id, issuer.successor) == (
        "Ủy ban nhân dân tỉnh Hậu Giang", "uy-ban-nhan-dan@tinh-hau-giang",
        "Ủy ban nhân dân thành phố Cần Thơ")
    mpi = index[index.agency_id == "so-ke-hoach-va-dau-tu@tinh-hau-giang"]
    assert set(mpi.successor) == {"Sở Tài chính thành phố Cần Thơ"} and "lead" in set(mpi.role)
