"""The playbook: complete entries, lawful advice, sensible choices for hand-written households, and the pages it makes."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from generator import pipeline
from generator.content.playbook import (
    PLACEHOLDERS,
    PLAYBOOK_DIR,
    facts,
    load_playbook,
    match_segments,
    match_tactics,
    script_values,
)
from generator.core.model import REASONS
from generator.site.build import PROJECT_DIR, SiteBuildError, SiteInputs, pages
from tests.community import fixture_policy
from tests.legaltext import REFERENCE, REPEALED_LAWS
from tests.sitebuild import build
from tests.support import DEMO_AS_OF

# Suggestions that may only appear as warnings in the do-not list.
FORBIDDEN = ("停水", "停电", "断水", "断电", "停气", "断气", "停暖", "断绝", "曝光", "工作单位", "用人单位", "单位领导")
STAGE_CHANNELS = {
    "reminder": ("sms", "wechat"), "call": ("phone", "visit"), "notice": ("letter", "registered_mail"),
    "lawyer": ("lawyer_letter",), "legal": ("court",),
}


@pytest.fixture(scope="module")
def book():
    return load_playbook()


# -- the data ----------------------------------------------------------------------

def test_project_playbook_loads_without_problems(book):
    assert [p.render() for p in book.errors] == []
    assert book.problems == ()


def test_every_tactic_has_a_target_two_scripts_steps_risks_records_and_laws(book):
    assert len(book.tactics) >= 12
    for t in book.tactics:
        assert t.fits and not any(f.empty for f in t.fits), t.id
        assert len(t.scripts) >= 2, t.id
        assert t.steps and t.risks and t.record and t.laws and t.summary, t.id


def test_the_material_s_tactics_are_all_there(book):
    ids = {t.id for t in book.tactics}
    for wanted in ("timely-reminder", "fix-a-date", "honest-appeal", "trace-owner", "side-with-owner", "win-back",
                   "team-sightings", "formal-letter", "lawyer-letter", "installment-plan", "payment-order", "lawsuit"):
        assert wanted in ids


def test_every_legal_link_resolves_to_an_article(book):
    for holder in (*book.stages, *book.tactics, *book.reasons, *book.donts):
        assert holder.laws, holder.id
        for article_id in holder.laws:
            assert book.legal.has(article_id), (holder.id, article_id)


def test_every_tactic_reference_resolves(book):
    ids = {t.id for t in book.tactics}
    for holder in (*book.stages, *book.segments, *book.reasons):
        assert set(holder.tactics) <= ids, holder.id


def test_every_policy_stage_of_the_spec_and_every_reason_has_a_guide(book):
    assert [g.id for g in book.stages] == list(STAGE_CHANNELS)
    assert sorted(r.id for r in book.reasons) == sorted(REASONS)


def test_stages_of_other_communities_map_by_channel(book):
    def stage(channels, sid="custom"):
        return SimpleNamespace(id=sid, name="本小区阶段", channels=channels)

    assert book.guide_for(stage(("letter",))).id == "notice"
    assert book.guide_for(stage(("sms", "phone"))).id == "call"
    assert book.guide_for(stage(("wechat",))).id == "reminder"
    assert book.guide_for(stage(("court", "lawyer_letter"))).id == "legal"
    assert book.guide_for(stage(("other",))) is None
    assert book.guide_for(stage(("sms",), sid="notice")).id == "notice"  # the same id wins
    assert book.guide_for(None) is None


def test_the_year_is_covered_month_by_month(book):
    months = [m for p in book.periods for m in p.months]
    assert sorted(months) == list(range(1, 13))
    assert book.period_for(12).id == "year-end"
    assert book.monthly


def test_segments_cover_the_owner_kinds_the_material_names(book):
    names = "".join(s.name for s in book.segments)
    for word in ("高层", "洋房", "别墅", "商铺", "空置", "出租", "老年"):
        assert word in names


def test_scripts_use_only_known_placeholders(book):
    for t in book.tactics:
        for s in t.scripts:
            assert set(re.findall(r"\{([^{}]*)\}", s.text)) <= set(PLACEHOLDERS), t.id
            assert "{" not in s.blank and "{" not in s.fill({p: "x" for p in PLACEHOLDERS})


def _texts(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _texts(v)
    elif isinstance(value, list):
        for v in value:
            yield from _texts(v)


def _data_files():
    return sorted((PROJECT_DIR / PLAYBOOK_DIR).glob("*.yaml"))


def test_forbidden_suggestions_appear_only_in_the_do_not_list():
    for path in _data_files():
        if path.name == "donts.yaml":
            continue
        text = "\n".join(_texts(yaml.safe_load(path.read_text(encoding="utf-8"))))
        for word in FORBIDDEN:
            assert word not in text, (path.name, word)
    text = (PROJECT_DIR / PLAYBOOK_DIR / "donts.yaml").read_text(encoding="utf-8")
    for word in ("停水", "停电", "曝光", "工作单位"):
        assert word in text
    assert not any(w in (PROJECT_DIR / PLAYBOOK_DIR / "index.md").read_text(encoding="utf-8") for w in FORBIDDEN)


def test_the_do_not_list_names_the_law_for_each_warning(book):
    ids = {d.id for d in book.donts}
    assert {"cut-utilities", "public-shaming", "contact-employer", "deceive", "threaten-time-barred"} <= ids
    cut = next(d for d in book.donts if d.id == "cut-utilities")
    assert "civil-code-944" in cut.laws
    shaming = next(d for d in book.donts if d.id == "public-shaming")
    assert "pipl-25" in shaming.laws


def test_no_playbook_text_cites_a_repealed_law():
    for path in [*_data_files(), PROJECT_DIR / PLAYBOOK_DIR / "index.md"]:
        text = path.read_text(encoding="utf-8")
        for name in REPEALED_LAWS:
            assert name not in text, (path.name, name)


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="reference material not on this machine")
def test_playbook_text_is_written_anew():
    """No run of 14 characters is taken over from the training material or the statute texts."""
    sources = [*REFERENCE.glob("*.txt"), *REFERENCE.glob("law/*.md")]
    material = re.sub(r"\s+", "", "".join(p.read_text(encoding="utf-8") for p in sources))
    n = 14
    grams = {material[i:i + n] for i in range(len(material) - n + 1)}
    for path in [*_data_files(), PROJECT_DIR / PLAYBOOK_DIR / "index.md"]:
        ours = re.sub(r"《[^》]*》", "|", re.sub(r"\s+", "", path.read_text(encoding="utf-8")))  # titles may be quoted
        copied = {ours[i:i + n] for i in range(len(ours) - n + 1)} & grams
        assert not copied, (path.name, sorted(copied)[:3])


# -- the matcher, on hand-written households ---------------------------------------

OLDEST_DUE = date(2025, 1, 15)


def household(stage=None, reasons=(), last_outcome=None, tags=(), occupancy="self", unit_type="高层", broken=0,
              plan=None, limitation=("ok",), days=40, late_fee="0.00", outstanding="1200.00", channels=None,
              contacted=(), barred="0.00", serviced=()):
    """A UnitState-like record with just what the matcher and the script values read.

    ``contacted``: channels of demands that reached the owner after the oldest unpaid due date;
    ``serviced``: channels of repair or follow-up contacts (``purpose: service``) after it;
    ``limitation``: the statuses of the unpaid overdue charges.
    """
    stage_record = None
    if stage is not None:
        stage_record = SimpleNamespace(id=stage, name=f"阶段{stage}", channels=channels or STAGE_CHANNELS.get(stage, ("other",)))
    contacts = [SimpleNamespace(channel=ch, outcome="delivered", date=date(2025, 6, 1 + i), purpose="demand") for i, ch in enumerate(contacted)]
    contacts += [SimpleNamespace(channel=ch, outcome="reached", date=date(2025, 7, 1 + i), purpose="service") for i, ch in enumerate(serviced)]
    if last_outcome:
        contacts.append(SimpleNamespace(channel="phone", outcome=last_outcome, date=date(2025, 9, 1), purpose="demand"))
    plan_state = None
    if plan:
        plan_state = SimpleNamespace(status=plan, next_installment=(date(2026, 12, 1), Decimal("500.00")),
                                     due_so_far=Decimal("1500.00"), paid=Decimal("1000.00") if plan == "behind" else Decimal("1500.00"))
    charges = tuple(SimpleNamespace(limitation_status=s) for s in limitation)
    return SimpleNamespace(
        stage=stage_record, reasons=tuple(reasons), contacts=tuple(contacts), oldest_due=OLDEST_DUE,
        unit=SimpleNamespace(id="9-9-909", tags=tuple(tags), occupancy=occupancy, type=unit_type, owners=(SimpleNamespace(name="王丽"),)),
        broken_promises=broken, plan=plan_state, promises=(), charges=charges,
        limitation=SimpleNamespace(expired_amount=Decimal(barred)),
        days_overdue=days, late_fee=Decimal(late_fee), outstanding=Decimal(outstanding),
    )


POLICY_LIKE = SimpleNamespace(community="手册花园", issuer=SimpleNamespace(name="手册花园业主委员会", phone="0571-11111111"))


def first_script(state, book, tactic_id=None):
    """The script a unit page shows first (of the best match, or of the named tactic), filled in."""
    matches = match_tactics(state, book)
    match = matches[0] if tactic_id is None else next(m for m in matches if m.tactic.id == tactic_id)
    return match, match.script.fill(script_values(state, POLICY_LIKE))


# (household, expected first choice, tactics that must be offered, tactics that must not)
HOUSEHOLDS = {
    "just overdue, nothing known": (household(stage="reminder", days=5), "timely-reminder", [], ["lawyer-letter", "honest-appeal"]),
    "promised and did not pay": (household(stage="call", reasons=["forgot"], broken=1), "fix-a-date", ["honest-appeal", "timely-reminder"], ["lawsuit"]),
    "letters come back from a vacant flat": (household(stage="notice", last_outcome="returned", occupancy="vacant"), "trace-owner", ["vacant-care", "formal-letter"], ["team-sightings", "fix-a-date"]),
    "leaking roof at the lawyer stage": (household(stage="lawyer", reasons=["housing_defect"], days=200, contacted=["letter", "registered_mail"]), "side-with-owner", ["lawyer-letter"], ["payment-order"]),
    "lawyer stage without a written notice yet": (household(stage="lawyer", reasons=["refuses"], days=200), "formal-letter", [], ["lawyer-letter"]),
    "lawyer letter already sent": (household(stage="lawyer", reasons=["refuses"], days=200, contacted=["letter", "lawyer_letter"]), "formal-letter", [], ["lawyer-letter"]),
    "refuses at the court stage": (household(stage="legal", reasons=["refuses"], days=400, late_fee="50.00", contacted=["letter", "lawyer_letter"]), "payment-order", ["lawsuit"], ["waiver-for-settlement", "timely-reminder", "lawyer-letter"]),
    "suit pending over a complaint": (household(stage="legal", reasons=["service_complaint"], days=800, contacted=["lawyer_letter", "court"]), "lawsuit", ["win-back"], ["lawyer-letter", "payment-order", "escalate-resources"]),
    "disputes quality at the court stage": (household(stage="legal", reasons=["housing_defect"], days=400), "side-with-owner", ["lawsuit"], ["payment-order"]),
    "cannot be served at the court stage": (household(stage="legal", reasons=["unreachable"], days=400), "trace-owner", ["lawsuit"], ["payment-order"]),
    "limitation about to run out": (household(stage="call", limitation=("ok", "warning")), "limitation-rescue", ["timely-reminder"], []),
    "everything time-barred": (household(stage="legal", reasons=["refuses"], limitation=("expired",), days=1500), "expired-goodwill", [], ["lawyer-letter", "lawsuit", "payment-order", "formal-letter"]),
    "partly time-barred": (household(stage="legal", limitation=("expired", "ok"), days=1500), "expired-goodwill", ["lawsuit", "payment-order"], []),
    "hardship and a plan in arrears": (household(stage="notice", reasons=["hardship"], plan="behind"), "installment-plan", ["formal-letter"], []),
    "plan kept on time": (household(stage="lawyer", reasons=["hardship"], broken=1, plan="on_track", days=200, contacted=["letter"]), "timely-reminder", [], ["lawyer-letter", "formal-letter", "fix-a-date", "installment-plan"]),
    "plan fallen behind": (household(stage="notice", reasons=["forgot"], broken=1, plan="behind", days=200), "installment-plan", ["fix-a-date"], ["timely-reminder"]),
    "shop moving out with large arrears": (household(stage="legal", unit_type="商铺", tags=["有撤场迹象"], reasons=["hardship"], days=300), "asset-preservation", ["shop-support", "lawsuit"], []),
    "elderly owner just overdue": (household(stage="reminder", tags=["老人"], days=5), "easy-payment", ["timely-reminder"], []),
    "tenant did not pay": (household(stage="notice", reasons=["rented_out"], occupancy="rented"), "tenant-relay", ["formal-letter"], []),
    "offended owner": (household(stage="notice", reasons=["service_complaint", "housing_defect"]), "win-back", ["side-with-owner"], []),
    "defect reported last": (household(stage="notice", reasons=["housing_defect", "service_complaint"]), "side-with-owner", ["win-back"], []),
    "busy owner never home": (household(stage="call", tags=["常出差"], days=20), "team-sightings", ["timely-reminder"], []),
    "prefers plain talk": (household(stage="call", reasons=["forgot"], tags=["希望直接沟通"], days=60), "fix-a-date", [], ["honest-appeal"]),
    "struggling shop": (household(stage="notice", reasons=["hardship"], unit_type="商铺"), "shop-support", ["installment-plan"], []),
    "haggling with a late fee": (household(stage="notice", reasons=["other"], late_fee="80.00"), "waiver-for-settlement", ["honest-appeal", "formal-letter"], []),
    "haggling without a late fee": (household(stage="notice", reasons=["other"]), "honest-appeal", ["formal-letter"], ["waiver-for-settlement"]),
    "a letter stage under another name": (household(stage="cuijiao-han", channels=("letter",)), "formal-letter", [], []),
}


@pytest.mark.parametrize("name", list(HOUSEHOLDS))
def test_matcher_choices_for_hand_written_households(book, name):
    state, first, offered, refused = HOUSEHOLDS[name]
    chosen = [m.tactic.id for m in match_tactics(state, book)]
    assert chosen and chosen[0] == first, chosen
    for tactic_id in offered:
        assert tactic_id in chosen, (tactic_id, chosen)
    for tactic_id in refused:
        assert tactic_id not in chosen, (tactic_id, chosen)


def test_matches_come_best_first_with_chinese_reasons(book):
    matches = match_tactics(household(stage="lawyer", reasons=["housing_defect"], days=200, contacted=["letter"]), book)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert matches[0].why == "欠费原因“房屋质量问题”（最近一次记录）"
    assert "当前阶段：阶段lawyer" in next(m.why for m in matches if m.tactic.id == "lawyer-letter")


def test_why_names_a_failed_contact_and_a_custom_stage(book):
    returned = match_tactics(household(stage="notice", last_outcome="returned"), book)
    assert returned[0].why == "最近一次联系结果为“被退回”"
    custom = match_tactics(household(stage="cuijiao-han", channels=("letter",)), book)
    assert custom[0].why == "当前阶段：阶段cuijiao-han"
    assert facts(household(stage="cuijiao-han", channels=("letter",)), book).stages == ("cuijiao-han", "notice")


# -- the scripts a unit page shows ---------------------------------------------------

ESCALATION = ("lawyer-letter", "payment-order", "lawsuit", "waiver-for-settlement", "limitation-rescue", "installment-plan")


def test_escalation_scripts_ask_only_for_the_amount_within_limitation(book):
    for tactic_id in ESCALATION:
        for s in book.tactic(tactic_id).scripts:
            assert "{欠费}" not in s.text, (tactic_id, s.title)


def test_where_part_is_time_barred_the_shown_script_says_so_and_asks_only_for_the_rest(book):
    cases = {
        "lawyer-letter": household(stage="lawyer", limitation=("expired", "ok"), barred="600.00", days=1500, contacted=["letter"]),
        "payment-order": household(stage="legal", limitation=("expired", "ok"), barred="600.00", days=1500, contacted=["lawyer_letter"]),
        "lawsuit": household(stage="legal", limitation=("expired", "ok"), barred="600.00", days=1500, contacted=["lawyer_letter"]),
        "waiver-for-settlement": household(stage="notice", reasons=["other"], late_fee="80.00", limitation=("ok", "expired"), barred="600.00"),
        "limitation-rescue": household(stage="notice", limitation=("warning", "expired"), barred="600.00", days=1100),
        "installment-plan": household(stage="notice", reasons=["hardship"], limitation=("ok", "expired"), barred="600.00"),
    }
    for tactic_id, state in cases.items():
        _match, text = first_script(state, book, tactic_id)
        assert "600.00 元" in text and "超过诉讼时效" in text, (tactic_id, text)
        assert "1,200.00" not in text and "〔" not in text, (tactic_id, text)  # only the 600.00 still within limitation is asked for


def test_the_limitation_rescue_script_demands_payment_and_never_asks_to_confirm_a_total(book):
    for s in book.tactic("limitation-rescue").scripts:
        assert "已核对" not in s.text
    _match, text = first_script(household(stage="notice", limitation=("warning",)), book, "limitation-rescue")
    assert "请您尽快缴纳" in text and "1,200.00 元物业费逾期未缴" in text


def test_a_pending_court_case_picks_the_in_court_script(book):
    match, text = first_script(household(stage="legal", reasons=["refuses"], days=800, contacted=["lawyer_letter", "court"]), book, "lawsuit")
    assert match.script.title == "已经进入法院程序后" and "起诉之前" not in text
    match, text = first_script(household(stage="legal", reasons=["refuses"], days=800, contacted=["lawyer_letter"]), book, "lawsuit")
    assert "在起诉之前" in text


def test_a_plan_on_track_is_reminded_of_its_next_installment(book):
    match, text = first_script(household(stage="lawyer", reasons=["hardship"], plan="on_track", days=200), book)
    assert match.tactic.id == "timely-reminder"
    assert "下一期 500.00 元请在 12月1日 前缴纳" in text and "1,200.00" not in text
    assert all("on_track" not in (s.unless.plan if s.unless else ()) for s in match.tactic.scripts)


def test_a_plan_behind_gets_the_behind_script_not_a_new_plan(book):
    match, text = first_script(household(stage="notice", reasons=["hardship"], plan="behind"), book, "installment-plan")
    assert match.script.title == "分期逾期时" and "500.00 元没有收到" in text
    assert all("签个分期协议" not in s.text for s in match.tactic.scripts)


def test_scripts_with_facts_to_fill_in_are_never_shown_first_when_a_ready_one_holds(book):
    for t in book.tactics:
        assert any(s.ready for s in t.scripts), t.id
    for state in [h for h, *_ in HOUSEHOLDS.values()]:
        for match in match_tactics(state, book):
            ready = [s for s in match.tactic.scripts if s.ready]
            assert not ready or match.script.ready, (match.tactic.id, match.script.title)
            assert match.ready == match.script.ready


def test_scripts_state_no_invented_facts(book):
    invented = ("前两天报修了下水道", "门口排水问题已经修好了", "漏水的情况我们都看到了", "会上同意", "昨晚暴雨", "业委会同意：", "这周末在中心花园")
    for t in book.tactics:
        for s in t.scripts:
            for words in invented:
                assert words not in s.text, (t.id, s.title, words)
    for s in book.tactic("easy-payment").scripts + book.tactic("vacant-care").scripts:
        assert "这一期" not in s.text and "本期未缴" not in s.text and "本期 {" not in s.text


def test_the_in_period_amount_leaves_out_what_is_barred(book):
    values = script_values(household(outstanding="1800.00", barred="600.00", limitation=("expired", "ok")), POLICY_LIKE)
    assert values["欠费"] == "1,800.00" and values["时效内欠费"] == "1,200.00" and values["已过时效欠费"] == "600.00"
    values = script_values(household(), POLICY_LIKE)
    assert values["已过时效欠费"] == "" and values["下期金额"] == ""


def test_units_without_arrears_get_no_tactics(book):
    assert match_tactics(household(stage=None, outstanding="0.00", limitation=()), book) == ()


def test_segments_follow_type_occupancy_and_tags(book):
    ids = [s.id for s in match_segments(household(unit_type="别墅", occupancy="rented", tags=["老人"]), book)]
    assert ids == ["villa", "rented", "elderly"]


# -- a small community through the whole pipeline and the site ----------------------

POLICY = fixture_policy(
    community="手册花园",
    issuer='{name: 手册花园业主委员会, address: 手册路1号, phone: "0571-11111111"}',
    fees='\n  - {id: property, name: 物业服务费, basis: area, rate: {高层: "2.00", 别墅: "3.00"}, cycle: 3, due_day: 15}',
)

OWNERS = {
    "1-1-101": """\
unit: 1-1-101
type: 高层
area: "100.00"
billing_start: 2025-01-01
owners: [{name: 漏水业主, phone: "13800000001"}]
contacts:
  - {date: 2026-03-02, channel: phone, by: 张敏, outcome: disputed, reason: housing_defect, evidence: 录音0302.m4a}
""",
    "1-1-102": """\
unit: 1-1-102
type: 高层
area: "80.00"
billing_start: 2026-11-10
owners: [{name: 老年业主, phone: "13800000002"}]
tags: [老人]
""",
    "1-1-103": """\
unit: 1-1-103
type: 高层
area: "80.00"
billing_start: 2026-10-01
owners: [{name: 按时业主, phone: "13800000003"}]
""",
    "V01": """\
unit: V01
type: 别墅
area: "300.00"
billing_start: 2022-01-01
occupancy: vacant
owners: [{name: 别墅业主, phone: "13800000004"}]
contacts:
  - {date: 2023-02-01, channel: registered_mail, by: 张敏, outcome: returned, evidence: EMS1234}
""",
}
PAYMENTS = """\
payments:
  - {unit: 1-1-103, date: 2026-11-01, amount: "2000.00", method: wechat, receipt: R1}
"""


def make_community(root: Path) -> Path:
    (root / "ledger").mkdir(parents=True)
    (root / "owners").mkdir()
    (root / "ledger" / "policy.yaml").write_text(POLICY, encoding="utf-8")
    (root / "ledger" / "payments.yaml").write_text(PAYMENTS, encoding="utf-8")
    for unit, text in OWNERS.items():
        (root / "owners" / f"{unit}.yaml").write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = make_community(tmp_path_factory.mktemp("pb") / "c")
    desk, published = build(root, root.parent / "out", as_of=DEMO_AS_OF)
    return desk, published.path


def test_real_unit_states_get_the_expected_first_choice(site, book):
    desk, _ = site
    first = {s.unit.id: (match_tactics(s, book) or [None])[0] for s in desk.units}
    assert first["1-1-101"].tactic.id == "side-with-owner"
    assert first["1-1-102"].tactic.id == "easy-payment"
    assert first["1-1-103"] is None  # paid ahead
    # V01's oldest fees are time-barred and the 2024 ones run out within the warning window:
    # saving what is still alive comes first, then the honest talk about the rest
    v01 = [m.tactic.id for m in match_tactics(desk.unit("V01"), book)]
    assert v01[:2] == ["limitation-rescue", "expired-goodwill"]
    assert "trace-owner" in v01 and "vacant-care" in v01  # the letter came back from a vacant villa
    assert "lawyer-letter" not in v01  # only at the notice stage: never two notices delivered


def test_unit_page_shows_fitting_tactics_best_first_with_the_script_filled(site, book):
    desk, out = site
    state = desk.unit("1-1-101")
    html = (out / "units" / "1-1-101.html").read_text(encoding="utf-8")
    shown = re.findall(r'data-tactic="([^"]+)"', html)
    assert shown == [m.tactic.id for m in match_tactics(state, book)][:3]
    first = match_tactics(state, book)[0].tactic
    script = first.scripts[0].fill(script_values(state, desk.policy))
    assert script in html
    assert "欠费原因“房屋质量问题”（最近一次记录）" in html
    assert 'href="../playbook/tactics.html#side-with-owner"' in html
    assert 'href="../legal.html#civil-code-944"' in html
    assert "data-tactic" not in (out / "units" / "1-1-103.html").read_text(encoding="utf-8")


def test_filled_scripts_use_the_unit_s_own_numbers(site):
    desk, _ = site
    values = script_values(desk.unit("1-1-101"), desk.policy)
    assert values["房号"] == "1-1-101" and values["小区"] == "手册花园" and values["电话"] == "0571-11111111"
    assert values["欠费"] == "4,800.00" and values["时效内欠费"] == "4,800.00"


def _generated_pages(out: Path) -> list[Path]:
    return [out / "legal.html", *sorted((out / "playbook").glob("*.html")), *sorted((out / "units").glob("*.html"))]


def _main(html: str) -> str:
    """The page's own content, without the navigation and the table of contents."""
    found = re.search(r'<article class="md-content__inner[^"]*">(.*?)</article>', html, re.S)
    return found.group(1) if found else html


def test_pages_never_cite_a_repealed_law_outside_the_outdated_list(site):
    _, out = site
    for page in _generated_pages(out):
        html = _main(page.read_text(encoding="utf-8"))
        if page.name == "legal.html":
            current, outdated = html.split('id="repealed"', 1)
            for name in REPEALED_LAWS:
                assert name in outdated
            html = current
        for name in REPEALED_LAWS:
            assert name not in html, (page.name, name)


def test_forbidden_suggestions_appear_only_on_the_do_not_page(site):
    _, out = site
    for page in _generated_pages(out):
        html = _main(page.read_text(encoding="utf-8"))
        if page.name == "donts.html" and page.parent.name == "playbook":
            assert "停水" in html and "曝光" in html and "工作单位" in html
            continue
        for word in FORBIDDEN:
            assert word not in html, (page.relative_to(out), word)


def test_every_playbook_and_legal_link_resolves_to_an_anchor(site):
    _, out = site
    ids: dict[Path, set[str]] = {}
    checked = 0
    for page in _generated_pages(out):
        html = page.read_text(encoding="utf-8")
        for href in re.findall(r'href="([^"#]*(?:legal|playbook/[a-z]+)\.html)#([^"]+)"', html):
            target = (page.parent / href[0]).resolve()
            assert target.is_file(), (page, href)
            if target not in ids:
                ids[target] = set(re.findall(r'id="([^"]+)"', target.read_text(encoding="utf-8")))
            assert href[1] in ids[target], (page.relative_to(out), href)
            checked += 1
        for href in re.findall(r'href="#([^"]+)"', _main(html)):
            assert href in set(re.findall(r'id="([^"]+)"', html)), (page.relative_to(out), href)
    assert checked > 100


def test_legal_page_lists_every_article_with_its_anchor(site, book):
    _, out = site
    html = (out / "legal.html").read_text(encoding="utf-8")
    for article in book.legal.articles:
        assert f'id="{article.id}"' in html
    for entry in book.legal.repealed:
        assert entry.article in html


def test_playbook_pages_are_in_the_navigation(site):
    _, out = site
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "催收手册" in html and 'href="legal.html"' in html
    for page in ("index", "stages", "tactics", "segments", "reasons", "calendar", "donts"):
        assert (out / "playbook" / f"{page}.html").is_file()


# -- community overrides -------------------------------------------------------------

def _with_override(root: Path, name: str, text: str) -> Path:
    folder = root / PLAYBOOK_DIR
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return root


OWN_TACTICS = """\
tactics:
  - id: timely-reminder
    name: 本小区的提醒办法
    summary: 本小区自己的说法。
    fits: {stages: [reminder]}
    steps: [按楼栋长名单逐户提醒。]
    scripts:
      - {title: 短信, text: "{业主}您好，{房号}物业费未缴 {欠费} 元。"}
      - {title: 电话, text: "{业主}您好，我是楼栋长。"}
    record: [记一笔 contacts。]
    risks: [不要群发。]
    laws: [civil-code-944]
  - id: building-captain
    name: 请楼栋长上门
    summary: 本小区新增的招数。
    fits: {tags: [老人]}
    priority: 50
    steps: [楼栋长上门。]
    scripts:
      - {title: 上门, text: "{业主}您好。"}
      - {title: 电话, text: "{业主}您好，我是楼栋长。"}
    record: [记一笔 visit。]
    risks: [两人同行。]
    laws: [civil-code-944]
"""


def test_a_community_can_replace_and_add_tactics_by_id(tmp_path):
    root = _with_override(tmp_path, "tactics.yaml", OWN_TACTICS)
    own = load_playbook(root)
    assert own.errors == []
    ids = [t.id for t in own.tactics]
    assert ids[0] == "timely-reminder" and ids[-1] == "building-captain"
    assert own.tactic("timely-reminder").name == "本小区的提醒办法"
    assert len(ids) == len(load_playbook().tactics) + 1
    chosen = match_tactics(household(stage="reminder", tags=["老人"], days=5), own)
    assert chosen[0].tactic.id == "building-captain"


def test_a_broken_community_playbook_fails_check_and_the_site_with_file_line_and_column(tmp_path):
    root = make_community(tmp_path / "c")
    _with_override(root, "tactics.yaml", """\
tactics:
  - id: empty-target
    name: 没有目标的招数
    summary: x
    fits: {}
    steps: [x]
    scripts:
      - {title: a, text: "{姓名}您好"}
    record: [x]
    risks: [x]
    laws: [contract-law-107]
""")
    checked = pipeline.check(root, DEMO_AS_OF, DEMO_AS_OF, use_cache=False)
    assert any(p.render().startswith(f"{PLAYBOOK_DIR}/tactics.yaml:5:11: 错误") for p in checked.errors)
    desk = pipeline.desk_for(pipeline.Checked(checked.ledger, ()), DEMO_AS_OF)
    with pytest.raises(SiteBuildError) as caught:
        pages(desk, SiteInputs(root, tmp_path / "work"))
    message = str(caught.value)
    assert f"{PLAYBOOK_DIR}/tactics.yaml:5:11: 错误" in message and "fits（适用条件）不能为空" in message


def test_bad_references_in_an_override_are_reported(tmp_path):
    root = _with_override(tmp_path, "donts.yaml", """\
donts:
  - id: cut-utilities
    name: 改写
    why: x
    instead: y
    laws: [contract-law-182]
""")
    problems = [p.render() for p in load_playbook(root).errors]
    assert problems == [f"{PLAYBOOK_DIR}/donts.yaml:2:5: 错误: cut-utilities 引用了法律依据里没有的条文：contract-law-182（laws 只能写 site_templates/legal/laws.yaml 里的条文 id）"]


def test_unknown_placeholders_and_single_scripts_are_refused(tmp_path):
    root = _with_override(tmp_path, "tactics.yaml", """\
tactics:
  - id: one-script
    name: 只有一段话术
    summary: x
    fits: {reasons: [forgot]}
    steps: [x]
    scripts:
      - {title: a, text: "{姓名}您好"}
    record: [x]
    risks: [x]
    laws: [civil-code-944]
""")
    problems = [p.render() for p in load_playbook(root).errors]
    assert any("未知的占位符：{姓名}" in p and ":8:9:" in p for p in problems), problems


def test_the_calendar_marks_the_current_period(site):
    _, out = site
    html = (out / "playbook" / "calendar.html").read_text(encoding="utf-8")
    assert f"今天是 {DEMO_AS_OF}" in html and "正处于“秋季回顾”" in html



def test_check_reports_errors_in_a_communitys_own_playbook(tmp_path, project, demo_as_of, cuijiao):
    """A broken override is found by `cuijiao check`, not first when the site is built."""
    import shutil

    if not (project / "owners").is_dir():
        pytest.skip("no demo community")
    root = tmp_path / "c"
    shutil.copytree(project / "ledger", root / "ledger")
    shutil.copytree(project / "owners", root / "owners")
    (root / "site_templates" / "playbook").mkdir(parents=True)
    (root / "site_templates" / "playbook" / "tactics.yaml").write_text("tactics:\n  - {id: x, nme: 1}\n", encoding="utf-8")
    result = cuijiao("check", root=root, as_of=demo_as_of)
    assert result.returncode == 1
    assert "site_templates/playbook/tactics.yaml:2:13: 错误: 催收招数里有未知的键“nme”（是不是“name”？）" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_a_first_script_with_facts_to_fill_in_is_not_offered_as_ready_to_read(tmp_path):
    root = make_community(tmp_path / "c")
    _with_override(root, "tactics.yaml", """\
tactics:
  - id: repair-follow-up
    name: 报修回访
    summary: 本小区新增的招数。
    fits: {tags: [老人]}
    priority: 99
    steps: [先查报修记录。]
    scripts:
      - {title: 上门, text: "{业主}您好，您上次报修的［具体报修事项］已经处理好了。"}
      - {title: 分期时, text: "{业主}您好，提醒您按分期协议缴费。", when: {plan: [on_track]}}
    record: [记一笔 visit。]
    risks: [事实没核实就别说。]
    laws: [civil-code-944]
""")
    desk, published = build(root, root.parent / "out", as_of=DEMO_AS_OF)
    [match] = [m for m in match_tactics(desk.unit("1-1-102"), load_playbook(root)) if m.tactic.id == "repair-follow-up"]
    assert not match.ready
    html = (published.path / "units" / "1-1-102.html").read_text(encoding="utf-8")
    assert re.findall(r'data-tactic="([^"]+)"', html)[0] == "repair-follow-up"
    assert "先把［ ］里的事实填上、核实无误再说" in html
    assert "先把［ ］里的事实填上" not in (published.path / "units" / "1-1-101.html").read_text(encoding="utf-8")


# -- v2: what a contact is, whose demand counts, door collection, consent and sensitive tags ---------

SERVICE_WORDS = re.compile(r"报修|回访|巡查|看现场|整改|答复旧事|答复投诉")
# Tag words that record health, minors or a household's vulnerability (个人信息保护法第二十八条); the
# playbook must neither match such tags nor suggest them. validate.py warns about the health and minor ones.
SENSITIVE_TAG_WORDS = ("病", "残", "瘫", "失能", "失智", "痴呆", "孕", "住院", "行动不便", "小孩", "孩子", "儿童",
                       "未成年", "婴", "幼儿", "独居")


def _playbook_texts(book):
    """(where, text) for every sentence a collector reads in the project's playbook."""
    for t in book.tactics:
        for part in ("steps", "record", "risks"):
            for line in getattr(t, part):
                yield f"{t.id}.{part}", line
        for s in t.scripts:
            yield f"{t.id}.script:{s.title}", s.text
    for g in book.stages:
        for line in (g.goal, *g.do, *g.record):
            yield f"stage {g.id}", line
    for s in book.segments:
        for line in (*s.traits, *s.approach, *s.cautions):
            yield f"segment {s.id}", line
    for r in book.reasons:
        for line in (*r.signs, *r.approach):
            yield f"reason {r.id}", line
    for p in book.periods:
        for line in (p.focus, *p.actions):
            yield f"period {p.id}", line
    for d in book.donts:
        yield f"dont {d.id}", d.why + d.instead
    index = (PROJECT_DIR / PLAYBOOK_DIR / "index.md").read_text(encoding="utf-8")
    for paragraph in re.split(r"\n(?=- |\||\n)", index):
        yield "index.md", paragraph


def test_repair_and_follow_up_visits_are_logged_as_service_not_as_demands(book):
    """A repair visit logged as 'reached' restarted an expired debt's clock: the playbook must not teach it."""
    records = [(t.id, line) for t in book.tactics for line in t.record] + [(g.id, line) for g in book.stages for line in g.record]
    about_service = [(where, line) for where, line in records if SERVICE_WORDS.search(line)]
    assert len(about_service) >= 6
    for where, line in about_service:
        assert "purpose: service" in line, (where, line)
    for where, text in _playbook_texts(book):
        assert not re.search(r"(整改|回访|报修|巡查)[^。；]*记[^。；]*outcome\s*(写|记)\s*reached", text), (where, text)
        assert "它们也是中断诉讼时效的证据" not in text, where
    index = (PROJECT_DIR / PLAYBOOK_DIR / "index.md").read_text(encoding="utf-8")
    assert "`purpose: service`" in index and "不中断诉讼时效" in index
    assert "false-records" in {d.id for d in book.donts}


def test_a_service_contact_is_no_earlier_demand_for_the_tactics(book):
    letters_only_serviced = household(stage="lawyer", reasons=["refuses"], days=200, serviced=["letter", "registered_mail"])
    assert facts(letters_only_serviced, book).contacted == frozenset()
    assert "lawyer-letter" not in [m.tactic.id for m in match_tactics(letters_only_serviced, book)]
    assert script_values(letters_only_serviced, POLICY_LIKE)["书面催告次数"] == ""
    one_demand = household(stage="lawyer", reasons=["refuses"], days=200, contacted=["letter"], serviced=["letter", "visit"])
    assert facts(one_demand, book).contacted == frozenset({"letter"})
    assert script_values(one_demand, POLICY_LIKE)["书面催告次数"] == "1"


def test_written_demands_are_counted_from_the_contact_log_by_purpose(tmp_path):
    from tests.community import Community

    c = Community(tmp_path / "c")
    c.unit("1-1-101", billing_start="2026-01-01")
    c.contact("1-1-101", "2026-03-01", "letter", "delivered", evidence="EMS1")
    c.contact("1-1-101", "2026-04-01", "letter", "delivered", evidence="EMS2", purpose="service")
    c.contact("1-1-101", "2026-05-01", "registered_mail", "delivered", evidence="EMS3")
    state = c.state("1-1-101", date(2026, 11, 22))
    assert script_values(state, POLICY_LIKE)["书面催告次数"] == "2"


def test_returned_letters_to_a_confirmed_address_and_the_form_are_taught(book):
    stages = {g.id: g for g in book.stages}
    assert any("service_address" in line for line in stages["notice"].record)
    assert any("送达地址确认书" in line for line in stages["call"].do)
    assert any("service_address" in line for line in book.tactic("formal-letter").record)
    assert any("service_address" in line for line in book.tactic("trace-owner").record)
    assert "spc-limitation-8" in stages["notice"].laws


def test_demands_for_a_company_creditor_need_its_written_authority(book):
    stages = {g.id: g for g in book.stages}
    for holder, lines in (("call", stages["call"].do), ("notice", stages["notice"].do),
                          ("formal-letter", book.tactic("formal-letter").steps), ("limitation-rescue", book.tactic("limitation-rescue").steps)):
        assert any("债权人" in line and "授权" in line for line in lines), holder
    assert "civil-code-162" in stages["notice"].laws and "civil-code-162" in book.tactic("formal-letter").laws
    assert {"no-authority", "false-records"} <= {d.id for d in book.donts}


def test_door_collection_only_with_the_creditors_authority_and_a_receipt(book):
    door = re.compile(r"上门收费|上门来收|上门收款|上门收现金|带上门")
    places = 0
    for t in book.tactics:
        texts = [*t.steps, *(s.text for s in t.scripts)]
        if any(door.search(x) for x in texts):
            places += 1
            assert any("授权" in x and "收据" in x for x in t.steps), t.id
            assert any("两人同行" in x and "收据" in x for x in t.risks), t.id
            assert "civil-code-171" in t.laws, t.id
    for where, lines in [*((s.id, s.approach) for s in book.segments), *((p.id, p.actions) for p in book.periods)]:
        for line in lines:
            if door.search(line):
                places += 1
                assert "授权" in line and "收据" in line, (where, line)
    assert places >= 4  # team-sightings, easy-payment, the elderly segment, the autumn review


def test_the_playbook_neither_matches_nor_suggests_sensitive_tags(book):
    fits = [f for t in book.tactics for f in (*t.fits, *((t.unless,) if t.unless else ()))]
    fits += [f for s in book.segments for f in s.fits]
    fits += [f for t in book.tactics for s in t.scripts for f in (*s.when, *((s.unless,) if s.unless else ()))]
    tags = {tag for f in fits for tag in f.tags}
    assert {"需要上门", "请家属代办", "白天不在家", "偏好书面沟通"} <= tags
    for tag in tags:
        assert not any(word in tag for word in SENSITIVE_TAG_WORDS), tag
    index = (PROJECT_DIR / PLAYBOOK_DIR / "index.md").read_text(encoding="utf-8")
    table = [row.split("|")[1] for row in index.splitlines() if row.startswith("| ") and "标签" not in row]
    assert table and not any(word in cell for cell in table for word in SENSITIVE_TAG_WORDS)
    assert "pipl-28" in index and "敏感个人信息" in index


def test_the_sensitive_tag_warning_and_the_playbook_agree():
    validate = pytest.importorskip("generator.reading.validate")
    words = getattr(validate, "SENSITIVE_TAG_WORDS", None)
    if not words:
        pytest.skip("check does not warn about sensitive tags yet")
    book = load_playbook()
    tags = {tag for t in book.tactics for f in t.fits for tag in f.tags} | {tag for s in book.segments for f in s.fits for tag in f.tags}
    assert not [tag for tag in tags if any(word in tag for word in words)]
    for tag in ("行动不便", "有小孩"):  # what the playbook used to match or the spec's example shows
        assert any(word in tag for word in words), tag


def test_publishing_needs_each_owners_consent_never_a_committee_decision(book):
    shaming = next(d for d in book.donts if d.id == "public-shaming")
    assert "publish_unit_amounts" not in shaming.instead  # the policy key is notice_board.list_units
    assert "list_units" in shaming.instead and "publish_arrears" in shaming.instead and "不能代替" in shaming.instead
    assert "pipl-14" in shaming.laws
    sources = [PROJECT_DIR / "README.md", PROJECT_DIR / "docs" / "guide" / "index.md", PROJECT_DIR / "docs" / "guide" / "github.md",
               *_data_files(), PROJECT_DIR / PLAYBOOK_DIR / "index.md"]
    for path in sources:
        text = re.sub(r"\s+", "", path.read_text(encoding="utf-8"))
        for sentence in re.split(r"[。；]", text):
            if re.search(r"(房号|姓名)", sentence) and re.search(r"公示|公开|公布", sentence) and re.search(r"业委会.{0,6}决定|业主大会", sentence):
                assert "不能代替" in sentence or "代替不了" in sentence, (path.name, sentence)
    guide = (PROJECT_DIR / "docs" / "guide" / "index.md").read_text(encoding="utf-8")
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    for text in (guide, readme):
        assert "kind: publish_arrears" in text and "list_units" in text and "第二十五条" in text and "第十四条" in text


def test_agreeing_to_pay_barred_charges_is_covers_all_only_with_evidence(book):
    for where, text in _playbook_texts(book):
        if re.search(r"covers(:| 为)\s*`?all", text) and "不写" not in text.split("covers")[0][-4:]:
            assert re.search(r"录音|签字|证据|协议", text), (where, text)
    steps = " ".join(book.tactic("expired-goodwill").steps)
    assert "大事" in steps and "covers 为 all" in steps and "录音" in steps and "确认" in steps
    assert "spc-limitation-19" in book.tactic("expired-goodwill").laws and "spc-limitation-19" in book.tactic("installment-plan").laws
    assert any("for" in line and "第五百六十条" in line for line in book.tactic("expired-goodwill").steps)


def test_the_rescue_receipt_script_says_signing_confirms_no_amount(book):
    delivery = next(s for s in book.tactic("limitation-rescue").scripts if s.title == "当面送达书面催告")
    assert "不是确认欠款金额" in delivery.text
    for t in book.tactics:
        for s in t.scripts:
            if "确认" in s.text:
                assert "{欠费}" not in s.text and not re.search(r"确认[^。]*(总额|一共|全部)", s.text), (t.id, s.title)


def test_the_stages_page_says_whose_demands_count_when_the_creditor_is_a_company(tmp_path):
    from tests.community import Community

    def stages_page(**policy) -> str:
        c = Community(tmp_path / f"c{len(policy)}-{len(str(policy))}", **policy)
        c.unit("1-1-101")
        page = pages(c.desk(DEMO_AS_OF), SiteInputs(c.root, tmp_path / f"w{len(policy)}-{len(str(policy))}"))["playbook/stages.md"]
        return page.decode("utf-8") if isinstance(page, bytes) else page

    authorised = stages_page(creditor={"name": "示例物业"}, authorisations=[{"from": "2026-01-01", "until": "2026-12-31", "document": "授权委托书1号"}])
    assert "债权人是示例物业" in authorised and "授权委托书1号（2026-01-01 起，到 2026-12-31 止）" in authorised
    lapsed = stages_page(creditor={"name": "示例物业"}, authorisations=[{"from": "2025-01-01", "until": "2025-12-31", "document": "授权委托书0号"}])
    assert "没有有效的授权" in lapsed and "授权委托书0号" not in lapsed
    assert "替债权人催费" not in stages_page()


def test_the_legal_page_names_the_letter_contexts(site):
    _, out = site
    html = _main((out / "legal.html").read_text(encoding="utf-8"))
    assert "函件：有已过诉讼时效的欠费时" in html and "函件：催缴通知书" in html
    assert "letter:barred" not in html and "page:limitation" not in html
    assert 'id="civil-code-188-2"' in html and "民法典第一百八十八条第二款" in html


def test_no_playbook_text_claims_an_early_expiry_or_a_required_order_before_suing():
    for path in [*_data_files(), PROJECT_DIR / PLAYBOOK_DIR / "index.md", PROJECT_DIR / "docs" / "guide" / "index.md"]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"早一天|晚一天|催费的法定顺序|(?<!不是)起诉的前提|(?<!不是)起诉前必须", text), path.name
