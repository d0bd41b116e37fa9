"""Journey 3, the council member (and the staff who run the council): the agenda with each
nomination's verdict clause by clause, a vote by secret ballot that never shows how anyone voted,
stepping aside, the tally once resolved; and, end to end, the approver's decision after it."""

from __future__ import annotations

from playwright.sync_api import Browser, Page

from tests.console.conftest import FEDERATION, OTHER, TODAY, YEAR, Stack, axe, screenshot, sign_in
from tests.console.council_steps import (
    BASE,
    COUNCIL_USER,
    convened,
    eventually,
    listed_grants,
    nominated,
    vote,
)

NAV = "Điều hướng chính"
CHOICE_WORDS = ("Đồng ý", "Không đồng ý", "phiếu trắng")


def open_council(page: Page, stack: Stack, code: str, name: str = "") -> None:
    """The council's page, once the councils list (projected from awards' log) has it."""
    name = name or f"Hội đồng {code}"
    page.get_by_role("navigation", name=NAV).get_by_role("link", name="Hội đồng TĐKT").click()

    def listed() -> None:
        page.goto(stack.url + f"/f/{FEDERATION}/councils?year={YEAR}")
        assert page.get_by_role("link", name=name, exact=True).count() == 1

    eventually(listed)
    page.get_by_role("link", name=name, exact=True).click()


def test_the_council_votes_by_secret_ballot_and_the_approver_issues_the_decision(
    stack: Stack, page: Page, browser: Browser
) -> None:
    # Given two eligible nominations waiting for the council
    first = nominated(stack, "dv-hd-1", "Hoàng Văn Phúc")
    second = nominated(stack, "dv-hd-2", "Nông Thị Duyên", unit="cdcs-benh-vien")
    # When staff convene a council by secret ballot over them
    sign_in(page, stack, "federation-staff")
    page.get_by_role("navigation", name=NAV).get_by_role("link", name="Hội đồng TĐKT").click()
    page.get_by_role("link", name="Triệu tập Hội đồng").click()

    def waiting() -> None:
        page.reload()
        assert page.get_by_label("Chọn đề nghị cho Nông Thị Duyên").count() == 1

    eventually(waiting)
    page.fill("#f-code", "hd-kin-e2e")
    page.fill("#f-name", "Hội đồng TĐKT bỏ phiếu kín")
    page.fill("#f-meets_on", TODAY.strftime("%d/%m/%Y"))
    page.fill("#f-quorum", "2")
    page.fill("#f-members", f"{COUNCIL_USER}; Triệu Thị Mai\ntv-hung; Lương Văn Hùng\ntv-nga; Ma Thị Nga")
    page.check("#f-secret_ballot")
    page.get_by_label("Chọn đề nghị cho Hoàng Văn Phúc").check()
    page.get_by_label("Chọn đề nghị cho Nông Thị Duyên").check()
    axe(page)
    page.get_by_role("button", name="Triệu tập Hội đồng").click()
    # Then the ballot key is shown once, and the council is open
    assert "BEGIN PRIVATE KEY" in page.locator("#f-key").input_value()
    page.get_by_role("link", name="Đến trang Hội đồng").click()
    assert "Đang biểu quyết" in page.locator("dl.facts").inner_text()

    # When the council member opens the agenda and votes on each nomination
    member = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    phone = member.new_page()
    sign_in(phone, stack, "council")
    open_council(phone, stack, "hd-kin-e2e", "Hội đồng TĐKT bỏ phiếu kín")
    rows = phone.locator("table.agenda tbody tr")
    assert rows.count() == 2
    axe(phone)
    screenshot(phone, "3-hoi-dong-chuong-trinh")
    for name in ("Hoàng Văn Phúc", "Nông Thị Duyên"):
        phone.get_by_role("link", name=name).click()
        # the verdict clause by clause, as awards has it attached to the nomination
        assert phone.locator("table.verdict tbody tr").count() > 0
        if name == "Hoàng Văn Phúc":
            axe(phone)
            screenshot(phone, "3-hoi-dong-bieu-quyet")
        phone.get_by_label("Đồng ý", exact=True).check()
        phone.get_by_role("button", name="Gửi phiếu").click()
        assert phone.get_by_role("status").inner_text() == "Đã ghi nhận phiếu của bạn."
    assert phone.locator("table.agenda tbody").inner_text().count("Đã bỏ phiếu") == 2
    # and staff record one absent member's written vote on each
    for n in (first, second):
        page.goto(stack.url + f"/f/{FEDERATION}/councils/hd-kin-e2e/n/{n['id']}")
        page.select_option("#f-member", "tv-hung")
        page.check("#f-written-yes")
        page.get_by_role("button", name="Ghi phiếu").click()
    # and resolve it after checking the count of ballots
    page.get_by_role("link", name="Kết thúc biểu quyết và công bố kết quả").click()
    axe(page)
    page.get_by_role("button", name="Kết thúc biểu quyết và công bố kết quả").click()
    # Then the tally is shown: 2 of 3 in favour, passed
    assert "2/2 đề nghị được thông qua" in page.get_by_role("status").inner_text()
    results = stack.get("awards", f"{BASE}/councils/hd-kin-e2e").json()["results"]
    shown = page.locator("table.results tbody tr")
    for i, r in enumerate(results):
        cells = shown.nth(i).locator("td").all_inner_texts()
        assert cells[1:5] == [str(r["yes"]), str(r["no"]), str(r["abstain"]), str(r["members"])]
        assert r["passed"] and cells[6] == "Hội đồng thông qua"
    phone.reload()
    assert phone.locator("table.results tbody tr").count() == 2  # the member sees the tally too
    member.close()

    # When the approver issues the decision from the passed nominations
    approver = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    desk = approver.new_page()
    sign_in(desk, stack, "approver")
    desk.get_by_role("navigation", name=NAV).get_by_role("link", name="Quyết định khen thưởng").click()
    desk.get_by_role("link", name="Ban hành quyết định khen thưởng").click()

    def passed_listed() -> None:
        desk.reload()
        assert desk.get_by_label("Chọn Nông Thị Duyên").count() == 1

    eventually(passed_listed)
    desk.get_by_label("Chọn Hoàng Văn Phúc").check()
    desk.get_by_label("Chọn Nông Thị Duyên").check()
    desk.fill("#f-number", f"101/QĐ-LĐLĐ-{YEAR}")
    desk.fill("#f-signer", "Hà Văn Sơn, Chủ tịch LĐLĐ tỉnh")
    desk.get_by_role("button", name="Tiếp tục: kiểm tra trước khi ban hành").click()
    assert desk.locator("h1").inner_text() == f"Kiểm tra trước khi ban hành Quyết định số 101/QĐ-LĐLĐ-{YEAR}"
    axe(desk)
    desk.get_by_role("button", name="Ban hành quyết định").click()
    # Then the decision is issued with both grants, each in the awards' lists
    assert f"Đã ban hành Quyết định số 101/QĐ-LĐLĐ-{YEAR}" in desk.get_by_role("status").inner_text()
    decision_id = desk.url.rsplit("/", 1)[1]
    grants = listed_grants(stack, decision_id)
    assert sorted(g["nomination"] for g in grants) == sorted([first["id"], second["id"]])
    desk.reload()
    assert desk.locator("table.grants tbody tr").count() == 2
    axe(desk)
    screenshot(desk, "4-quyet-dinh")
    approver.close()


def test_a_vote_never_reveals_how_anyone_voted(stack: Stack, page: Page) -> None:
    # Given a secret-ballot council over a nomination, another member having voted against
    n = nominated(stack, "dv-kin-1", "Lục Văn Tài")
    convened(stack, "hd-kin-bi-mat", [n["id"]], secret=True)
    vote(stack, "hd-kin-bi-mat", n["id"], "tv-nga", "no")
    # When the council member votes "Không đồng ý"
    sign_in(page, stack, "council")
    open_council(page, stack, "hd-kin-bi-mat")
    page.get_by_role("link", name="Lục Văn Tài").click()
    page.get_by_label("Không đồng ý").check()
    page.get_by_role("button", name="Gửi phiếu").click()
    # Then neither the agenda nor the nomination's page says how anyone voted: only that they did
    assert page.get_by_role("status").inner_text() == "Đã ghi nhận phiếu của bạn."
    pages = [page.content()]
    page.goto(stack.url + f"/f/{FEDERATION}/councils/hd-kin-bi-mat/n/{n['id']}")
    assert "Bạn đã bỏ phiếu về đề nghị này. Phiếu kín" in page.locator("main").inner_text()
    assert page.locator("input[type=radio]").count() == 0
    pages.append(page.content())
    # nor staff's pages before the council resolves
    page.context.clear_cookies()
    sign_in(page, stack, "federation-staff")
    for path in ("", "/resolve"):
        page.goto(stack.url + f"/f/{FEDERATION}/councils/hd-kin-bi-mat{path}")
        assert "2/3" in page.locator("main").inner_text()
        pages.append(page.content())
    for html in pages:
        for word in CHOICE_WORDS:
            assert word not in html, word
    # and awards' answer holds who voted, never a choice
    body = stack.get("awards", f"{BASE}/councils/hd-kin-bi-mat").json()
    assert "choices" not in body and sorted(body["voted"][n["id"]]) == [COUNCIL_USER, "tv-nga"]


def test_a_member_steps_aside_from_a_nomination_with_a_reason(stack: Stack, page: Page) -> None:
    # Given a council over a nomination
    n = nominated(stack, "dv-rut-1", "Bế Văn Thắng")
    convened(stack, "hd-rut", [n["id"]], secret=False)
    sign_in(page, stack, "council")
    open_council(page, stack, "hd-rut")
    page.get_by_role("link", name="Bế Văn Thắng").click()
    # When the member asks to step aside without a reason
    page.get_by_role("button", name="Xin không tham gia biểu quyết").click()
    # Then the reason is asked for beside its field, and nothing is recorded
    assert "Nhập lý do" in page.locator("#e-reason").inner_text()
    assert page.locator(".error-summary a[href='#f-reason']").count() == 1
    assert stack.get("awards", f"{BASE}/councils/hd-rut").json()["recusals"] == []
    axe(page)
    # When with a reason
    page.fill("#f-reason", "Là anh ruột của người được đề nghị")
    page.get_by_role("button", name="Xin không tham gia biểu quyết").click()
    # Then the member is recused from it and can no longer vote on it
    assert "không tham gia biểu quyết" in page.get_by_role("status").inner_text()
    assert "Không tham gia" in page.locator("table.agenda tbody").inner_text()
    recusals = stack.get("awards", f"{BASE}/councils/hd-rut").json()["recusals"]
    assert recusals == [{"user": COUNCIL_USER, "nomination": n["id"]}]
    page.goto(stack.url + f"/f/{FEDERATION}/councils/hd-rut/n/{n['id']}")
    assert page.get_by_role("button", name="Gửi phiếu").count() == 0


def test_the_tally_is_shown_only_once_the_council_resolved(stack: Stack, page: Page) -> None:
    # Given an open-ballot council with its votes cast
    n = nominated(stack, "dv-kq-1", "Hà Thị Liên")
    convened(stack, "hd-ket-qua", [n["id"]], secret=False)
    for user, choice in ((COUNCIL_USER, "yes"), ("tv-hung", "no"), ("tv-nga", "abstain")):
        vote(stack, "hd-ket-qua", n["id"], user, choice)
    sign_in(page, stack, "council")
    open_council(page, stack, "hd-ket-qua")
    assert page.locator("table.results").count() == 0  # not yet
    # When staff resolve it
    stack.post("awards", f"{BASE}/councils/hd-ket-qua:resolve", {}, expect=200)
    page.reload()
    # Then the member sees each count and the result (1 of 3 is not more than half)
    cells = page.locator("table.results tbody tr").first.locator("td").all_inner_texts()
    assert cells[1:5] == ["1", "1", "1", "3"] and cells[5] == "trên 50 %"
    assert cells[6] == "Hội đồng không thông qua"
    axe(page)


def test_a_ballot_key_is_asked_for_by_an_awards_service_with_another_kek(stack: Stack, page: Page) -> None:
    # Given a secret-ballot council whose key the convener kept, and awards restarted under
    # another key-encryption key (the stored key, wrapped under the first, does not open)
    n = nominated(stack, "dv-khoa-1", "Đàm Văn Lực")
    created = convened(stack, "hd-khoa", [n["id"]], secret=True)
    vote(stack, "hd-khoa", n["id"], COUNCIL_USER, "yes")
    awards = stack.services["awards"]
    kek = awards.env.get("TDKT_BALLOT_KEK")
    awards.stop()
    awards.env["TDKT_BALLOT_KEK"] = "another deployment's passphrase"
    awards.start()
    try:
        # When staff go to resolve it
        sign_in(page, stack, "federation-staff")
        page.goto(stack.url + f"/f/{FEDERATION}/councils/hd-khoa/resolve")
        # Then the key is asked for; a wrong one is refused beside the field; the right one resolves
        assert page.locator("#f-ballot_secret").count() == 1
        axe(page)
        page.fill("#f-ballot_secret", "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----")
        page.get_by_role("button", name="Kết thúc biểu quyết và công bố kết quả").click()
        assert "Khóa" in page.locator("#e-ballot_secret").inner_text()
        page.fill("#f-ballot_secret", created["ballot_secret"])
        page.get_by_role("button", name="Kết thúc biểu quyết và công bố kết quả").click()
        assert "Hội đồng đã kết thúc biểu quyết" in page.get_by_role("status").inner_text()
        cells = page.locator("table.results tbody tr").first.locator("td").all_inner_texts()
        assert cells[1:5] == ["1", "0", "0", "3"]  # the sealed ballot opened with the key
    finally:
        awards.stop()
        if kek is None:
            awards.env.pop("TDKT_BALLOT_KEK", None)
        else:
            awards.env["TDKT_BALLOT_KEK"] = kek
        awards.start()


def test_a_secret_ballot_resolves_without_its_key_after_the_awards_service_restarted(
    stack: Stack, page: Page
) -> None:
    # Given a secret-ballot council voted on, and awards restarted since (same key-encryption key)
    n = nominated(stack, "dv-khoa-2", "Lò Văn Quý")
    convened(stack, "hd-khoa-2", [n["id"]], secret=True)
    vote(stack, "hd-khoa-2", n["id"], COUNCIL_USER, "no")
    stack.services["awards"].stop()
    stack.services["awards"].start()
    # When staff resolve it
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/councils/hd-khoa-2/resolve")
    # Then no key is asked for: the council's stored key opens the sealed ballot
    assert page.locator("#f-ballot_secret").count() == 0
    page.get_by_role("button", name="Kết thúc biểu quyết và công bố kết quả").click()
    assert "Hội đồng đã kết thúc biểu quyết" in page.get_by_role("status").inner_text()
    cells = page.locator("table.results tbody tr").first.locator("td").all_inner_texts()
    assert cells[1:5] == ["0", "1", "0", "3"]


def test_council_pages_are_not_found_outside_the_members_scope(stack: Stack, page: Page) -> None:
    # Given a council the development council member does not sit on
    n = nominated(stack, "dv-ngoai-1", "Vi Thị Hằng")
    others = [{"user": "tv-hung", "name": "Lương Văn Hùng"}]
    convened(stack, "hd-khac", [n["id"]], secret=False, members=others)
    sign_in(page, stack, "council")
    # Then typed URLs of it, of another federation's councils and of missing ones answer not found
    for path in (
        f"/f/{FEDERATION}/councils/hd-khac",
        f"/f/{FEDERATION}/councils/hd-khac/n/{n['id']}",
        f"/f/{OTHER}/councils",
        f"/f/{FEDERATION}/councils/khong-co",
        f"/f/{FEDERATION}/councils/new",
        f"/f/{FEDERATION}/decisions",
    ):
        response = page.goto(stack.url + path)
        assert response is not None and response.status == 404, path
        assert page.locator("h1").inner_text() == "Không tìm thấy trang"
    page.goto(stack.url + f"/f/{FEDERATION}/councils?year={YEAR}")
    assert page.get_by_role("link", name="Hội đồng hd-khac").count() == 0
