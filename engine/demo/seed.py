"""``mtcflow demo``: a living dataset seeded by running the real processes over four and a half simulated
years, ending at ``end`` (normally now): an establishment plan under public notice, committees preparing, active,
in rectification and revoked (one of them provincial), and specifications at every stage, with public notices
still open for comment."""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select

from engine import clock as engine_clock
from engine.clock import ManualClock
from engine.committees.models import Committee
from engine.demo import people
from engine.demo.driver import Driver, Program
from engine.demo.plan_story import plan_story
from engine.demo.spec_phases import AUTHORITY, Team, after_window, publish

SPAN_DAYS = 1650
PLAN_NOTICE_DAYS = 31  # the establishment plan's public notice (30 days national) runs before day 0
COMMITTEES = {  # code: (name, given name of its members, units; the 4th unit hosts the secretariat)
    "MTC01": ("全国几何量长度计量技术委员会", "志强",
              ["中国计量科学研究院", "中国测试技术研究院", "哈尔滨工业大学", "天津大学", "成都工具研究所",
               "航空工业北京长城计量测试技术研究所", "中国计量大学", "北京市计量检测科学研究院",
               "海克斯康测量技术（青岛）有限公司"]),
    "MTC02": ("全国温度计量技术委员会", "建华",
              ["中国计量科学研究院热工所", "山东省计量科学研究院", "重庆大学", "沈阳仪表科学研究院",
               "中国航天科工二院203所", "宝武钢铁集团", "福建省计量科学研究院", "清华大学", "安徽省计量科学研究院"]),
    "MTC03": ("全国声学计量技术委员会", "海燕",
              ["中国计量科学研究院力学所", "南京大学", "杭州爱华仪器有限公司", "同济大学", "中国船舶第七一五研究所",
               "陕西省计量科学研究院", "湖北省计量测试技术研究院", "中国科学院声学研究所", "深圳市计量质量检测研究院"]),
    "MTC05": ("全国时间频率计量技术委员会", "卫东",
              ["中国计量科学研究院时频所", "中国科学院国家授时中心", "北京无线电计量测试研究所", "北京大学",
               "中国电子科技集团第二十研究所", "华为技术有限公司", "上海天文台", "成都天奥电子股份有限公司",
               "国防科技大学"]),
    "MTC06": ("全国电磁计量技术委员会", "国强",
              ["中国计量科学研究院电磁所", "中国电力科学研究院", "西安交通大学", "华中科技大学", "国网计量中心",
               "许继电气股份有限公司", "上海市计量测试技术研究院", "哈尔滨电工仪表研究所", "广州能源检测研究院"]),
    "MTC31": ("江苏省流量与能源计量技术委员会", "文军",
              ["江苏省质量和标准化研究院", "南京市计量监督检测院", "东南大学", "苏州市计量测试院",
               "江苏华兴水表有限公司", "南京水务集团", "无锡市计量测试院", "国网江苏省电力公司", "河海大学"]),
    "MTC04": ("全国量子计量技术委员会", "晓明",
              ["中国计量科学研究院前沿院", "中国科学技术大学", "国盾量子技术股份有限公司", "北京大学",
               "中国电子科技集团", "华为技术有限公司", "浙江大学", "国防科技大学", "济南量子技术研究院"]),
}


def _proposal(spec_type: str, title: str, scope: str, drafter: str, livelihood: bool = False, **extra) -> dict:
    return {"spec_type": spec_type, "title": title, "project_kind": "new", "application_scope": scope,
            "necessity": "量值传递需要统一方法，现行规范空缺或技术落后。", "drafting_units": [people.DRAFTERS[drafter]],
            "drafters": [drafter], "funding": "财政专项", "livelihood": livelihood,
            "outside_plan_reason": "委员会成立前已提出的急需项目，未及列入项目计划", **extra}


SPECS = {  # key: (proposal, drafter)
    "balance": (_proposal("JJF", "电子天平校准规范", "实际分度值不小于 0.1 mg 的电子天平", "drafter_sh", True,
                          adopted_document="OIML R 76-1:2006"), "drafter_sh"),
    "pressure": (_proposal("JJG", "数字压力计检定规程", "准确度等级 0.01 级至 0.5 级的数字压力计", "drafter_gd"),
                 "drafter_gd"),
    "caliper": (_proposal("JJF", "机械式游标卡尺校准规范", "分度值 0.02 mm 的机械式游标卡尺", "drafter_zj"),
                "drafter_zj"),
    "laser": (_proposal("JJF", "激光干涉仪校准规范", "测量范围至 80 m 的单频激光干涉仪", "drafter_sh"), "drafter_sh"),
    "gauge": (_proposal("JJG", "量块检定规程", "0 级至 3 级量块", "drafter_gd"), "drafter_gd"),
    "cmm": (_proposal("JJF", "坐标测量机校准规范", "桥式坐标测量机", "drafter_zj"), "drafter_zj"),
    "taximeter": (_proposal("JJG", "出租汽车计价器检定规程", "出租汽车计价器", "drafter_sh", True), "drafter_sh"),
    "roundness": (_proposal("JJF", "圆度仪校准规范", "转轴式圆度仪", "drafter_gd"), "drafter_gd"),
    "fuel": (_proposal("JJG", "燃油加油机检定规程", "燃油加油机", "drafter_zj", True), "drafter_zj"),
    "height": (_proposal("JJF", "高度卡尺校准规范", "测量范围至 1000 mm 的高度卡尺", "drafter_sh"), "drafter_sh"),
    "thermocouple": (_proposal("JJF", "工作用廉金属热电偶校准规范", "K 型、N 型热电偶", "drafter_gd"), "drafter_gd"),
    "sound": (_proposal("JJG", "声级计检定规程", "1 级、2 级声级计", "drafter_zj", True), "drafter_zj"),
    "water_meter": (_proposal("JJG", "智能水表检定规程", "口径 DN15～DN40 的智能水表", "drafter_js", True),
                    "drafter_js"),
    "charger": (_proposal("JJF", "电动汽车交流充电桩现场校准规范", "额定功率 7 kW 及以下的交流充电桩", "drafter_js"),
                "drafter_js"),
    "gas_meter": (_proposal("JJF", "膜式燃气表在线校准规范", "最大流量 6 m³/h 及以下的膜式燃气表", "drafter_js"),
                  "drafter_js"),
}
PROVINCIAL = {  # code: Team's level, jurisdiction and authority (the provincial profile: working-day windows,
    # a review group of at least 7 voters)
    "MTC31": {"level": "provincial", "jurisdiction": "江苏", "authority": people.PROVINCIAL_AUTHORITY},
}
APPLICATION = {"justification": "该领域量值传递需要统一归口",
               "spec_framework": "检定规程、校准规范、型式评价大纲、检定系统表",
               "overlap_analysis": "与现有委员会无交叉", "resources": "专职人员 3 名，工作经费落实",
               "work_plan": "五年内制修订规范 20 项", "approval_level": "national",
               "planned_composition": "委员 25 人：企业、用户、检测机构、科研院所、监管部门各方，任一方不超过半数"}
SCHEDULES = (  # the authority's schedules: the registry drives these starts from the first day on
    ("年度工作报告", "annual_report", {"kind": "yearly", "date": "annual_report_start"}, "active_committees"),
    ("列入考核后启动考核", "committee_assessment", {"kind": "after", "duration": "assessment_after_flag"},
     "flagged_committees"),
    ("委员会换届", "committee_renewal", {"kind": "before", "duration": "renewal_lead"}, "active_committees"),
    ("实施效果评价", "effect_evaluation", {"kind": "after", "duration": "effect_evaluation_after"},
     "effective_specifications"),
    ("定期复审", "periodic_rereview", {"kind": "after", "duration": "rereview_interval"}, "effective_specifications"),
)
RECTIFIED = {"rectification_summary": "补报年度工作报告，充实秘书处人员", "measures": "建立报告提醒与督办制度"}


def seeded(engine) -> bool:
    with engine.db.transaction() as session:
        return bool(session.scalar(select(func.count()).select_from(Committee)))


def seed(engine, end: datetime | None = None, password: str = "mtcflow-demo",
         progress: Callable[[str], None] = print) -> dict:
    """Seed the demo on a database that has no committee yet (else refuse: returns {'seeded': False})."""
    if seeded(engine):
        progress("the registry already holds committees: demo data not seeded again")
        return {"seeded": False}
    end = end or engine_clock.now()
    start = datetime.combine(end.date() - timedelta(days=SPAN_DAYS + PLAN_NOTICE_DAYS), time(1), UTC)  # 09:00 BJT
    manual = ManualClock(start)
    previous = engine_clock.install(manual)
    try:
        d = Driver(engine, manual, password, progress)
        Demo(d, start, end).run()
        return {"seeded": True, "actions": d.actions}
    finally:
        engine_clock.install(previous)


class Demo:
    """The timeline: each program is one committee's or one project's story, interleaved by the clock."""

    def __init__(self, d: Driver, start: datetime, end: datetime):
        self.d, self.start, self.end = d, start, end
        self.pools = {code: people.candidates(code, given, units) for code, (_, given, units) in COMMITTEES.items()}
        self.teams: dict[str, Team] = {}
        self.ids: dict[str, str] = {}

    def at(self, days: int) -> datetime:
        """Day ``days`` of the story; the first establishment plans are filed before day 0, at the start."""
        return self.start + timedelta(days=PLAN_NOTICE_DAYS + days)

    def before_end(self, days: int) -> datetime:
        return self.end - timedelta(days=days)

    def run(self) -> None:
        d = self.d
        d.progress(f"seeding the demo from {self.start:%Y-%m-%d} to {self.end:%Y-%m-%d} through the processes")
        people.staff(d)
        for code in ("MTC01", "MTC02", "MTC03", "MTC06"):
            self.teams[code] = people.team(d, code, self.pools[code])
        self.teams["MTC31"] = people.team(d, "MTC31", self.pools["MTC31"], **PROVINCIAL["MTC31"])
        d.user("mtc04_sec", ["secretariat:committee/MTC04"], COMMITTEES["MTC04"][2][3], "MTC04 筹建秘书处")
        d.user("mtc05_sec", ["secretariat:committee/MTC05"], COMMITTEES["MTC05"][2][3], "MTC05 筹建单位")
        for name, key, rule, subjects in SCHEDULES:
            d.schedule(name, key, rule, subjects)
        d.run([self.committee("MTC01", 0), self.committee("MTC02", 10), self.committee("MTC03", 20),
               self.committee("MTC04", SPAN_DAYS - 55, until="notice"), self.applying("MTC05", 12),
               self.committee("MTC31", 30), self.committee("MTC06", 40),
               self.restored("MTC06", SPAN_DAYS - 700), self.member_change("MTC01", 40),
               self.provincial("water_meter", "comment", 110), self.provincial("charger", "drafting", 240),
               self.provincial("gas_meter", "review", 200),
               self.revised("balance", 60), self.rereview_open("pressure", 90), self.abolished("caliper", 120),
               self.published("MTC01", "laser", 420), self.published("MTC02", "thermocouple", 200),
               self.assessed("MTC01", SPAN_DAYS - 300, "一级"), self.rejected("roundness", 700),
               self.staged("gauge", "approval", 175), self.staged("cmm", "review", 160),
               self.staged("taximeter", "comment", 100), self.staged("height", "drafting", 120),
               self.noticed("fuel", 12), self.proposed(3), self.plan("MTC01", 200),
               self.reassigned("sound", SPAN_DAYS - 420), self.revoked("MTC03", SPAN_DAYS - 110),
               self.rectifying("MTC02", SPAN_DAYS - 45), self.chair_report("MTC01", SPAN_DAYS - 200),
               *(self.annual_reports(code, late) for code, late in (("MTC01", ()), ("MTC02", self._late()),
                                                                     ("MTC03", ()), ("MTC06", ()),
                                                                     ("MTC31", ())))])
        d.set(self.end)
        d.progress(f"done: {d.actions} process actions")

    # ----- committees ----------------------------------------------------------------------------------
    def committee(self, code: str, day: int, until: str = "active") -> Program:
        """P1: application, its public notice, approval of the preparation, recruitment, composition, notice,
        establishment."""
        yield self.at(day) - timedelta(days=PLAN_NOTICE_DAYS)
        d, pool = self.d, self.pools[code]
        name, _, units = COMMITTEES[code]
        proposer, level = f"{code.lower()}_sec", PROVINCIAL.get(code, {})
        authority = level.get("authority", AUTHORITY)
        scope = {"committee": code, "level": level.get("level", "national"),
                 **({"jurisdiction": level["jurisdiction"]} if level else {})}
        application = {**APPLICATION, "approval_level": scope["level"]}
        if level:
            application.update(jurisdiction=level["jurisdiction"],
                               approving_authority=f"{level['jurisdiction']}省市场监督管理局")
        iid = d.start(proposer, "committee_establishment", scope)
        d.do(proposer, iid, "task_apply", {**application, "committee_name": name, "secretariat_host": units[3],
                                           "committee_scope": f"{name[2:-7]}领域计量技术规范的制修订"})
        yield after_window(d, iid, PLAN_NOTICE_DAYS, "plan_notice_closes_at")  # the plan's public notice (BR12)
        d.do(authority, iid, "task_review_application", {"application_decision": "approve"})
        d.progress(f"  {code} {name}: preparation approved")
        yield 14
        d.do(proposer, iid, "task_recruit", {"call_summary": "公开征集委员，发布征集通知", "candidates": pool})
        yield 14
        d.do(proposer, iid, "task_plan", {"charter": "委员会章程", "secretariat_rules": "秘书处工作细则",
                                          "composition": people.composition(pool)})
        d.do(authority, iid, "task_review", {"composition_decision": "approve"})
        if until == "notice":
            yield 20
            notice_id = d.data(iid)["notice_id"]
            d.comment(notice_id, "某计量院", "某省计量院", "建议增加企业委员比例。")
            d.comment(notice_id, "匿名", None, "拟任委员陈晓明已于他委员会任职，请核实。", kind="objection")
            d.progress(f"  {code}: composition under public notice (2 comments)")
            return
        yield after_window(d, iid)
        document = f"苏市监计量函〔{d.clock.now().year}〕{code[-2:]}号" if level else \
            f"市监计量函〔{d.clock.now().year}〕{code[-2:]}号"
        d.do(authority, iid, "task_approve", {"establishment_decision": "approve", "approval_document": document})
        d.progress(f"  {code}: established with {len(pool)} members")

    def applying(self, code: str, days_before_end: int) -> Program:
        """P1 steps 1–2: an application whose establishment plan is still under public notice, with comments."""
        yield self.before_end(days_before_end)
        d, (name, _, units) = self.d, COMMITTEES[code]
        iid = d.start(f"{code.lower()}_sec", "committee_establishment", {"committee": code, "level": "national"})
        d.do(f"{code.lower()}_sec", iid, "task_apply", {**APPLICATION, "committee_name": name,
                                                        "secretariat_host": units[3],
                                                        "committee_scope": "时间频率计量技术规范的制修订"})
        yield 4
        notice_id = d.data(iid)["plan_notice_id"]
        d.comment(notice_id, "某授时中心", "某授时中心", "建议明确与全国无线电计量技术委员会的分工。")
        d.comment(notice_id, "匿名", None, "秘书处承担单位的专职人员配置不足。", kind="objection")
        d.progress(f"  {code} {name}: establishment plan under public notice (2 comments)")

    def assessed(self, code: str, day: int, grade: str) -> Program:
        yield self.at(day)
        iid = self.d.start(AUTHORITY, "committee_assessment", {"committee": code, "level": "national"})
        self.d.do(AUTHORITY, iid, "task_grade", {"grade": grade, "comment": "工作规范，按期完成计划"})
        self.d.progress(f"  {code}: assessed {grade}")

    def _fail(self, code: str) -> str:
        iid = self.d.start(AUTHORITY, "committee_assessment", {"committee": code, "level": "national"})
        self.d.do(AUTHORITY, iid, "task_grade", {"grade": "不合格", "comment": "连续两年未按期报送年度工作报告"})
        return iid

    def rectifying(self, code: str, day: int) -> Program:
        """Two missed annual reports flagged the committee (BR8) and the schedule started P5: graded 不合格."""
        yield self.at(day)
        iid = self.d.find("committee_assessment", committee=code)
        if iid is None:
            raise RuntimeError(f"no assessment of {code} was started by its BR8 flag")
        self.d.do(AUTHORITY, iid, "task_grade", {"grade": "不合格", "comment": "连续两年未按期报送年度工作报告"})
        self.d.progress(f"  {code}: flagged by missed reports (BR8), graded 不合格, in rectification (BR9)")

    def _late(self) -> tuple[int, int]:
        """The two years MTC02 misses: the second miss (31 January) flags it and the assessment starts mid
        February, early enough to be graded 45 days before the end."""
        second = self.end.year if (self.end.month, self.end.day) >= (4, 3) else self.end.year - 1
        return second - 1, second

    def annual_reports(self, code: str, late: tuple[int, ...]) -> Program:
        """P3a every January from the schedule: filed and accepted, except in the years the committee is late."""
        d = self.d
        for year in range(self.start.year + 1, self.end.year + 1):
            moment = datetime(year, 1, 8, 1, tzinfo=UTC)
            if not self.start < moment < self.end:
                continue
            yield moment
            iid = d.find("annual_report", committee=code)
            if iid is None or year in late:
                continue
            sec = f"{code.lower()}_sec"
            d.do(sec, iid, "task_write_report", {
                "year": year - 1, "basic_data": "委员 25 人，秘书处专职 3 人", "spec_status": "在研规范按计划推进",
                "work_done": "组织审定会议，开展宣贯培训", "next_year_plan": "按年度计划推进制修订",
                "funds": "专项经费"})
            yield 5
            authority = PROVINCIAL.get(code, {}).get("authority", AUTHORITY)
            d.do(authority, iid, "task_review_report", {"decision": "accept"})
        d.progress(f"  {code}: annual reports{'' if not late else ' (late in ' + ', '.join(map(str, late)) + ')'}")

    def chair_report(self, code: str, day: int) -> Program:
        yield self.at(day)
        chair = f"{code.lower()}_chair"
        iid = self.d.start(AUTHORITY, "chair_report", {"committee": code, "level": "national"})  # called for
        self.d.do(chair, iid, "task_submit_report", {"period": str(self.d.clock.now().year - 1),
                                                     "summary": "主持审定规范 4 项，组织宣贯 2 次"})
        yield 7
        self.d.do(AUTHORITY, iid, "task_evaluate_report", {"decision": "accept", "grade": "称职"})

    def revoked(self, code: str, day: int) -> Program:
        """P5 exit: 不合格, a rectification that does not satisfy, the revocation noticed, then carried out; open
        work goes to MTC01."""
        yield self.at(day)
        iid = self._fail(code)
        yield 30
        self.d.do(f"{code.lower()}_sec", iid, "task_rectify", RECTIFIED)
        yield 10
        self.d.do(AUTHORITY, iid, "task_reassess",
                  {"reassessment_grade": "不合格", "reassessment_comment": "整改不到位"})
        self.d.do(AUTHORITY, iid, "task_decide", {"exit_action": "revoke", "successor_code": "MTC01",
                                                  "decision_reason": "整改后复核仍不合格，予以撤销"})
        yield 31  # 撤销公示
        self.d.do(AUTHORITY, iid, "task_confirm_revocation", {"revocation_decision": "revoke",
                                                              "revocation_opinion": "公示期内无异议"})
        self.d.progress(f"  {code}: revoked, open specifications reassigned to MTC01")

    def restored(self, code: str, day: int) -> Program:
        """P5 to suspension and back: 不合格, a rectification that does not satisfy, suspended; a later assessment
        that passes lifts the suspension (the committee works again)."""
        yield self.at(day)
        iid = self._fail(code)
        yield 30
        self.d.do(f"{code.lower()}_sec", iid, "task_rectify", RECTIFIED)
        yield 10
        self.d.do(AUTHORITY, iid, "task_reassess", {"reassessment_grade": "不合格",
                                                    "reassessment_comment": "秘书处人员仍未落实"})
        self.d.do(AUTHORITY, iid, "task_decide", {"exit_action": "suspend",
                                                  "decision_reason": "整改后复核仍不合格，暂停工作限期改进"})
        self.d.progress(f"  {code}: suspended after a failed reassessment")
        yield 120
        iid = self.d.start(AUTHORITY, "committee_assessment", {"committee": code, "level": "national"})
        self.d.do(AUTHORITY, iid, "task_grade", {"grade": "二级", "comment": "秘书处人员到位，积压项目已推进"})
        self.d.progress(f"  {code}: reassessed 二级, suspension lifted")

    def member_change(self, code: str, days_before_end: int) -> Program:
        """P2c during the term: the last member resigns (解聘, approved, grants revoked), then a successor from the
        same unit and stakeholder category is added (增补) and appointed with an account (BR5, BR6, BR14)."""
        yield self.before_end(days_before_end)
        d, sec, pool = self.d, f"{code.lower()}_sec", self.pools[code]
        scope = {"committee": code, "level": "national"}
        leaving = d.registry_member(code, pool[-1]["name"])
        iid = d.start(sec, "committee_member_change", scope)
        d.do(sec, iid, "task_propose_change", {"change_kind": "dismiss", "member_id": leaving,
                                               "change_reason": "本人因工作调动申请辞去委员"})
        d.do(AUTHORITY, iid, "task_decide_change", {"change_decision": "approve", "decision_reason": "同意"})
        yield 15
        username = f"{code.lower()}_m{len(pool) - 3}"
        successor = {**pool[-1], "name": f"钱{COMMITTEES[code][1]}", "username": username, "role": "member",
                     "experience_years": 15}
        d.user(username, [], successor["unit"], f"{successor['name']}（增补委员）")
        iid = d.start(sec, "committee_member_change", scope)
        d.do(sec, iid, "task_propose_change", {"change_kind": "add", "new_member": successor,
                                               "change_reason": "增补同单位委员，保持监管部门代表"})
        d.do(AUTHORITY, iid, "task_decide_change", {"change_decision": "approve", "decision_reason": "同意增补"})
        d.progress(f"  {code}: {pool[-1]['name']} resigned, {successor['name']} added (member changes)")

    # ----- specifications ------------------------------------------------------------------------------
    def _publish(self, code: str, key: str, until: str = "published", iid: str | None = None, **changes) -> Program:
        proposal, drafter = SPECS[key]
        result = yield from publish(self.d, self.teams[code], {**proposal, **changes}, drafter, iid, until)
        self.ids[key] = result[1]
        self.d.progress(f"  {result[1]} {changes.get('title', proposal['title'])}: {until}")
        return result

    def published(self, code: str, key: str, day: int) -> Program:
        yield self.at(day)
        yield from self._publish(code, key)

    def staged(self, key: str, until: str, days_before_end: int) -> Program:
        yield self.before_end(days_before_end)
        iid, _ = yield from self._publish("MTC01", key, until)
        if until == "comment":
            yield 3
            self._public_comments(self.d.data(iid)["notice_id"], 3)

    def _public_comments(self, notice_id: int, count: int) -> None:
        for i in range(count):
            self.d.comment(notice_id, f"{people.SURNAMES[i]}工程师", f"第{i + 1}计量检定所",
                           f"第 {i + 1} 条：建议补充示值误差的测量方法。")

    def noticed(self, key: str, days_before_end: int) -> Program:
        """P6: the 立项 notice is open, with public comments."""
        from engine.demo.spec_phases import notice_project, propose

        yield self.before_end(days_before_end)
        team = self.teams["MTC01"]
        iid = propose(self.d, team, SPECS[key][0])
        notice_id = notice_project(self.d, team, iid)
        yield 4
        self._public_comments(notice_id, 2)
        self.d.progress(f"  {SPECS[key][0]['title']}: 立项公示 open")

    def plan(self, code: str, days_before_end: int) -> Program:
        """十一: a call for needs, the annual plan approved and published, then adjusted during the year."""
        yield self.before_end(days_before_end)
        yield from plan_story(self.d, self.teams[code], self.before_end(days_before_end).year + 1)

    def proposed(self, days_before_end: int) -> Program:
        from engine.demo.spec_phases import propose

        yield self.before_end(days_before_end)
        propose(self.d, self.teams["MTC01"], _proposal("JJF", "三坐标测头校准规范", "接触式三坐标测头", "drafter_sh"))
        self.d.progress("  三坐标测头校准规范: proposed")

    def rejected(self, key: str, day: int) -> Program:
        from engine.demo.spec_phases import propose

        yield self.at(day)
        team = self.teams["MTC01"]
        iid = propose(self.d, team, SPECS[key][0])
        self.d.do(team.secretary_general, iid, "p6_task_evaluate",
                  {"evaluation_decision": "reject", "evaluation_opinion": "与现行规范重复，不予推荐"})
        self.d.progress(f"  {SPECS[key][0]['title']}: rejected by the committee")

    def provincial(self, key: str, until: str, days_before_end: int) -> Program:
        """A project of the provincial committee MTC31 under the provincial profile, left at ``until``."""
        yield self.before_end(days_before_end)
        iid, _ = yield from self._publish("MTC31", key, until)
        if until == "comment":
            yield 3
            self._public_comments(self.d.data(iid)["notice_id"], 2)

    def reassigned(self, key: str, day: int) -> Program:
        """A project of MTC03, still drafting when MTC03 is revoked: it moves to MTC01."""
        yield self.at(day)
        yield from self._publish("MTC03", key, "drafting")

    def _evaluation_due(self, key: str) -> datetime:
        """When the schedule starts P11: effect_evaluation_after (3 years) after the effective date, 09:00."""
        from engine.specifications.models import Specification

        with self.d.engine.db.transaction() as session:
            effective = session.get(Specification, self.ids[key]).effective_date
        day = effective.replace(year=effective.year + 3) if (effective.month, effective.day) != (2, 29) \
            else effective.replace(year=effective.year + 3, day=28)
        return datetime.combine(day, time(2), UTC)

    def _evaluate(self, key: str, suggestion: str) -> None:
        d, team = self.d, self.teams["MTC01"]
        iid = d.find("effect_evaluation", specification=self.ids[key])
        if iid is None:
            raise RuntimeError(f"the schedule did not start the effect evaluation of {self.ids[key]}")
        d.do(team.secretariat, iid, "p11_task_evaluate", {
            "evaluation_period": f"{d.clock.now().year - 3}—{d.clock.now().year}",
            "application": "全国各级计量机构广泛采用",
            "problems": "新型产品不完全适用", "findings": "总体适用，部分条款需更新", "suggestion": suggestion})
        d.do(team.chair, iid, "p11_task_review", {"evaluation_review": "accept"})

    def _rereview(self, key: str, conclusion: str | None) -> str:
        d, team = self.d, self.teams["MTC01"]
        iid = d.start(team.secretariat, "periodic_rereview", {**team.scope, "specification": self.ids[key]})
        if conclusion:
            d.do(team.secretariat, iid, "p12_task_proposal", {"rereview_proposal": conclusion,
                                                              "rereview_reasons": "技术进步，产品更新"})
            d.do(team.chair, iid, "p12_task_conclude", {"rereview_recommendation": conclusion,
                                                        "rereview_opinion": "委员会复审结论"})
        return iid

    def revised(self, key: str, day: int) -> Program:
        """Published, evaluated three years after it took effect, re-reviewed, revised: the revision supersedes it."""
        yield self.at(day)
        yield from self._publish("MTC01", key)
        yield self._evaluation_due(key)
        self._evaluate(key, "revise")
        yield 20
        iid = self._rereview(key, "revise")
        proposal = SPECS[key][0]
        yield from self._publish("MTC01", key, iid=iid, project_kind="revision", title=f"{proposal['title']}（修订）",
                                 replaces=self.ids[key])

    def rereview_open(self, key: str, day: int) -> Program:
        yield self.at(day)
        yield from self._publish("MTC01", key)
        yield self._evaluation_due(key)
        self._evaluate(key, "revise")
        yield self.before_end(15)
        self._rereview(key, None)
        self.d.progress(f"  {self.ids[key]}: under re-review")

    def abolished(self, key: str, day: int) -> Program:
        yield self.at(day)
        yield from self._publish("MTC01", key)
        yield self.at(day + 1250)  # before its effect evaluation falls due
        iid = self._rereview(key, "abolish")
        self.d.do(AUTHORITY, iid, "p12_task_abolition", {"abolition_publish": "publish",
                                                         "abolition_reason": "已被新一代规范覆盖"})
        yield 31
        self.d.do(AUTHORITY, iid, "p12_task_abolition_decide", {"abolition_decision": "abolish",
                                                                "abolition_opinion": "公示期内无异议，予以废止"})
        self.d.progress(f"  {self.ids[key]}: abolished")
