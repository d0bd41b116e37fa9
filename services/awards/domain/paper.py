"""How a federation's decisions and certificates are printed (its paper): the wording that varies
by federation (the bodies named in the heading, the place, the legal bases cited, the articles,
the recipients, the signer's authority and title) and the certificates' layout images. Each
change is an event; what is not set reads as the defaults below."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.kernel.ids import stable_id

DEFAULT_WORDING: dict[str, Any] = {
    "parent_body": "TỔNG LĐLĐ VIỆT NAM",
    "issuing_body": "LIÊN ĐOÀN LAO ĐỘNG TỈNH",
    "deciding_body": "BAN THƯỜNG VỤ LIÊN ĐOÀN LAO ĐỘNG TỈNH",
    "place": "Hà Nội",
    "bases": [
        "Căn cứ Luật Công đoàn năm 2024;",
        "Căn cứ Luật Thi đua, khen thưởng năm 2022;",
        "Căn cứ Điều lệ Công đoàn Việt Nam;",
        "Căn cứ Quy chế khen thưởng của Liên đoàn Lao động tỉnh;",
        "Xét đề nghị của Hội đồng Thi đua - Khen thưởng,",
    ],
    "article_2": "Tập thể, cá nhân được khen thưởng được hưởng tiền thưởng theo quy định hiện hành.",
    "article_3": (
        "Văn phòng, các ban của Liên đoàn Lao động tỉnh và các tập thể, cá nhân có tên tại "
        "Điều 1 chịu trách nhiệm thi hành Quyết định này."
    ),
    "recipients": ["Như Điều 3;", "Thường trực LĐLĐ tỉnh;", "Lưu: VT, Ban Tổ chức."],
    "signing_for": "TM. BAN THƯỜNG VỤ",
    "signer_title": "CHỦ TỊCH",
    "achievement": "Đã có thành tích xuất sắc trong phong trào thi đua năm {year}",
}
# The national union's decisions: its own heading, no parent body.
NATIONAL_WORDING: dict[str, Any] = {
    "parent_body": "",
    "issuing_body": "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM",
    "deciding_body": "ĐOÀN CHỦ TỊCH TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM",
    "signing_for": "TM. ĐOÀN CHỦ TỊCH",
}
LAYOUT_IMAGES = ("background", "signature", "seal")


class Paper(Aggregate):
    @staticmethod
    def create_id(federation: str) -> UUID:
        return Paper.id_for(federation)

    @staticmethod
    def id_for(federation: str) -> UUID:
        return stable_id("paper", federation)

    @event("Opened")
    def __init__(self, federation: str, meta: dict) -> None:
        self.federation = federation
        self.wording: dict[str, Any] = {}
        # image name -> {"sha256", "media_type", "size"}; the bytes are kept by their hash
        self.images: dict[str, dict[str, Any]] = {}

    @event("WordingSet")
    def set_wording(self, wording: dict[str, Any], meta: dict) -> None:
        self.wording = {**self.wording, **wording}

    @event("ImageSet")
    def set_image(self, name: str, image: dict[str, Any] | None, meta: dict) -> None:
        if image is None:
            self.images.pop(name, None)
        else:
            self.images[name] = image


def wording_of(paper: Paper | None, authority: str = "") -> dict[str, Any]:
    """The wording a decision of `authority` is printed with: the defaults, then what the
    federation set, and on the national union's own decisions its heading and authority."""
    national = NATIONAL_WORDING if authority == "tld" else {}
    return {**DEFAULT_WORDING, **(paper.wording if paper else {}), **national}


def unit_wording(wording: dict[str, Any], unit_name: str) -> dict[str, Any]:
    """A unit's own decisions (authority `unit:<code>`): the unit issues them under the
    federation, its executive committee decides, and its chair signs for it. Bodies' names are
    written in capitals in a heading, as Decree 30/2020/NĐ-CP sets them."""
    name = unit_name.upper()
    return {
        **wording,
        "parent_body": wording.get("issuing_body", ""),
        "issuing_body": name,
        "deciding_body": f"BAN CHẤP HÀNH {name}",
        "signing_for": "TM. BAN CHẤP HÀNH",
    }
