"""The demo community 桐荫花园 as data: its policy, its buildings, its people and the households' stories.

``scripts/make_demo.py`` turns this into ``owners/`` and ``ledger/``; nothing
here computes a bill. The community is invented: 122 units (高层, 洋房, 别墅,
商铺), billed from 2023, every name, address and phone number made up (phones
look like 138 0000 xxxx). The demo is meant to be read as of 2026-11-22
(``AS_OF``); nothing it records happens after that day, except bills and plan
installments that fall due later and promises to pay later.

Most units pay on time; a few dozen stories show every case the desk
handles: prorated first bills, prepayment credit, vacant and rented units,
shops with one-off charges, opening arrears, both kinds of waivers, plans
on track / behind / completed, promises kept, pending and broken, every
dunning stage, limitation warnings and expiries, every arrears reason.

The creditor is the property-service company; the committee demands for it
under written authorisations with a gap (2025-01-01..2025-02-28). Stories
for the v2 rules: a committee demand made in the gap that lets a charge
expire, the company's own demand in the gap that counts, a repair visit
that interrupts nothing, letters returned from a confirmed service address,
payments designated to a month, to the opening arrears and to the late fee,
an inherited list of opening items with the notice of assignment, a plan
that freezes the late fee, a 20-year cap, an acknowledgment of barred debt
(covers: all), and consents to publish arrears. Complaints (issue 16): a repair complaint resolved but never
confirmed, a cleaning complaint the owner confirmed two days ago (call again), a fee complaint whose promised day has
passed, a legacy dispute open for years, with the periods each owner disputes.

A story is two functions of (demo, unit): its setup, run before any bill is
computed (who lives there, tags, opening arrears, the comment lines at the
top of the owner file), and its history, run in unit order (contacts,
payments, waivers, plans). Amounts come from the unit's own bills, asked of
the project's engine through ``demo`` (``owed``, ``sum_due``, ``late_fee_at``).
"""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from generator.core.money import ZERO, round_cents

if TYPE_CHECKING:
    from make_demo import Demo, Unit

AS_OF = date(2026, 11, 22)
SEED = 20261122
COMMUNITY = "桐荫花园"

POLICY_YAML = """\
# yaml-language-server: $schema=../schemas/policy.schema.json
# 桐荫花园收费政策
# 2022年12月业主大会选聘桐荫物业服务有限公司，物业服务合同自2023年1月1日起履行，收费标准按业主大会通过的
# 《物业服务费收取办法》。物业费由物业公司收取，欠费的债权人是物业公司；业委会受物业公司书面委托催缴欠费、
# 以业委会名义发函（authorisations）。
community: 桐荫花园
issuer:
  name: 桐荫花园业主委员会
  address: 示例市桐荫路66号桐荫花园物业服务中心
  phone: "0571-00008866"
creditor:
  name: 桐荫物业服务有限公司
  address: 示例市桐荫路66号
  phone: "0571-00008800"
  representative: 陈立新             # 法定代表人，印在支付令申请书和起诉状上
  credit_code: 91330100MA2K0TY66Q   # 统一社会信用代码（示例）
court:                              # 物业所在地的基层人民法院（民事诉讼法第二十四条）
  name: 示例市示例区人民法院
  average_wage: "98000.00"          # 本省上年度就业人员年平均工资（示例数），小额诉讼标准为其百分之五十
  wage_year: 2025
authorisations:                     # 物业公司出具的催缴授权委托书，原件存业委会档案柜
  - {from: 2023-01-01, until: 2024-12-31, document: 授权委托书 TY-2023-01}
  - {from: 2025-03-01, document: 授权委托书 TY-2025-02}   # 2025年1月至2月续签期间没有授权
payment_channels:
  - 微信或支付宝：扫描物业服务中心前台桐荫物业服务有限公司的收款码（付款备注请写房号）
  - 银行转账：示例银行桐荫支行，户名 桐荫物业服务有限公司，账号 6222 0000 0000 8866
  - 现金或刷卡：物业服务中心前台，工作日 8:30-17:30，当场开具物业公司收据
fees:
  - id: property
    name: 物业服务费
    basis: area                     # 按建筑面积，每平方米每月
    rate: {高层: "2.20", 洋房: "2.80", 别墅: "3.50", 商铺: "4.00"}
    cycle: 3                        # 按季度收取
    due_day: 15
    vacant_factor: "0.7"            # 空置房按七折收取（业主大会决议）
  - id: garbage
    name: 生活垃圾清运费
    basis: unit                     # 按户，每户每月
    rate: {高层: "8.00", 洋房: "10.00", 别墅: "15.00", 商铺: "30.00"}
    cycle: 12                       # 每年1月随第一季度物业费一并收取
    due_day: 15
    vacant_factor: "0.5"
late_fee:
  daily_rate: "0.0003"              # 每日万分之三
  grace_days: 15                    # 到期后15天内缴清不计违约金
  cap: "1"                          # 违约金不超过欠费本金
  basis: 《桐荫花园物业服务合同》第十二条
dunning:
  - {id: reminder, name: 温馨提醒, after_days: 1, channels: [sms, wechat]}
  - {id: call, name: 电话沟通, after_days: 15, channels: [phone, visit]}
  - {id: notice, name: 催缴通知书, after_days: 30, channels: [letter, registered_mail], letter: notice, wait_days: 7}
  - {id: lawyer, name: 律师函, after_days: 90, channels: [lawyer_letter], letter: lawyer, deadline_days: 14, requires: {notice: 2}}
  - {id: legal, name: 诉讼或支付令, after_days: 180, channels: [court], requires: {lawyer: 1}}
limitation:
  years: 3                          # 诉讼时效，民法典第一百八十八条
  warn_days: 180
"""

# collectors for the committee (the issuer): its two staff, two committee members, the lawyer it instructs;
# SUN is the company's (the creditor's) own customer-service manager, PREVIOUS the manager before 2023
ZHANG, WANG, LI, LIU, ZHOU = "张敏", "王芳", "李建国", "刘晓东", "周律师"
SUN = "孙丽华"
PREVIOUS = "嘉禾物业"

# -- the buildings ---------------------------------------------------------------------------

HIGH_RISE_AREAS = {1: (Decimal("89.46"), Decimal("126.32")), 2: (Decimal("96.18"), Decimal("138.75")), 3: (Decimal("78.90"), Decimal("108.64"))}
VILLA_AREAS = [Decimal(a) for a in ("286.40", "312.75", "298.60", "341.20", "268.95", "352.10", "305.48", "279.36")]
GARDEN_AREAS = {"101": Decimal("142.36"), "102": Decimal("138.90"), "201": Decimal("156.20"), "202": Decimal("151.48")}
SHOP_AREAS = [Decimal(a) for a in ("68.50", "45.60", "96.20", "52.80", "74.30", "128.00")]


def layout():
    """Every unit as (id, type, area, billing_start, description, postal address), in the order the files list them."""
    for building in (1, 2, 3):
        start = date(2023, 1, 1) if building < 3 else date(2023, 6, 18)
        for entrance in (1, 2):
            for floor in range(1, 9):
                for room in (1, 2):
                    where = f"{building}幢{entrance}单元{floor}0{room}室"
                    yield f"{building}-{entrance}-{floor}0{room}", "高层", HIGH_RISE_AREAS[building][room - 1], start, where, COMMUNITY + where
    for number, area in enumerate(VILLA_AREAS, 1):
        yield f"V{number:02d}", "别墅", area, date(2023, 1, 1), f"别墅区{number}号", f"{COMMUNITY}别墅区{number}号"
    for building in (1, 2, 3):
        for room, area in GARDEN_AREAS.items():
            where = f"洋房区{building}幢{room}室"
            yield f"Y{building}-{room}", "洋房", area, date(2023, 1, 1), where + ("（带花园）" if room.startswith("1") else "（带露台）"), COMMUNITY + where
    for number, area in enumerate(SHOP_AREAS, 1):
        yield f"S-{number:02d}", "商铺", area, date(2023, 1, 1), f"沿街商铺{number}号", f"{COMMUNITY}沿街商铺{number}号"


# -- the people and their habits -----------------------------------------------------------------

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢钟汪戴崔陆范方石邱金")
GIVEN_MALE = ["建国", "伟", "磊", "勇", "军", "杰", "涛", "明", "超", "刚", "志强", "国庆", "海涛", "文斌", "俊", "浩", "鹏", "斌", "德胜", "永康",
              "晨", "子豪", "宇", "立新", "春生", "卫东", "国平", "振华", "宏伟", "家乐"]
GIVEN_FEMALE = ["秀英", "丽", "芳", "静", "娟", "霞", "平", "桂英", "玉兰", "海燕", "雪梅", "丽娟", "晓红", "慧", "婷", "颖", "秀兰", "美玲", "佳", "琳",
                "凤英", "淑珍", "红梅", "欣", "雨桐", "思琪", "晓燕", "亚楠", "春花", "素芬"]
PHONE_PREFIXES = ["138", "139", "137", "136", "135", "158", "159", "186", "188", "187", "150", "151", "177", "199", "133", "181"]
METHODS = ["wechat"] * 45 + ["alipay"] * 18 + ["bank"] * 15 + ["pos"] * 10 + ["cash"] * 10 + ["other"] * 2
STAFF = {ZHANG, WANG, LI, LIU}  # no owner shares a name with them

# what a clerk writes down when a late payer is reminded or called (``Demo.late_contacts``)
REMINDER_NOTES = ["{what}缴费提醒", "提醒缴纳{what}", "{what}已到期，发送缴费提醒"]
CALL_NOTES = {
    "forgot": ["业主说忘了，这几天就交", "业主以为已经交过了，核对后同意补缴", "业主说没看到短信，马上处理", "业主以为是自动扣款，没注意"],
    "other": ["业主家里有事走不开，说过几天来前台交", "业主在外地照顾家人，回来再交", "业主说要先核对账单面积"],
    "hardship": ["业主说这个月手头紧，缓几天交", "业主说家里最近开销大，晚些交"],
}
PROMISE_NOTES = {
    "forgot": ["业主说这阵子忙忘了，答应{day}前交", "业主出差在外，答应{day}回来就交", "业主说没看到短信，约定{day}前转账"],
    "other": ["业主家里有事，约定{day}前来前台交", "业主在外地，答应{day}前网上支付"],
    "hardship": ["业主说手头紧，答应{day}发工资后交", "业主说{day}前一定交上"],
}
PAID_DURING_CALL_NOTES = ["电话提醒后业主当即微信转账", "业主接到电话后马上在线支付了"]
NO_ANSWER_NOTES = ["无人接听", "响铃无人接，已留言", "关机"]

# -- the community's other entries ------------------------------------------------------------

# (unit, item, period, amount, due, issued or None, comment): one-off charges beyond the shops' shared utilities
ONE_OFF_CHARGES = [
    ("S-03", "装修垃圾清运费", "2026-10", Decimal("600.00"), date(2026, 11, 1), date(2026, 10, 20), "新租户装修，按5车计"),
    ("S-01", "广告位使用费", "2025", Decimal("1200.00"), date(2025, 3, 15), None, "门头灯箱广告位，2025年度"),
    ("S-01", "广告位使用费", "2026", Decimal("1200.00"), date(2026, 3, 15), None, "门头灯箱广告位，2026年度"),
    ("S-04", "广告位使用费", "2026", Decimal("800.00"), date(2026, 3, 15), None, "侧墙广告位，2026年度"),
    ("S-01", "广告位使用费", "2027", Decimal("1200.00"), date(2026, 12, 15), date(2026, 11, 20), "2027年度，已续签，12月15日前缴"),
]
# (unit, day, method, paid through, comment): owners who paid next year ahead; their money waits as credit
PREPAYMENTS = [
    ("V05", date(2026, 11, 6), "bank", date(2027, 12, 31), "预交2027年全年物业费和垃圾清运费"),
    ("1-1-201", date(2026, 11, 15), "alipay", date(2027, 12, 31), "预交2027年全年"),
    ("Y1-201", date(2026, 11, 19), "wechat", date(2027, 3, 31), "预交2027年一季度"),
]
# owners who signed a separate consent to have their arrears published (个人信息保护法第十四条)
PUBLISH_CONSENTS = [("1-1-201", date(2025, 4, 12)), ("Y1-201", date(2025, 4, 12)), ("S-05", date(2025, 5, 6))]

# -- the stories -----------------------------------------------------------------------------------

STORIES: dict = {}  # unit id -> history function; its .setup runs before any bill is computed


def story(unit_id: str, setup):
    def register(fn):
        fn.setup = setup
        STORIES[unit_id] = fn
        return fn

    return register


# -- evidence and arithmetic the stories share ----------------------------------------------------

def recording(when: date, unit: Unit) -> str:
    return f"通话录音 {when:%Y%m%d}-{unit.id}.m4a"


def photo(when: date, n: int) -> str:
    return f"现场照片 IMG_{when:%Y%m%d}_{n:04d}.jpg"


def ems(number: str) -> str:
    return f"EMS {number}"


def split(total: Decimal, parts: int, dues: list[date]) -> list[tuple[date, Decimal]]:
    """Installments in whole yuan, the last one taking the remainder."""
    each = Decimal(int(total / parts))
    steps = [(due, each) for due in dues[:-1]]
    steps.append((dues[-1], total - each * (parts - 1)))
    return steps


def _legal_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("业主以电梯和车库漏水为由拒缴，2025年物业公司申请支付令被异议，2026年起诉，等待判决")
    unit.header.append("2025年1月至2月业委会的催缴授权续签期间，由物业公司客服主管自己催缴（party: creditor），照样中断诉讼时效")
    unit.tags = ["投诉较多"]
    unit.occupancy, unit.tenant = "self", None


@story("1-1-101", _legal_setup)
def legal_case(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "punctual", stop=date(2024, 7, 1))
    c = demo.contact
    c(unit, date(2024, 7, 25), "sms", ZHANG, "delivered", note="2024年第三季度物业费缴费提醒")
    c(unit, date(2024, 8, 6), "phone", ZHANG, "refused", reason="service_complaint", evidence=recording(date(2024, 8, 6), unit),
      note="业主称电梯经常停运、地下车库漏水一直没人管，问题不解决就不交")
    c(unit, date(2024, 8, 30), "visit", LI, "refused", reason="service_complaint", evidence=photo(date(2024, 8, 30), 3127),
      note="上门说明电梯已更换主板、车库漏点已维修，业主仍拒绝缴费")
    demo.complaint(unit, date(2024, 8, 6), "repair", "电梯经常停运，地下车库漏水一直没人管，问题不解决就不交", "物业工程主管 赵工",
                   promised=date(2024, 8, 31), updates=[(date(2024, 8, 15), "电梯更换主板，维保单位出具检测报告", "赵工"),
                                                        (date(2024, 8, 27), "车库顶板漏点注浆封堵，雨后复查无渗水", "赵工")],
                   resolved=date(2024, 8, 27), resolution="电梯主板已更换、车库漏点已封堵，2024-08-30 上门向业主说明",
                   evidence="电梯检测报告 2024-08-15.pdf；车库维修单 WX-2024-0827", comment="业主不认可维修结果，未确认")
    c(unit, date(2024, 9, 20), "letter", ZHANG, "delivered", evidence="签收单 QS-2024-017", note="送达第一次催缴通知书，业主家人代签")
    c(unit, date(2024, 11, 5), "registered_mail", ZHANG, "delivered", evidence=ems("1190000241105"), note="第二次催缴通知书，EMS妥投",
      tracking="1190000241105", delivered_on=date(2024, 11, 7), document=f"TZ-20241105-{unit.id}")
    c(unit, date(2025, 1, 16), "phone", SUN, "refused", reason="refuses", evidence=recording(date(2025, 1, 16), unit), party="creditor",
      note="业委会的授权正在续签，由物业公司客服主管直接打电话催缴，业主表示“要告就去告”")
    c(unit, date(2025, 3, 10), "lawyer_letter", ZHOU, "delivered", evidence=ems("1190000250310") + "（律师函）",
      note="业委会按新授权委托律师发出律师函，限14日内缴清，逾期将申请支付令")
    c(unit, date(2025, 6, 18), "court", ZHOU, "delivered", evidence="受理通知书（2025）示0102民督118号", party="creditor",
      note="物业公司委托周律师向区人民法院申请支付令，法院已受理并送达")
    c(unit, date(2025, 7, 22), "court", ZHOU, "disputed", reason="refuses", evidence="支付令异议书副本", party="creditor",
      note="业主对支付令提出书面异议，支付令失效，准备起诉")
    c(unit, date(2026, 3, 12), "court", ZHOU, "delivered", evidence="受理案件通知书（2026）示0102民初456号", party="creditor",
      note="物业公司作为原告起诉立案，业委会提供催缴记录作证据")
    c(unit, date(2026, 9, 8), "court", ZHOU, "reached", reason="service_complaint", evidence="开庭传票及庭审笔录", party="creditor",
      note="一审开庭，业主当庭仍以服务质量抗辩，等待判决")


def _lawyer_wait_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("对保洁不满，两次书面催缴后已发律师函，等待函件期限届满")
    unit.occupancy, unit.tenant = "self", None
    unit.tags = ["希望直接沟通"]


@story("1-2-802", _lawyer_wait_setup)
def lawyer_waiting(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "punctual", stop=date(2026, 7, 1))
    c = demo.contact
    c(unit, date(2026, 7, 24), "sms", WANG, "delivered", note="第三季度物业费缴费提醒")
    c(unit, date(2026, 8, 3), "phone", WANG, "disputed", reason="service_complaint", evidence=recording(date(2026, 8, 3), unit),
      note="业主认为楼道保洁不到位、堆物无人清理，要求先整改再缴费")
    c(unit, date(2026, 8, 19), "letter", WANG, "delivered", evidence="签收单 QS-2026-044",
      note="送达催缴通知书，附保洁整改情况说明")
    c(unit, date(2026, 9, 28), "registered_mail", WANG, "delivered", evidence=ems("1190000260928"), note="第二次催缴通知书",
      tracking="1190000260928", delivered_on=date(2026, 9, 30), document=f"TZ-20260928-{unit.id}")
    c(unit, date(2026, 10, 12), "visit", LI, "refused", reason="service_complaint", evidence=photo(date(2026, 10, 12), 4410),
      note="业主说楼道已经干净了，但“之前的不算”，仍不交")
    c(unit, date(2026, 11, 10), "lawyer_letter", ZHOU, "delivered", evidence=ems("1190000261110") + "（律师函）",
      note="律师函已妥投，限14日内缴清")
    demo.complaint(unit, date(2026, 8, 3), "cleaning", "楼道保洁不到位，堆物没人清理，先整改再缴费", "物业保洁主管 钱芳",
                   promised=date(2026, 8, 31), updates=[(date(2026, 8, 19), "送达保洁整改情况说明：楼道每日清扫一次，堆物张贴限期清理通知", "钱芳"),
                                                        (date(2026, 10, 12), "楼道已清理干净，业主认为之前几个月的不算", LI)],
                   resolved=date(2026, 11, 18), resolution="更换本楼层保洁员，楼道每日清扫两次，堆物全部清走，业主到场查看",
                   confirmed=date(2026, 11, 20), evidence=photo(date(2026, 11, 18), 4521), disputed=["2026-07~2026-09"])


def _lawyer_due_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("空置房，业主在外地，认为空置不该交物业费；两次挂号信催缴无果，下一步发律师函")
    unit.occupancy, unit.tenant = "vacant", None
    unit.tags = ["长期在外", "空置"]
    unit.owners[0]["address"] = "示例省示例市示例区人民路128号"
    unit.owners[0]["comment"] = "邮寄地址为业主在外地的住址"


@story("3-1-202", _lawyer_due_setup)
def lawyer_due(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "annual", stop=date(2026, 1, 1))
    c = demo.contact
    c(unit, date(2026, 1, 26), "sms", ZHANG, "delivered", note="2026年度物业费缴费提醒")
    c(unit, date(2026, 2, 10), "phone", ZHANG, "refused", reason="vacant", evidence=recording(date(2026, 2, 10), unit),
      note="业主在外地工作，房子一直没装修没住人，认为空置房不应收物业费")
    c(unit, date(2026, 3, 16), "registered_mail", ZHANG, "delivered", evidence=ems("1190000260316"), note="催缴通知书寄往业主外地住址")
    c(unit, date(2026, 6, 22), "registered_mail", ZHANG, "delivered", evidence=ems("1190000260622"), note="第二次催缴通知书")
    c(unit, date(2026, 8, 5), "phone", LIU, "refused", reason="vacant", evidence=recording(date(2026, 8, 5), unit),
      note="解释空置房已按七折收费，业主仍不接受，说“没住就不交”")


def _plan_on_track_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("业主家里2025年遭遇变故，经济困难；2026年9月签分期协议，按期还款中，协议约定按期履行期间违约金停止计算")
    unit.occupancy, unit.tenant = "self", None
    unit.tags = ["家庭困难"]


@story("2-2-302", _plan_on_track_setup)
def plan_on_track(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "punctual", stop=date(2025, 7, 1))
    c = demo.contact
    c(unit, date(2025, 7, 28), "sms", WANG, "delivered", note="2025年第三季度物业费缴费提醒")
    c(unit, date(2025, 8, 15), "phone", WANG, "reached", reason="hardship", evidence=recording(date(2025, 8, 15), unit),
      note="业主说家里出了变故，开销大，请求缓交")
    c(unit, date(2025, 11, 20), "letter", WANG, "delivered", evidence="签收单 QS-2025-061", note="送达催缴通知书")
    c(unit, date(2026, 3, 18), "registered_mail", WANG, "delivered", evidence=ems("1190000260318"), note="第二次催缴通知书")
    c(unit, date(2026, 6, 9), "phone", WANG, "promised", promise=(date(2026, 7, 31), Decimal("1000.00")), reason="hardship",
      evidence=recording(date(2026, 6, 9), unit), note="业主说7月底先交一千")
    c(unit, date(2026, 8, 25), "visit", LI, "reached", reason="hardship", evidence="谈话记录（业主签字）",
      note="7月底的一千没交上。上门协商分期，业主同意签协议，分六期还清")
    signed = date(2026, 9, 10)
    total = demo.owed(unit, signed, signed)
    steps = split(total, 6, [date(2026, 9, 30), date(2026, 10, 31), date(2026, 11, 30), date(2026, 12, 31), date(2027, 1, 31), date(2027, 2, 28)])
    demo.plan(unit, signed, steps, "2-2-302 家庭困难，欠费分六期，每月月底前付；按期履行期间违约金自签订之日起停止计算", late_fee="freeze")
    demo.pay(unit, date(2026, 9, 28), steps[0][1], "wechat", comment="分期第1期")
    demo.pay(unit, date(2026, 10, 29), steps[1][1], "wechat", comment="分期第2期")


def _plan_behind_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("业主做餐饮生意亏损；2026年4月签分期协议，付了两期后停付")
    unit.occupancy, unit.tenant = "self", None
    unit.tags = ["做生意"]


@story("3-1-602", _plan_behind_setup)
def plan_behind(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "punctual", stop=date(2025, 4, 1))
    c = demo.contact
    c(unit, date(2025, 4, 28), "sms", ZHANG, "delivered", note="2025年第二季度物业费缴费提醒")
    c(unit, date(2025, 5, 20), "phone", ZHANG, "reached", reason="hardship", evidence=recording(date(2025, 5, 20), unit),
      note="业主开的饭店亏损，资金周转困难，希望缓一缓")
    c(unit, date(2025, 9, 16), "wechat", ZHANG, "no_answer", note="微信发送欠费明细，未回复")
    c(unit, date(2025, 12, 10), "letter", ZHANG, "delivered", evidence="签收单 QS-2025-072", note="送达催缴通知书")
    c(unit, date(2026, 4, 15), "visit", LI, "reached", reason="hardship", evidence="谈话记录（业主签字）",
      note="协商分期付款，业主同意六个月还清")
    signed = date(2026, 4, 20)
    total = demo.owed(unit, signed, signed)
    dues = [date(2026, m, 20) for m in range(5, 11)]
    steps = split(total, 6, dues)
    demo.plan(unit, signed, steps, "3-1-602 欠费分六期，每月20日前付")
    demo.pay(unit, date(2026, 5, 18), steps[0][1], "alipay", comment="分期第1期")
    demo.pay(unit, date(2026, 6, 25), steps[1][1], "alipay", comment="分期第2期，晚了几天")
    c(unit, date(2026, 7, 28), "sms", ZHANG, "delivered", note="提醒分期第3期已逾期")
    c(unit, date(2026, 8, 5), "phone", ZHANG, "promised", promise=(date(2026, 8, 31), steps[2][1] + steps[3][1]), reason="hardship",
      evidence=recording(date(2026, 8, 5), unit), note="业主说8月底把第3、4期一起补上")
    c(unit, date(2026, 9, 18), "wechat", ZHANG, "reached", reason="hardship", note="业主微信回复：店里生意还没起色，下个月一定补")
    c(unit, date(2026, 10, 30), "phone", LI, "no_answer", note="连打两次无人接听")


def _plan_done_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("业主2023年底失业，2024年欠费；2025年2月签分期协议，8月已全部还清，违约金经业委会决议免除")
    unit.occupancy, unit.tenant = "self", None
    unit.tags = ["老人"]


@story("1-1-402", _plan_done_setup)
def plan_completed(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "punctual", stop=date(2024, 1, 1))
    c = demo.contact
    c(unit, date(2024, 1, 26), "sms", ZHANG, "delivered", note="2024年度垃圾清运费及第一季度物业费缴费提醒")
    c(unit, date(2024, 2, 20), "phone", ZHANG, "reached", reason="hardship", evidence=recording(date(2024, 2, 20), unit),
      note="业主去年底失业，正在找工作，家里还有老人要照顾")
    c(unit, date(2024, 5, 10), "visit", LI, "reached", reason="hardship", evidence=photo(date(2024, 5, 10), 2286),
      note="上门了解情况，业主态度诚恳，表示找到工作后一定补交")
    c(unit, date(2024, 8, 22), "letter", ZHANG, "delivered", evidence="签收单 QS-2024-012", note="送达催缴通知书")
    c(unit, date(2024, 12, 5), "phone", ZHANG, "promised", promise=(date(2025, 1, 31), None), reason="hardship",
      evidence=recording(date(2024, 12, 5), unit), note="业主说春节前先交一部分")
    c(unit, date(2025, 2, 18), "visit", LI, "reached", reason="hardship", evidence="谈话记录（业主签字）",
      note="业主已找到新工作，愿意分期还清，约定2月20日签协议")
    signed = date(2025, 2, 20)
    total = demo.owed(unit, signed, signed)
    dues = [date(2025, m, 20) for m in range(3, 9)]
    steps = split(total, 6, dues)
    demo.plan(unit, signed, steps, "1-1-402 2024年欠费分六期，已于2025年8月还清")
    for index, (due, amount) in enumerate(steps):
        demo.pay(unit, due - timedelta(days=demo.rng.randint(0, 4)), amount, "wechat", comment=f"分期第{index + 1}期")
    for due, issued, through in demo.occasions(unit):
        if date(2025, 4, 1) <= due:
            when = max(due + timedelta(days=demo.rng.randint(-10, 8)), issued)
            if when > AS_OF:
                break
            demo.pay(unit, when, demo.sum_due(unit, due, through), "wechat")
    c(unit, date(2025, 8, 18), "phone", ZHANG, "paid", note="分期最后一期已付清，业主申请减免违约金")
    when = date(2025, 9, 16)
    fee = demo.late_fee_at(unit, when)
    demo.waive(unit, when, fee, "late_fee", "业委会2025年第5次会议", "业主失业期间欠费，已按分期协议全部还清，违约金全免",
               "桐荫物业同意减免函 2025-03", comment="1-1-402 违约金全免")


def _broken_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("承诺10月底交清两个季度，到期未付")
    unit.occupancy, unit.tenant = "self", None


@story("2-1-702", _broken_setup)
def broken_promise(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "punctual", stop=date(2026, 7, 1))
    c = demo.contact
    c(unit, date(2026, 7, 26), "sms", WANG, "delivered", note="第三季度物业费缴费提醒")
    c(unit, date(2026, 8, 18), "phone", WANG, "no_answer", note="无人接听")
    c(unit, date(2026, 9, 2), "wechat", WANG, "reached", reason="forgot", note="微信回复说最近太忙忘了")
    owed = demo.owed(unit, date(2026, 10, 16), date(2026, 10, 15))
    c(unit, date(2026, 10, 16), "phone", WANG, "promised", promise=(date(2026, 10, 31), owed), reason="forgot",
      evidence=recording(date(2026, 10, 16), unit), note="业主说月底发工资后把三、四季度一起交清")


def _active_promise_setup(demo: Demo, unit: Unit) -> None:
    unit.occupancy, unit.tenant = "self", None
    unit.tags = ["常出差"]


@story("1-2-401", _active_promise_setup)
def active_promise(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "punctual", stop=date(2026, 10, 1))
    c = demo.contact
    c(unit, date(2026, 10, 25), "sms", ZHANG, "delivered", note="第四季度物业费缴费提醒")
    owed = demo.owed(unit, date(2026, 11, 16), date(2026, 10, 15))
    c(unit, date(2026, 11, 16), "phone", ZHANG, "promised", promise=(date(2026, 11, 30), owed), reason="forgot",
      evidence=recording(date(2026, 11, 16), unit), note="业主在外地出差，说月底回来就交")


def _estate_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("原业主2025年8月去世，女儿办理继承，约定过户后年底前结清")
    unit.occupancy, unit.tenant = "self", None
    heir = unit.owners[0]["name"]
    surname = heir[0]
    late = demo.name(female=False, surname=surname)
    unit.owners = [{"name": heir, "phone": unit.owners[0]["phone"], "address": unit.owners[0]["address"],
                    "comment": f"原业主{late}之女，继承办理中"}]
    unit.tags = ["继承中"]


@story("1-1-602", _estate_setup)
def estate(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "punctual", stop=date(2025, 10, 1))
    c = demo.contact
    c(unit, date(2025, 10, 27), "sms", WANG, "no_answer", note="短信提醒，原号码已停机")
    c(unit, date(2025, 11, 12), "visit", WANG, "reached", reason="other", evidence=photo(date(2025, 11, 12), 1733),
      note="邻居告知老业主8月去世，留了其女儿的电话")
    c(unit, date(2025, 11, 20), "phone", WANG, "reached", reason="other", evidence=recording(date(2025, 11, 20), unit),
      note="女儿说正在办理继承公证，办完过户再交")
    c(unit, date(2026, 4, 8), "phone", WANG, "reached", reason="other", evidence=recording(date(2026, 4, 8), unit),
      note="继承公证已办完，正在等不动产过户")
    owed = demo.owed(unit, date(2026, 10, 20), date(2026, 12, 31))
    c(unit, date(2026, 10, 20), "other", LIU, "promised", promise=(date(2026, 12, 31), owed), reason="other",
      evidence="调解记录（双方签字）", note="在社区居委会调解室当面沟通，约定过户后年底前一次结清")


def _rented_promise_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("出租，房东和租客互相推诿；房东已答应先垫付")
    unit.occupancy = "rented"
    unit.tenant = {"name": demo.name(), "phone": demo.phone()}
    unit.tags = ["出租"]


@story("Y2-201", _rented_promise_setup)
def rented_promise(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "punctual", stop=date(2026, 7, 1))
    c = demo.contact
    c(unit, date(2026, 7, 28), "sms", ZHANG, "delivered", note="第三季度物业费缴费提醒")
    c(unit, date(2026, 8, 10), "visit", ZHANG, "reached", reason="rented_out", note="租客说租金里含物业费，应该找房东")
    c(unit, date(2026, 8, 12), "phone", ZHANG, "disputed", reason="rented_out", evidence=recording(date(2026, 8, 12), unit),
      note="房东说租赁合同约定物业费由租客交，让物业找租客")
    c(unit, date(2026, 10, 22), "sms", ZHANG, "delivered", note="第四季度物业费缴费提醒，同时发给房东和租客")
    owed = demo.owed(unit, date(2026, 11, 19), date(2026, 10, 15))
    c(unit, date(2026, 11, 19), "wechat", ZHANG, "promised", promise=(date(2026, 12, 10), owed), reason="rented_out",
      evidence="微信聊天截图 20261119-Y2-201.png", note="房东同意先垫付三、四季度物业费，再自己找租客结算")


def _defect_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("地下室渗水，业主要求开发商修好再交；已送达一次催缴通知书")
    unit.header.append("2026年10月业主指定缴三季度物业费（for: [2026-07]），没有按先到期先冲抵，二季度仍欠")
    unit.occupancy, unit.tenant = "self", None
    unit.tags = ["房屋漏水", "老人"]


@story("Y1-102", _defect_setup)
def housing_defect(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "punctual", stop=date(2026, 4, 1))
    c = demo.contact
    c(unit, date(2026, 4, 27), "sms", ZHANG, "delivered", note="第二季度物业费缴费提醒")
    c(unit, date(2026, 5, 8), "phone", ZHANG, "disputed", reason="housing_defect", evidence=recording(date(2026, 5, 8), unit),
      note="地下室渗水，报修多次未解决，业主表示修好了再交")
    c(unit, date(2026, 5, 15), "visit", LI, "reached", reason="housing_defect", evidence=photo(date(2026, 5, 15), 1021),
      note="查看地下室，墙角确有渗水痕迹，已联系开发商保修")
    c(unit, date(2026, 7, 20), "letter", ZHANG, "delivered", evidence="签收单 QS-2026-038",
      note="送达催缴通知书，说明保修责任在开发商，物业费应照常缴纳")
    c(unit, date(2026, 10, 9), "phone", LI, "disputed", reason="housing_defect", evidence=recording(date(2026, 10, 9), unit),
      note="开发商9月维修过一次，下雨后仍渗水，业主坚持修好再交")
    when = date(2026, 10, 20)
    demo.pay(unit, when, demo.sum_due(unit, date(2026, 7, 1), date(2026, 7, 31)), "bank", designation=("2026-07",),
             comment="业主转账注明“交三季度物业费”：按业主指定冲抵三季度，二季度仍欠")
    c(unit, when, "phone", LI, "paid", note="业主说渗水最严重的二季度要等开发商修好再谈，三季度的先交；已告知可申请减免")


def _waiver_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("2025年外墙渗水，业委会减免下半年物业费的一半并免除违约金")
    unit.occupancy, unit.tenant = "self", None
    unit.tags = ["房屋漏水"]


@story("3-2-501", _waiver_setup)
def principal_waiver(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "punctual", stop=date(2025, 7, 1))
    c = demo.contact
    c(unit, date(2025, 7, 9), "visit", WANG, "reached", reason="housing_defect", evidence=photo(date(2025, 7, 9), 2240),
      note="外墙渗水，主卧墙面发霉，已报开发商维修")
    c(unit, date(2025, 8, 4), "phone", WANG, "disputed", reason="housing_defect", evidence=recording(date(2025, 8, 4), unit),
      note="业主要求维修完成前暂停缴费，并申请减免")
    c(unit, date(2025, 12, 22), "visit", LIU, "reached", reason="housing_defect", evidence="谈话记录（业主签字）",
      note="外墙维修已完工，告知业委会将于1月开会研究减免")
    half = round_cents(demo.sum_due(unit, date(2025, 7, 1), date(2025, 10, 31)) / 2)
    demo.waive(unit, date(2026, 1, 20), half, "principal", "业委会2026年第1次会议",
               "外墙渗水致主卧无法使用，减免2025年第三、四季度物业费的50%", "桐荫物业同意减免函 2026-01", comment="3-2-501 外墙渗水")
    when = date(2026, 1, 28)
    demo.pay(unit, when, demo.owed(unit, when, date(2026, 1, 31)), "pos", comment="减免后补缴")
    demo.waive(unit, when, demo.late_fee_at(unit, when), "late_fee", "业委会2026年第1次会议", "外墙渗水期间暂停缴费，违约金全免",
               "桐荫物业同意减免函 2026-01", comment="3-2-501 同一决议")
    c(unit, when, "visit", WANG, "paid", note="业主到物业服务中心刷卡补缴，领取减免决定书")
    demo.pay_regularly(unit, "punctual", start=date(2026, 2, 1))


def _warning_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("出租，房东在外地；2024年起欠费，最后一次有录音的催缴是2024年2月，诉讼时效即将届满")
    unit.header.append("2025年7月上门是维修（purpose: service），没有谈物业费，不算催缴")
    unit.occupancy = "rented"
    unit.tenant = {"name": demo.name(), "phone": demo.phone()}
    unit.tags = ["出租", "长期在外"]
    unit.owners[0]["address"] = "示例省示例市示例区新华街45号"
    unit.owners[0]["comment"] = "房东在外地，邮寄地址2024年被退回过"


@story("2-1-301", _warning_setup)
def limitation_warning(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "punctual", stop=date(2024, 1, 1))
    c = demo.contact
    c(unit, date(2024, 1, 28), "sms", WANG, "delivered", note="2024年度垃圾清运费及第一季度物业费缴费提醒")
    c(unit, date(2024, 2, 26), "phone", WANG, "reached", reason="rented_out", evidence=recording(date(2024, 2, 26), unit),
      note="房东说租金里包含物业费，让去找租客")
    c(unit, date(2024, 4, 18), "visit", WANG, "reached", reason="rented_out", note="租客说物业费应该房东交（未录音）")
    c(unit, date(2024, 9, 12), "registered_mail", WANG, "returned", evidence=ems("1190000240912"), note="寄往房东外地地址，查无此人退回")
    c(unit, date(2025, 5, 6), "phone", WANG, "unreachable", reason="unreachable", note="房东手机已停机")
    c(unit, date(2025, 7, 22), "visit", WANG, "reached", evidence=photo(date(2025, 7, 22), 3318), purpose="service",
      note="租客报修卫生间漏水，陪维修工上门处理，已修好；未谈物业费", comment="维修回访，不是催缴，不中断诉讼时效")
    c(unit, date(2025, 11, 3), "phone", LI, "reached", reason="rented_out", note="联系上房东新号码，房东说过完年来处理（未录音）",
      comment="没有录音，不中断诉讼时效")
    c(unit, date(2026, 2, 10), "visit", LI, "no_answer", note="租客已搬走，屋内无人")
    c(unit, date(2026, 9, 14), "wechat", WANG, "no_answer", note="加了房东微信，未通过")


def _expired_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("业主出国多年，房屋空置；前物业移交旧欠费，一直联系不上，早期欠费已过诉讼时效")
    unit.occupancy, unit.tenant = "vacant", None
    unit.tags = ["长期在外", "空置"]
    unit.opening = {"amount": Decimal("1960.00"), "due": date(2022, 12, 31)}
    unit.opening_comment = "前物业公司移交：2021-2022年物业费"


@story("2-2-801", _expired_setup)
def limitation_expired(demo: Demo, unit: Unit) -> None:
    c = demo.contact
    c(unit, date(2023, 1, 20), "sms", ZHANG, "no_answer", note="短信提醒，无回复")
    c(unit, date(2023, 3, 8), "phone", ZHANG, "unreachable", reason="unreachable", note="业主登记电话是空号")
    c(unit, date(2023, 6, 14), "registered_mail", ZHANG, "returned", evidence=ems("1190000230614"), note="催缴通知书被退回，原因：原址无人")
    c(unit, date(2024, 5, 21), "visit", LI, "no_answer", note="上门敲门无人，在门缝留了一封封好的信，只请业主联系业委会，没有张贴催缴单")
    c(unit, date(2025, 4, 9), "other", LI, "unreachable", reason="unreachable", note="请社区网格员转告业主联系业委会；网格员说业主已出国，亲属联系方式不详")
    c(unit, date(2026, 6, 3), "visit", LI, "no_answer", note="上门敲门无人，之前留的信还在门缝里，屋内无人居住")


def _legacy_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("业主不认前物业移交的旧欠费，每次只按当期账单缴费；按先旧后新冲抵，欠款落在最近两个季度")
    unit.occupancy, unit.tenant = "self", None
    unit.tags = ["老人"]
    unit.opening = {"amount": Decimal("4860.00"), "due": date(2022, 12, 31)}
    unit.opening_comment = "前物业公司移交：2022年物业费及车位管理费"


@story("V03", _legacy_setup)
def legacy_dispute(demo: Demo, unit: Unit) -> None:
    rng = demo.rng
    for due, issued, through in demo.occasions(unit):
        when = max(due + timedelta(days=rng.randint(-10, 6)), issued)
        if when > AS_OF:
            break
        demo.pay(unit, when, demo.sum_due(unit, due, through), "bank")
    c = demo.contact
    c(unit, date(2023, 2, 14), "phone", ZHANG, "disputed", reason="legacy_dispute", evidence=recording(date(2023, 2, 14), unit),
      note="业主认为前物业2022年服务很差，旧账不认，只交新物业费")
    c(unit, date(2023, 3, 2), "visit", LIU, "disputed", reason="legacy_dispute", note="业委会主任上门解释移交欠费的来源，业主仍不认可")
    c(unit, date(2024, 6, 17), "letter", ZHANG, "delivered", evidence="签收单 QS-2024-009",
      note="送达《关于前期欠费的说明》，告知缴费按先旧后新冲抵")
    c(unit, date(2026, 8, 24), "letter", ZHANG, "delivered", evidence="签收单 QS-2026-051",
      note="送达催缴通知书，列明三、四季度物业费因冲抵旧欠仍未结清")
    c(unit, date(2026, 10, 21), "phone", LIU, "disputed", reason="legacy_dispute", evidence=recording(date(2026, 10, 21), unit),
      note="业主说每季度都按账单交了，不同意冲抵旧账，要求业委会出具前物业账目")
    demo.complaint(unit, date(2023, 2, 14), "legacy", "前物业2022年服务很差，旧账不认，只交新物业费", LIU, promised=date(2026, 11, 30),
                   updates=[(date(2023, 3, 2), "上门解释移交欠费的来源，业主仍不认可", LIU),
                            (date(2024, 6, 17), "送达《关于前期欠费的说明》", ZHANG),
                            (date(2026, 10, 21), "业主要求出具前物业账目，已向嘉禾物业调取，答应11月底前给业主", LIU)],
                   evidence=recording(date(2026, 10, 21), unit))


def _shop_hardship_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("2024年3月购入，出租给面馆；面馆2026年3月底停业，商铺空置待租")
    unit.billing_start = date(2024, 3, 8)
    unit.start_comment = "购入交付日"
    unit.occupancy = "rented"
    unit.tenant = {"name": demo.name(), "phone": demo.phone()}
    unit.tenant["comment"] = "面馆经营者，已停业"
    unit.tags = ["投资客"]


@story("S-06", _shop_hardship_setup)
def shop_hardship(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "punctual", stop=date(2026, 4, 1))
    c = demo.contact
    c(unit, date(2026, 4, 27), "wechat", WANG, "delivered", note="第二季度物业费及公摊水电缴费提醒")
    c(unit, date(2026, 5, 12), "phone", WANG, "reached", reason="hardship", evidence=recording(date(2026, 5, 12), unit),
      note="面馆3月底停业，租户欠房东房租跑了，房东说手头紧")
    c(unit, date(2026, 6, 8), "phone", WANG, "promised", promise=(date(2026, 6, 30), Decimal("500.00")), reason="hardship",
      evidence=recording(date(2026, 6, 8), unit), note="房东答应月底前先交五百")
    demo.pay(unit, date(2026, 6, 28), Decimal("500.00"), "wechat", comment="先交一部分")
    c(unit, date(2026, 8, 21), "registered_mail", WANG, "delivered", evidence=ems("1190000260821"), note="催缴通知书")
    c(unit, date(2026, 10, 13), "visit", LI, "no_answer", note="商铺卷帘门关着，已贴招租广告")


def _call_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("2026年10月换了新租户，装修中")
    unit.occupancy = "rented"
    unit.tenant = {"name": demo.name(), "phone": demo.phone(), "comment": "花店，2026年10月起租"}


@story("S-03", _call_setup)
def shop_call(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "punctual", stop=date(2026, 11, 1))  # nothing paid yet in November
    c = demo.contact
    c(unit, date(2026, 11, 4), "sms", ZHANG, "delivered", note="装修垃圾清运费缴费提醒")
    c(unit, date(2026, 11, 13), "phone", ZHANG, "disputed", reason="service_complaint", evidence=recording(date(2026, 11, 13), unit),
      note="新租户认为600元清运费太贵，要求按实际车次收")
    demo.complaint(unit, date(2026, 11, 13), "fees", "600元装修垃圾清运费太贵，要求按实际车次收", ZHANG, promised=date(2026, 11, 20),
                   updates=[(date(2026, 11, 16), "向清运公司调取出车记录", ZHANG)], evidence=recording(date(2026, 11, 13), unit),
                   disputed=["2026-10"])


def _reminder_shop_setup(demo: Demo, unit: Unit) -> None:
    unit.occupancy = "rented"
    unit.tenant = {"name": demo.name(), "phone": demo.phone(), "comment": "便利店"}


@story("S-05", _reminder_shop_setup)
def shop_reminder(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "punctual", stop=date(2026, 11, 1))
    demo.contact(unit, date(2026, 11, 17), "wechat", WANG, "delivered", note="发送10月公摊水电账单")


def _new_owner_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("开发商保留房，2026年11月10日交付新业主；此前的物业费由开发商另行结算")
    unit.billing_start = date(2026, 11, 10)
    unit.start_comment = "交付日，首期按天折算"
    unit.occupancy, unit.tenant = "self", None
    unit.tags = ["新业主"]


@story("3-1-801", _new_owner_setup)
def new_owner(demo: Demo, unit: Unit) -> None:
    demo.contact(unit, date(2026, 11, 12), "wechat", WANG, "delivered", note="新业主加了业委会微信，单独发送首期物业费账单")


def _opening_paid_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("前物业移交旧欠费，2023年2月已一次结清")
    unit.opening = {"amount": Decimal("1286.40"), "due": date(2022, 12, 31)}
    unit.opening_comment = "前物业公司移交：2022年下半年物业费"
    unit.occupancy, unit.tenant = "self", None
    unit.tags = ["老人"]


@story("1-1-301", _opening_paid_setup)
def opening_paid(demo: Demo, unit: Unit) -> None:
    demo.contact(unit, date(2023, 1, 30), "phone", ZHANG, "promised", promise=(date(2023, 2, 20), Decimal("1286.40")), reason="legacy_dispute",
                 evidence=recording(date(2023, 1, 30), unit), note="业主对旧账有疑问，核对前物业收据后同意2月20日前补交")
    when = date(2023, 2, 18)
    demo.pay(unit, when, unit.opening["amount"], "cash", designation=("opening",), comment="前物业移交欠费，业主指定")
    demo.pay(unit, when, demo.owed(unit, when, date(2023, 1, 31)), "cash", comment="2023年一季度物业费及垃圾清运费")
    demo.pay_regularly(unit, "punctual", start=date(2023, 3, 1))


def _opening_waived_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("前物业移交欠费无凭据，2023年经业委会决议核销")
    unit.opening = {"amount": Decimal("2380.00"), "due": date(2022, 12, 31)}
    unit.opening_comment = "前物业公司移交：2022年物业费（无签收凭据）"
    unit.occupancy, unit.tenant = "self", None


@story("Y3-101", _opening_waived_setup)
def opening_waived(demo: Demo, unit: Unit) -> None:
    c = demo.contact
    c(unit, date(2023, 2, 6), "visit", LIU, "disputed", reason="legacy_dispute", evidence="业主书面说明（附2022年缴费收据复印件）",
      note="业主出示前物业开具的2022年收据，称旧欠费早已交清，2023年的费用等核对清楚再交")
    demo.waive(unit, date(2023, 5, 10), unit.opening["amount"], "principal", "业委会2023年第2次会议",
               "前物业移交的欠费无签收凭据，业主持有2022年缴费收据，核销", "桐荫物业同意减免函 2023-01", comment="Y3-101 旧账核销")
    when = date(2023, 5, 20)
    demo.pay(unit, when, demo.owed(unit, when, date(2023, 6, 30)), "bank", comment="核销后补交2023年上半年")
    c(unit, date(2023, 5, 20), "phone", LIU, "paid", note="告知核销结果，业主当天转账补交")
    demo.pay_regularly(unit, "punctual", start=date(2023, 7, 1))


def _elderly_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("八十多岁的老人，不会手机支付，以前常逾期；2024年底起由女儿绑定银行代缴")
    unit.occupancy, unit.tenant = "self", None
    unit.tags = ["老人", "不会用手机", "请家属代办"]
    daughter = demo.name(female=True)
    unit.header.append(f"代缴联系人：女儿{daughter}，电话 {demo.phone()}")


@story("1-2-101", _elderly_setup)
def elderly_late(demo: Demo, unit: Unit) -> None:
    for due, issued, through in demo.occasions(unit):
        if due >= date(2024, 11, 1):
            break
        when = due + timedelta(days=demo.rng.randint(20, 45))
        if demo.rng.random() < 0.5:
            demo.contact(unit, due + timedelta(days=12), "visit", WANG, "reached", reason="other",
                         note=demo.rng.choice(["老人说等女儿周末回来帮着交", "老人不会用手机付款，说让女儿来交", "老人说缴费的事都是女儿管，让等女儿回来",
                                               "老人说现金放在女儿那里，让女儿下次来时带过来", "送去缴费通知单，老人说月底女儿回来就交"]))
        demo.pay(unit, when, demo.owed(unit, when, through), "cash")
    when = date(2024, 12, 10)
    demo.waive(unit, when, demo.late_fee_at(unit, when), "late_fee", "业委会2024年第6次会议",
               "八旬老人不会手机支付，逾期非主观故意，违约金全免", "桐荫物业同意减免函 2024-03", comment="1-2-101 高龄业主")
    demo.pay_regularly(unit, "punctual", start=date(2025, 1, 1))


def _shop_waiver_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("前物业移交旧欠费，2023年分两次结清；2025年门前施工围挡，减免一个月物业费")
    unit.opening = {"amount": Decimal("2400.00"), "due": date(2022, 12, 31)}
    unit.opening_comment = "前物业公司移交：2022年第三、四季度物业费"
    unit.occupancy = "rented"
    unit.tenant = unit.tenant or {"name": demo.name(), "phone": demo.phone()}
    unit.tenant["comment"] = "药店"
    unit.tags = ["企业业主"]


@story("S-02", _shop_waiver_setup)
def shop_waiver(demo: Demo, unit: Unit) -> None:
    demo.pay(unit, date(2023, 1, 6), Decimal("1200.00"), "bank", comment="旧欠费第一笔")
    when = date(2023, 2, 10)
    demo.pay(unit, when, demo.owed(unit, when, date(2023, 2, 28)), "bank", comment="旧欠费余款及一季度费用")
    demo.pay_regularly(unit, "punctual", start=date(2023, 3, 1), stop=date(2025, 8, 1))
    monthly = demo.monthly_fee(unit, "property")
    demo.waive(unit, date(2025, 8, 12), monthly, "principal", "业委会2025年第4次会议",
               "2025年6-7月门前雨污管网改造施工围挡，影响经营，减免一个月物业费", "桐荫物业同意减免函 2025-02", comment="S-02 施工围挡")
    demo.pay_regularly(unit, "punctual", start=date(2025, 8, 1))


def _gap_demand_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("2023年9月至11月本单元电梯更换停用，业主不交2023年第四季度物业费；此后每季度转账都注明只交当季")
    unit.header.append("2025年1月20日业委会上门催缴时，物业公司的授权已于2024年底到期、新授权3月1日才生效：这次催缴不算债权人主张权利，"
                       "不中断诉讼时效。四季度欠费的诉讼时效从2023年11月8日的电话催缴起算，已于2026年11月8日届满")
    unit.occupancy, unit.tenant = "self", None
    unit.tags = ["白天不在家"]


@story("2-1-802", _gap_demand_setup)
def gap_demand(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "punctual", stop=date(2023, 10, 1))
    c = demo.contact
    c(unit, date(2023, 10, 24), "sms", ZHANG, "delivered", note="2023年第四季度物业费缴费提醒")
    c(unit, date(2023, 11, 8), "phone", ZHANG, "disputed", reason="service_complaint", evidence=recording(date(2023, 11, 8), unit),
      note="业主说9月起电梯更换停用两个多月，住8楼上下不便，四季度物业费不该全交")
    demo.complaint(unit, date(2023, 11, 8), "repair", "9月起电梯更换停用两个多月，住8楼上下不便，四季度物业费不该全交", "物业工程主管 赵工",
                   resolved=date(2023, 11, 20), resolution="新电梯验收合格恢复运行；停用期间的物业费业委会未同意减免",
                   evidence="电梯验收报告 2023-11-20.pdf", disputed=["2023-10~2023-12"])
    demo.pay_designated(unit, date(2024, 1, 1), first_comment="业主转账注明“2024年一季度物业费”，按业主指定冲抵当季")
    c(unit, date(2024, 3, 18), "wechat", WANG, "reached", reason="service_complaint",
      note="业主微信回复：电梯停了两个月，四季度的就是不交（没有保存截图）")
    c(unit, date(2025, 1, 20), "visit", LIU, "refused", reason="service_complaint", evidence="谈话记录（业主签字）2025-01-20",
      note="业委会主任上门协商2023年第四季度物业费，业主仍以电梯停用为由拒交", comment="授权空档期内业委会的催缴，不中断诉讼时效")


def _confirmed_address_setup(demo: Demo, unit: Unit) -> None:
    address = "示例市老城区解放路17号2单元502室"
    unit.header.append("业主平时住老城区父母家，房子一直空着；交房时签了送达地址确认书")
    unit.header.append("2025年起欠费，电话不接；寄往确认地址的催缴通知书被拒收退回，仍视为送达，中断诉讼时效（诉讼时效规定第八条）")
    unit.occupancy, unit.tenant = "vacant", None
    unit.tags = ["空置"]
    unit.owners[0]["address"] = address
    unit.owners[0]["comment"] = "邮寄地址以送达地址确认书为准"
    unit.service_address = {"address": address, "confirmed": date(2023, 6, 18), "evidence": "送达地址确认书（交房时签署）扫描件 SD-3-2-301.pdf",
                            "comment": "业主签字确认的送达地址"}


@story("3-2-301", _confirmed_address_setup)
def confirmed_address(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "annual", stop=date(2025, 1, 1))
    c = demo.contact
    c(unit, date(2025, 1, 26), "sms", ZHANG, "delivered", note="2025年度物业费缴费提醒")
    c(unit, date(2025, 2, 18), "phone", ZHANG, "no_answer", note="无人接听")
    c(unit, date(2025, 4, 10), "registered_mail", ZHANG, "returned", evidence=ems("1190000250410"),
      note="催缴通知书寄往送达地址确认书上的地址，业主拒收退回")
    c(unit, date(2025, 8, 14), "phone", ZHANG, "no_answer", note="连打三次无人接听")
    c(unit, date(2025, 11, 6), "registered_mail", ZHANG, "returned", evidence=ems("1190000251106"),
      note="第二次催缴通知书寄往确认地址，无人签收退回")
    c(unit, date(2026, 5, 12), "visit", LI, "no_answer", note="上门敲门无人，屋内没有住人的迹象")
    c(unit, date(2026, 9, 15), "registered_mail", ZHANG, "returned", evidence=ems("1190000260915"),
      note="第三次催缴通知书寄往确认地址，业主拒收退回")


def _late_fee_paid_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("2025年下半年家里装修开销大，欠了两个季度；2026年3月补交本金，4月按对账单另交违约金（for: [late_fee]）")
    unit.occupancy, unit.tenant = "self", None
    unit.tags = ["工作忙"]


@story("1-2-602", _late_fee_paid_setup)
def late_fee_paid(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "punctual", stop=date(2025, 7, 1))
    c = demo.contact
    c(unit, date(2025, 7, 26), "sms", WANG, "delivered", note="2025年第三季度物业费缴费提醒")
    c(unit, date(2025, 8, 14), "phone", WANG, "reached", reason="hardship", evidence=recording(date(2025, 8, 14), unit),
      note="业主说家里在装修，手头紧，年底前补上")
    c(unit, date(2025, 10, 25), "sms", WANG, "delivered", note="2025年第四季度物业费缴费提醒")
    c(unit, date(2025, 11, 18), "letter", WANG, "delivered", evidence="签收单 QS-2025-066", note="送达催缴通知书")
    when = date(2026, 3, 6)
    demo.pay(unit, when, demo.owed(unit, when, date(2026, 3, 31)), "bank", comment="补交2025年下半年及2026年一季度")
    c(unit, date(2026, 3, 20), "letter", WANG, "delivered", evidence="签收单 QS-2026-012", note="送达对账单，列明逾期缴费产生的违约金")
    when = date(2026, 4, 8)
    demo.pay(unit, when, demo.late_fee_at(unit, when), "wechat", designation=("late_fee",), comment="按对账单补交违约金")
    c(unit, when, "phone", WANG, "paid", note="业主按对账单补交了违约金")
    demo.pay_regularly(unit, "punctual", start=date(2026, 4, 1))


# the previous manager's claims were assigned to the company; the owner was told on 2023-03-10
ASSIGNED = {"assignment_notified": date(2023, 3, 10), "note": "债权转让通知书 EMS 1190000230310 妥投"}


def _old_arrears_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("别墅区2005年交付，2022年底前由嘉禾物业管理；前物业移交三笔旧欠，2023年3月10日向业主送达债权转让通知书")
    unit.header.append("2005年下半年的欠费业主历年签字确认，时效一直没断，但自到期起已满二十年（2025年7月15日），"
                       "不再受法律保护（民法典第一百八十八条第二款）")
    unit.header.append("2021年下半年、2022年上半年两笔2026年3月过了诉讼时效；2026年6月业主签署还款承诺书，承认全部旧欠（covers: all），时效重新计算")
    unit.header.append("业主每季度转账都注明当季物业费（for），不让冲抵旧账")
    unit.occupancy, unit.tenant = "self", None
    unit.tags = ["老人"]
    area = Fraction(unit.area)
    half_year_2005 = round_cents(area * Fraction("1.80") * 6)  # 嘉禾物业2005年的收费标准：每月每平方米1.80元
    half_year_2021 = round_cents(area * Fraction("2.80") * 6)  # 2021年起：2.80元
    unit.opening_comment = "嘉禾物业移交的旧欠，2023年3月债权转让给桐荫物业服务有限公司"
    unit.opening = [  # the v2 list of items
        {"amount": half_year_2005, "due": date(2005, 7, 15), "period": "2005年下半年", **ASSIGNED},
        {"amount": half_year_2021, "due": date(2021, 7, 15), "period": "2021年下半年", **ASSIGNED},
        {"amount": half_year_2021, "due": date(2022, 1, 15), "period": "2022年上半年", **ASSIGNED},
    ]


@story("V08", _old_arrears_setup)
def old_arrears(demo: Demo, unit: Unit) -> None:
    c = demo.contact
    for day in (date(2007, 4, 18), date(2009, 12, 8), date(2012, 9, 20), date(2015, 6, 11), date(2018, 3, 26), date(2020, 11, 30)):
        c(unit, day, "other", PREVIOUS, "promised", promise=(date(day.year, 12, 31), None), covers="all", party="creditor",
          reason="housing_defect", evidence=f"欠费确认书（业主签字，{day}，前物业移交档案）",
          note="业主签字确认2005年下半年物业费未缴，说屋顶渗漏修好后再交")
    c(unit, date(2023, 4, 12), "letter", ZHANG, "delivered", note="送达《关于前期欠费的说明》，业主未签收回执")
    demo.pay_designated(unit, date(2023, 1, 1), first_comment="业主转账注明当季物业费，不冲抵旧账")
    c(unit, date(2024, 5, 20), "phone", ZHANG, "reached", reason="legacy_dispute", note="业主说旧账找前物业去，只交新物业费（未录音）")
    c(unit, date(2026, 5, 28), "visit", LIU, "reached", reason="legacy_dispute", evidence="谈话记录（业主签字）2026-05-28",
      note="业委会整理前物业移交档案后上门，出示历年欠费确认书复印件，业主说考虑一下",
      comment="两笔2021-2022年的旧欠已于3月10日过时效，这次催缴不能让它们恢复")
    owed = sum((item["amount"] for item in unit.opening[1:]), ZERO)
    c(unit, date(2026, 6, 18), "visit", LIU, "promised", promise=(date(2026, 12, 31), owed), covers="all", reason="legacy_dispute",
      evidence="还款承诺书（业主签字）2026-06-18",
      note="业主签署还款承诺书，承认前物业移交的全部旧欠（含已过诉讼时效的部分），承诺年底前结清2021年下半年和2022年上半年两笔；"
           "2005年的那笔已满二十年，业委会不再主张")

