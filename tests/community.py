"""Write small communities into a folder and compute them, for the engine's tests.

A test describes only what matters to it::

    c = Community(tmp_path, fees=[fee(rate="2.20", cycle=3)])
    c.unit("1-1-101", area="89.50", billing_start="2023-07-20")
    c.payment("1-1-101", "2023-08-01", "100.00")
    row = c.unit_report("1-1-101", "2023-10-01")

Values are written as YAML flow mappings (JSON text, which YAML reads the
same way), so every file the engine sees is ordinary data in the spec's
format. ``c.report(as_of)`` goes through the same path as the CLI:
``pipeline.check`` then ``desk_for`` then ``report.desk_json``; it fails
the test when the data has errors.

The policy's community and issuer come from the one fixture policy,
``tests/fixtures/policy.yaml``; ``fixture_policy()`` gives that file's text
for the tests that write a whole community by hand, with only the keys a
test changes replaced.
"""
from __future__ import annotations

import copy
import json
import re
from collections import defaultdict
from datetime import date
from functools import cache
from pathlib import Path

import yaml

from generator import pipeline
from generator.rules.engine import Desk, UnitState
from generator.views.report import desk_json

TODAY = date(2026, 11, 22)
ENTRIES = "ledger/entries.yaml"
POLICY_FILE = Path(__file__).resolve().parent / "fixtures" / "policy.yaml"
_TOP_KEY = re.compile(r"^([A-Za-z_$][\w$]*):")


def fixture_policy(**replace: str | None) -> str:
    """The fixture policy's text with the top-level keys in ``replace`` changed and the rest byte for byte.

    A value is the YAML text after ``key:`` (a block value starts with a newline), ``None`` removes
    the key; a key the file does not have is appended at the end::

        fixture_policy(community="手册花园", late_fee=None)
    """
    head, sections = "", {}
    for line in POLICY_FILE.read_text(encoding="utf-8").splitlines(keepends=True):
        if key := _TOP_KEY.match(line):
            sections[key[1]] = line
        elif sections:
            sections[next(reversed(sections))] += line
        else:
            head += line
    for key, value in replace.items():
        if value is None:
            sections.pop(key, None)
        else:
            separator = "" if value.startswith("\n") else " "
            sections[key] = key + ":" + separator + value.rstrip("\n") + "\n"
    return head + "".join(sections.values())


@cache
def _fixture_data() -> dict:
    return yaml.safe_load(POLICY_FILE.read_text(encoding="utf-8"))


def fixture_value(key: str):
    """One top-level value of the fixture policy as data (a fresh copy), e.g. its dunning ladder."""
    return copy.deepcopy(_fixture_data()[key])


def fee(**overrides) -> dict:
    """A fee entry for the policy: 2.00/m² a month, billed monthly, due on the 15th, unless overridden."""
    return {"id": "property", "name": "物业服务费", "basis": "area", "rate": "2.00", "cycle": 1, "due_day": 15, **overrides}


def stage(stage_id: str, after_days: int, channels: list[str], **extra) -> dict:
    return {"id": stage_id, "name": stage_id, "after_days": after_days, "channels": channels, **extra}


def flow(value) -> str:
    """A value as one line of YAML (JSON is valid YAML flow style)."""
    return json.dumps(value, ensure_ascii=False)


def _text(value):
    """Dates and numbers given as Python values become the text a person would write."""
    if isinstance(value, dict):
        return {k: _text(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_text(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def block(key: str, items: list) -> str:
    """``key:`` followed by one flow mapping per list item."""
    if not items:
        return ""
    return f"{key}:\n" + "".join(f"  - {flow(_text(item))}\n" for item in items)


class Community:
    """A community folder being written: policy, owners and entries files."""

    def __init__(self, root: Path, *, fees=None, late_fee=None, dunning=None, limitation=None, policy_yaml: str = "", **policy) -> None:
        """``policy``: further policy keys as they are written (creditor, authorisations, holidays, ...);
        ``policy_yaml``: raw YAML text appended to the policy (for tests that need a block layout or a mistake)."""
        self.root = Path(root)
        self.fees = [fee()] if fees is None else list(fees)
        self.late_fee = late_fee
        self.dunning = dunning or []
        self.limitation = limitation
        self.policy_extra = policy
        self.policy_yaml = policy_yaml
        self.units: dict[str, dict] = {}
        self.entries: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))

    # -- what the test writes -------------------------------------------------
    def unit(self, unit_id: str, *, type: str = "高层", area: str | None = "100.00",
             billing_start="2026-01-01", occupancy: str | None = None, opening: dict | list | None = None,
             contacts: list[dict] = (), **extra) -> Community:
        """``extra``: further keys of the owner file as they are written (service_address, consents, ...)."""
        self.units[unit_id] = {
            "unit": unit_id, "type": type, "area": area, "billing_start": billing_start,
            "occupancy": occupancy, "owners": [{"name": "业主" + unit_id}], "opening": opening,
            **extra, "contacts": list(contacts),
        }
        return self

    def contact(self, unit_id: str, day, channel: str, outcome: str, evidence: str | None = None, **extra) -> Community:
        self.units[unit_id]["contacts"].append({"date": day, "channel": channel, "outcome": outcome, "evidence": evidence, **extra})
        return self

    def payment(self, unit_id: str, day, amount: str, *, method: str = "wechat", receipt: str | None = None,
                file: str = ENTRIES, **extra) -> Community:
        """``extra``: e.g. ``**{"for": ["2026-03"]}``."""
        self.entries[file]["payments"].append({"unit": unit_id, "date": day, "amount": amount, "method": method, "receipt": receipt, **extra})
        return self

    def charge(self, unit_id: str, item: str, amount: str, due, *, issued=None, period: str | None = None,
               file: str = ENTRIES) -> Community:
        self.entries[file]["charges"].append({"unit": unit_id, "item": item, "period": period, "amount": amount, "due": due, "issued": issued})
        return self

    def waiver(self, unit_id: str, day, amount: str, applies_to: str = "principal", *, file: str = ENTRIES, **extra) -> Community:
        self.entries[file]["waivers"].append(
            {"unit": unit_id, "date": day, "amount": amount, "applies_to": applies_to, "approved_by": "业委会", "reason": "测试", **extra})
        return self

    def plan(self, unit_id: str, signed, installments: list[tuple], *, file: str = ENTRIES, **extra) -> Community:
        """``extra``: covers, late_fee."""
        steps = [{"due": due, "amount": amount} for due, amount in installments]
        self.entries[file]["plans"].append({"unit": unit_id, "signed": signed, "installments": steps, **extra})
        return self

    # -- files ------------------------------------------------------------------
    def policy_text(self) -> str:
        # the fixture's community and issuer, without the issuer's address and phone
        text = f"community: {fixture_value('community')}\nissuer: {{name: {fixture_value('issuer')['name']}}}\n"
        text += block("fees", self.fees) if self.fees else "fees: []\n"
        if self.late_fee is not None:
            text += f"late_fee: {flow(_text(self.late_fee))}\n"
        text += block("dunning", self.dunning)
        if self.limitation is not None:
            text += f"limitation: {flow(_text(self.limitation))}\n"
        for key, value in self.policy_extra.items():
            text += f"{key}: {flow(_text(value))}\n"
        return text + self.policy_yaml

    def unit_text(self, unit_id: str) -> str:
        data = self.units[unit_id]
        lines = []
        for key, value in data.items():
            if key == "contacts":
                continue
            if value is not None:
                lines.append(f"{key}: {flow(_text(value))}\n")
        return "".join(lines) + block("contacts", data["contacts"])

    def entries_text(self, file: str) -> str:
        sections = self.entries[file]
        return "".join(block(key, sections[key]) for key in ("payments", "charges", "waivers", "plans")) or "{}\n"

    def write(self) -> Path:
        (self.root / "ledger").mkdir(parents=True, exist_ok=True)
        (self.root / "owners").mkdir(parents=True, exist_ok=True)
        (self.root / "ledger" / "policy.yaml").write_text(self.policy_text(), encoding="utf-8")
        for unit_id in self.units:
            (self.root / "owners" / f"{unit_id}.yaml").write_text(self.unit_text(unit_id), encoding="utf-8")
        for file in self.entries:
            path = self.root / file
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(self.entries_text(file), encoding="utf-8")
        return self.root

    # -- results ------------------------------------------------------------------
    def checked(self, as_of, today: date = TODAY) -> pipeline.Checked:
        self.write()
        as_of = date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
        return pipeline.check(self.root, as_of, max(today, as_of), use_cache=False)

    def desk(self, as_of) -> Desk:
        as_of = date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
        checked = self.checked(as_of)
        assert not checked.errors, [p.render() for p in checked.errors]
        return pipeline.desk_for(checked, as_of)

    def report(self, as_of) -> dict:
        return desk_json(self.desk(as_of))

    def unit_report(self, unit_id: str, as_of) -> dict:
        """The JSON report's row of one unit."""
        rows = [row for row in self.report(as_of)["units"] if row["unit"] == unit_id]
        assert len(rows) == 1, unit_id
        return rows[0]

    def state(self, unit_id: str, as_of) -> UnitState:
        state = self.desk(as_of).unit(unit_id)
        assert state is not None, unit_id
        return state

    def charges(self, unit_id: str, as_of) -> list[tuple[str, str, str, str]]:
        """(period, amount, issued, due) of each charge, in charge order, as text."""
        return [
            (c.charge.period, str(c.charge.amount), c.charge.issued.isoformat(), c.charge.due.isoformat())
            for c in self.state(unit_id, as_of).charges
        ]


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write raw files (text as UTF-8, bytes as they are) under ``root``."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root
