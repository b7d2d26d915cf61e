"""The committee's workflow on Forgejo and Gitea Actions: what differs is written in one place, section 7 of
docs/guide/hosting.md, and these tests read the workflow generically (any jobs, any steps) and pin each difference.

Where the rules come from (read 2026-12-06):
- Gitea, "Compared to GitHub Actions": https://docs.gitea.com/usage/actions/comparison (1.20 to 1.27; the 1.25 page
  lists concurrency, permissions, timeout-minutes, continue-on-error, environment as ignored and runs-on as one label;
  the 1.20-1.22 pages say hashFiles is always the empty string); go-gitea/gitea
  docs/content/usage/actions/comparison.en-us.md.
- Forgejo, workflow reference and context availability table: forgejo/docs docs/user/actions/reference.md
  (https://forgejo.org/docs/latest/user/actions/reference/); "Forgejo Actions | GitHub Actions":
  docs/user/actions/github-actions.md (permissions ignored); the pull_request event payload sample
  docs/user/actions-contexts/pull-request/fork-org/pull_request/github.
- Forgejo Runner source (code.forgejo.org/forgejo/runner, mirror project-mirrors/forgejo-runner at 0988a0cb):
  act/runner/step.go (GITHUB_STEP_SUMMARY only logged), act/runner/expression.go (hashFiles runs node in the job
  container), RELEASE-NOTES.md 8.0.0 (default label node:22-bookworm; workflows schema-checked before running).
- Artifacts: actions/toolkit packages/artifact/src/internal/shared/config.ts isGhes() (any host but github.com,
  *.ghe.com, *.localhost counts as GHES); go-gitea/gitea issues #31256, #36024 (GHESNotSupportedError on Gitea
  1.22 and 1.25), #32679 (v4 protocol in Gitea 1.23), #35706 (forks without the check), #36829 (v6, v7 fail on 1.25
  even without the check; v5 passes).
- Pages: none on Gitea or Forgejo (go-gitea/gitea #302). Variables: go-gitea/gitea #24724 (Gitea 1.20). Matrix from
  job outputs: go-gitea/gitea #25179 (open; one broken job), #37747 (closed unmerged).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "collection-desk.yml"
GUIDE = ROOT / "docs" / "guide" / "hosting.md"

PAGES_ACTIONS = ("actions/upload-pages-artifact", "actions/deploy-pages")
ARTIFACT_ACTIONS = ("actions/upload-artifact", "actions/download-artifact")


@pytest.fixture(scope="module")
def raw() -> str:
    return WORKFLOW.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def workflow(raw) -> dict:
    data = yaml.safe_load(raw)
    if True in data:  # YAML 1.1 reads the key `on` as true
        data["on"] = data.pop(True)
    return data


@pytest.fixture(scope="module")
def compat() -> str:
    page = GUIDE.read_text(encoding="utf-8")
    start = page.index("\n## 7. ")
    return page[start:]


def _rows(text: str, heading: str) -> dict[str, list[str]]:
    """The table under a ### heading, keyed by the first cell's backticked name."""
    part = text[text.index(f"### {heading}"):]
    following = part.find("\n### ", 4)
    part = part[: following if following != -1 else len(part)]
    rows = {}
    for line in part.splitlines():
        if not line.startswith("| `"):
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        rows[re.match(r"`([^`]+)`", cells[0]).group(1)] = cells[1:]
    return rows


@pytest.fixture(scope="module")
def action_rows(compat) -> dict[str, list[str]]:
    return _rows(compat, "用到的 Action")


@pytest.fixture(scope="module")
def feature_rows(compat) -> dict[str, list[str]]:
    return _rows(compat, "工作流里的写法")


def _jobs(workflow):
    return workflow["jobs"].items()


def _steps(workflow):
    for job_id, job in _jobs(workflow):
        for step in job.get("steps", []):
            yield job_id, step


def _action(uses: str) -> str:
    """owner/name of a step's action: no host, no @ref."""
    name = uses.split("@", 1)[0]
    return re.sub(r"^https?://[^/]+/", "", name)


def _majors(raw: str, uses: str) -> set[int]:
    """The major versions a pinned action is used at: the tag, or the `# vN…` comments after a commit hash."""
    ref = uses.split("@", 1)[1]
    if re.fullmatch(r"v\d+(\.\d+)*", ref):
        return {int(ref[1:].split(".")[0])}
    comments = re.findall(rf"uses: {re.escape(uses)}[ \t]+#[ \t]*v(\d+)", raw)
    assert comments, f"{uses}: a commit pin says its version in a comment"
    return {int(major) for major in comments}


def test_the_rows_are_read_from_the_guide(action_rows, feature_rows):
    assert "actions/checkout" in action_rows and len(action_rows) >= 6
    assert {"concurrency", "permissions", "vars", "hashFiles", "runs-on", "gh api"} <= set(feature_rows)
    assert all(len(cells) == 2 and all(cells) for cells in {**action_rows, **feature_rows}.values())


def test_every_action_the_workflow_uses_has_its_forgejo_and_gitea_note(workflow, action_rows):
    used = {_action(step["uses"]) for _job, step in _steps(workflow) if "uses" in step}
    assert "actions/checkout" in used
    assert used <= set(action_rows), sorted(used - set(action_rows))


def test_artifact_actions_from_v4_say_they_are_refused_and_what_replaces_them(raw, workflow, action_rows):
    versions = {}
    for _job, step in _steps(workflow):
        uses = step.get("uses", "")
        if _action(uses) in ARTIFACT_ACTIONS:
            versions.setdefault(_action(uses), set()).update(_majors(raw, uses))
    assert versions, "the workflow passes artifacts between jobs"
    for action, majors in versions.items():
        note, change = action_rows[action]
        short = action.split("/")[1]
        if max(majors) >= 4:  # @actions/artifact 2.x and its host check
            assert "GHESNotSupportedError" in note, action
            assert f"code.forgejo.org/forgejo/{short}@v4" in change, action
            assert f"christopherhx/gitea-{short}@v4" in change, action
        if action == "actions/upload-artifact":
            assert len(majors) == 1 and f"工作流钉的是 v{max(majors)}" in note, majors  # the note speaks of the pin
            if max(majors) >= 6:  # fails on Gitea 1.25 even without the host check
                assert "v6" in note and "不能" in note


def test_upload_steps_keep_to_inputs_the_replacements_take(workflow, action_rows):
    """The replacements are said to take name, path, retention-days and if-no-files-found the same way."""
    taken = {"name", "path", "retention-days", "if-no-files-found"}
    change = action_rows["actions/upload-artifact"][1]
    for key in taken:
        assert f"`{key}`" in change
    for _job, step in _steps(workflow):
        if _action(step.get("uses", "")) == "actions/upload-artifact":
            assert set(step.get("with", {})) <= taken, step.get("name")


def test_download_inputs_the_replacements_may_lack_are_named(workflow, action_rows):
    """`pattern` (download-artifact v4.1+) is what the forks may not take: the guide names it where it is used."""
    inputs = set()
    for _job, step in _steps(workflow):
        if _action(step.get("uses", "")) == "actions/download-artifact":
            inputs |= set(step.get("with", {}))
    assert inputs
    change = action_rows["actions/download-artifact"][1]
    for key in inputs - {"name", "path"}:
        assert f"`{key}`" in change, key


def test_pages_run_only_in_jobs_the_guide_deletes_and_only_on_opt_in(workflow, action_rows):
    pages_jobs = {job_id for job_id, step in _steps(workflow) if _action(step.get("uses", "")) in PAGES_ACTIONS}
    assert pages_jobs
    for action in PAGES_ACTIONS:
        _note, change = action_rows[action]
        for job_id in pages_jobs:
            assert f"`{job_id}`" in change and "删掉" in change, (action, job_id)
    for job_id in pages_jobs:
        guard = str(workflow["jobs"][job_id].get("if", ""))
        github_only = re.search(r"github\.server_url\s*==\s*'https://github\.com'", guard)
        opt_in = re.findall(r"vars\.(\w+)\s*==\s*'true'", guard)
        assert github_only or opt_in, job_id  # never runs by default where Pages does not exist
        for name in opt_in:
            assert f"不要设变量 `{name}`" in action_rows["actions/upload-pages-artifact"][1], name


def test_every_repository_variable_is_documented(raw, feature_rows):
    names = set(re.findall(r"\bvars\.(\w+)", raw))
    note, change = feature_rows["vars"]
    assert "Gitea 1.20" in note and "空字符串" in note
    for name in names:
        assert f"`{name}`" in change, name


# Keys whose behaviour differs, where the workflow may use them: top level, job level, step level.
TOP_KEYS = ("concurrency", "permissions")
JOB_KEYS = ("concurrency", "permissions", "timeout-minutes", "environment", "continue-on-error", "outputs", "runs-on")
STEP_KEYS = ("continue-on-error",)


def test_every_key_that_differs_is_documented_where_used(workflow, feature_rows):
    used = {key for key in TOP_KEYS if key in workflow}
    for _job_id, job in _jobs(workflow):
        used |= {key for key in JOB_KEYS if key in job}
        if "max-parallel" in job.get("strategy", {}):
            used.add("max-parallel")
    for _job_id, step in _steps(workflow):
        used |= {key for key in STEP_KEYS if key in step}
    if "workflow_dispatch" in workflow["on"]:
        used.add("workflow_dispatch")
    assert {"permissions", "runs-on", "concurrency"} <= used
    assert used <= set(feature_rows), sorted(used - set(feature_rows))


def test_no_condition_relies_on_hash_files_and_the_guide_says_why(raw, feature_rows):
    assert "hashFiles(" not in raw  # older Gitea runners give "" for it: a step's output decides instead
    assert "steps.diff.outputs.written == 'true'" in raw and "steps.merge.outputs.written == 'true'" in raw
    note, change = feature_rows["hashFiles"]
    assert "Gitea 1.20 到 1.22" in note and "空字符串" in note
    assert "$GITHUB_OUTPUT" in change and "steps.<id>.outputs" in change


def test_a_matrix_from_job_outputs_is_documented_as_forgejo_only(workflow, feature_rows):
    dynamic = [job_id for job_id, job in _jobs(workflow)
               if re.search(r"fromjson\(\s*needs\.", str(job.get("strategy", {}).get("matrix", "")), re.IGNORECASE)]
    if not dynamic:
        pytest.skip("no matrix from job outputs (yet)")
    note, change = feature_rows["strategy.matrix"]
    assert "#25179" in note and "Forgejo 支持" in note
    assert "一个任务" in change and "--community all" in change
    for job_id in dynamic:  # the matrix comes from a job the matrix job needs
        needs = workflow["jobs"][job_id].get("needs", [])
        needs = [needs] if isinstance(needs, str) else needs
        for source in re.findall(r"needs\.([\w-]+)\.outputs", str(workflow["jobs"][job_id]["strategy"]["matrix"])):
            assert source in needs, (job_id, source)


def test_runs_on_is_one_label_the_guide_says_how_to_register(workflow, feature_rows):
    note, change = feature_rows["runs-on"]
    for job_id, job in _jobs(workflow):
        label = job["runs-on"]
        if isinstance(label, list):
            assert len(label) == 1, job_id  # Gitea: `runs-on: xyz` or `[xyz]` only
            label = label[0]
        assert isinstance(label, str), job_id
        assert f"`{label}:docker://" in change, label
    assert "node:22-bookworm" in note and "ubuntu-24.04" in note


def _scripts(workflow) -> str:
    return "\n".join(str(step.get("run", "")) for _job, step in _steps(workflow))


def test_shell_commands_that_differ_are_documented(workflow, feature_rows):
    scripts = _scripts(workflow)
    found = {
        "gh api": "gh api" in scripts,
        "sudo": re.search(r"\bsudo\b", scripts) is not None,
        "$GITHUB_STEP_SUMMARY": "GITHUB_STEP_SUMMARY" in scripts,
        "::error": "::error" in scripts,
    }
    assert any(found.values())
    for key, present in found.items():
        if present:
            assert key in feature_rows, key
    if found["gh api"]:
        note, change = feature_rows["gh api"]
        assert "/repos/{owner}/{repo}/issues/{index}/comments" in note
        assert "/repos/{owner}/{repo}/issues/comments/{id}" in note
        assert "GITHUB_API_URL" in change and "Authorization: token" in change


# The fields of Forgejo's documented pull_request payload (docs/user/actions-contexts/pull-request/fork-org/
# pull_request/github) that a condition may use, with the sample's values.
FORGEJO_PULL_REQUEST = {
    "number": 1,
    "title": "PR from fork",
    "html_url": "http://10.48.21.232:3000/root/example-pull-request/pulls/1",
    "head": {"ref": "main", "sha": "47d431bba8fe4ae7c7ffe1128b3cae4911d010de",
             "repo": {"full_name": "fork-org/example-pull-request", "fork": True}},
    "base": {"ref": "main", "sha": "04d83b7d2d269e0984ffab8c8a0608917fbf844a",
             "repo": {"full_name": "root/example-pull-request", "fork": False}},
}


def test_pull_request_fields_the_workflow_reads_are_in_forgejos_event(raw, feature_rows):
    paths = set(re.findall(r"github\.event\.pull_request\.([\w.]+)", raw))
    assert "head.repo.full_name" in paths  # the fork check
    for path in paths:
        value = FORGEJO_PULL_REQUEST
        for part in path.split("."):
            assert isinstance(value, dict) and part in value, path
            value = value[part]
    assert "github.event.pull_request.head.repo.full_name" in feature_rows
    # From a fork the head repository is the fork's, so the comparison with github.repository skips the comment job.
    assert FORGEJO_PULL_REQUEST["head"]["repo"]["full_name"] != FORGEJO_PULL_REQUEST["base"]["repo"]["full_name"]


# Which contexts and functions Forgejo accepts where (the availability table of the Forgejo reference; the runner
# refuses a workflow that breaks it from 8.0.0 on).
BASE_FUNCTIONS = {"contains", "endswith", "format", "join", "startswith", "tojson", "fromjson"}
STATUS = {"always", "cancelled", "failure", "success"}
STEP_CONTEXTS = {"env", "github", "forgejo", "forge", "inputs", "job", "matrix", "needs", "runner", "secrets",
                 "steps", "strategy", "vars"}
WHERE = {
    "concurrency": ({"github", "forgejo", "forge", "inputs", "vars"}, set()),
    "job.if": ({"env", "github", "forgejo", "forge", "inputs", "needs", "secrets", "vars"}, STATUS),
    "job.name": ({"github", "forgejo", "forge", "inputs", "matrix", "needs", "strategy", "vars"}, set()),
    "job.runs-on": ({"github", "forgejo", "forge", "inputs", "matrix", "needs", "strategy", "vars"}, set()),
    "job.strategy": ({"github", "forgejo", "forge", "inputs", "needs", "vars"}, set()),
    "job.timeout-minutes": ({"github", "forgejo", "forge", "inputs", "matrix", "needs", "strategy", "vars"}, set()),
    "job.env": ({"github", "forgejo", "forge", "inputs", "matrix", "needs", "secrets", "strategy", "vars"}, set()),
    "job.outputs": (STEP_CONTEXTS, set()),
    "step.if": (STEP_CONTEXTS, STATUS | {"hashfiles"}),
    "step": (STEP_CONTEXTS, {"hashfiles"}),
}


def _expressions(value, whole: bool) -> list[str]:
    """The expressions in a value: `${{ … }}` inside strings, or the whole string of an `if:`."""
    if isinstance(value, dict):
        return [e for v in value.values() for e in _expressions(v, whole)]
    if isinstance(value, list):
        return [e for v in value for e in _expressions(v, whole)]
    if not isinstance(value, str):
        return []
    found = re.findall(r"\$\{\{(.*?)\}\}", value, re.DOTALL)
    return found if found or not whole else [value]


def _names(expression: str) -> tuple[set[str], set[str]]:
    """(contexts, functions) an expression uses."""
    bare = re.sub(r"'(?:[^']|'')*'", "''", expression)
    contexts, functions = set(), set()
    for found in re.finditer(r"(?<![\w.\-])([A-Za-z_][\w-]*)(\s*\()?", bare):
        name = found.group(1)
        if found.group(2):
            functions.add(name.lower())
        elif name not in ("true", "false", "null"):
            contexts.add(name.lower())
    return contexts, functions


def _places(workflow):
    yield "concurrency", workflow.get("concurrency"), False
    for _job_id, job in _jobs(workflow):
        yield "job.if", job.get("if"), True
        for key in ("name", "runs-on", "strategy", "timeout-minutes", "env", "outputs"):
            yield f"job.{key}", job.get(key), False
        for step in job.get("steps", []):
            yield "step.if", step.get("if"), True
            yield "step", {k: v for k, v in step.items() if k != "if"}, False


def test_the_names_reader_tells_contexts_from_functions_and_strings():
    assert _names("!cancelled() && github.event_name == 'pull_request' && hashFiles('a.md') != ''") == (
        {"github"}, {"cancelled", "hashfiles"})
    assert _names("fromJSON(needs.plan.outputs.communities)") == ({"needs"}, {"fromjson"})
    assert _names("steps.diff.outcome == 'success' && vars.X == 'needs.y'") == ({"steps", "vars"}, set())


def test_expressions_use_only_what_forgejo_allows_where_they_are(workflow):
    checked = 0
    for where, value, whole in _places(workflow):
        allowed_contexts, extra = WHERE[where]
        for expression in _expressions(value, whole):
            contexts, functions = _names(expression)
            assert contexts <= allowed_contexts, (where, expression)
            assert functions <= BASE_FUNCTIONS | extra, (where, expression)
            checked += 1
    assert checked > 10


# -- the Forgejo runner's own workflow check, where its schema is on this machine --------------------------------
#
# From 8.0.0 the runner refuses a workflow its schema rejects. The schema is act/schema/workflow_schema.json of the
# runner (GPL-3.0, so not copied here); FORGEJO_WORKFLOW_SCHEMA may name a copy, else the runner's source mirror is
# read. The checker below ports act/schema/schema.go: mappings (unknown keys refused unless the definition has a
# loose value type), sequences, one-of, strings, numbers, booleans, allowed values, null, and every `${{ }}` checked
# against the contexts and functions the definitions allow, accumulated down the tree as the Go code does.

RUNNER_MIRROR = Path("/work/.mirror/project-mirrors+forgejo-runner/repo")
SCHEMA_PATH = "act/schema/workflow_schema.json"


def _runner_schema() -> dict | None:
    import json
    import os
    import subprocess

    named = os.environ.get("FORGEJO_WORKFLOW_SCHEMA")
    if named:
        return json.loads(Path(named).read_text(encoding="utf-8"))
    if RUNNER_MIRROR.is_dir():
        shown = subprocess.run(["git", "--git-dir", str(RUNNER_MIRROR), "show", f"HEAD:{SCHEMA_PATH}"],
                               capture_output=True, text=True, check=False)
        if shown.returncode == 0:
            return json.loads(shown.stdout)
    return None


BUILTIN_DEFINITIONS = {
    "any": {"one-of": ["sequence", "mapping", "number", "boolean", "string", "null"]},
    "sequence": {"sequence": {"item-type": "any"}},
    "mapping": {"mapping": {"loose-key-type": "any", "loose-value-type": "any"}},
    "number": {"number": {}},
    "string": {"string": {}},
    "boolean": {"boolean": {}},
    "null": {"null": {}},
}


class RunnerSchema:
    def __init__(self, schema: dict):
        self.definitions = schema["definitions"]

    def definition(self, name: str) -> dict:
        return self.definitions.get(name) or BUILTIN_DEFINITIONS.get(name, {})

    def check(self, node, name: str, context: list[str] | None = None) -> list[str]:
        definition = self.definition(name)
        context = definition.get("context", []) if context is None else context
        if isinstance(node, yaml.ScalarNode) and "${{" in node.value:
            return self._expressions(node, context)
        if "mapping" in definition:
            return self._mapping(node, definition["mapping"], context)
        if "sequence" in definition:
            if not isinstance(node, yaml.SequenceNode):
                return [self._at(node, "expected a sequence")]
            item = definition["sequence"]["item-type"]
            return [e for child in node.value for e in self.check(child, item, self._within(context, item))]
        if "one-of" in definition:
            failures = []
            for option in definition["one-of"]:
                errors = self.check(node, option, self._within(context, option))
                if not errors:
                    return []
                failures += errors
            return [self._at(node, f"matches none of {definition['one-of']}: {failures[:2]}")]
        if not isinstance(node, yaml.ScalarNode):
            return [self._at(node, "expected a scalar")]
        return self._scalar(node, definition, context)

    def _within(self, context: list[str], name: str) -> list[str]:
        return context + self.definition(name).get("context", [])

    def _mapping(self, node, mapping: dict, context: list[str]) -> list[str]:
        if not isinstance(node, yaml.MappingNode):
            return [self._at(node, "expected a mapping")]
        errors = []
        for key, value in node.value:
            if "${{" in key.value:
                errors += self._expressions(key, context)
                continue
            prop = mapping.get("properties", {}).get(key.value)
            if prop is None:
                if not mapping.get("loose-value-type"):
                    errors.append(self._at(key, f"unknown property {key.value}"))
                    continue
                prop = mapping["loose-value-type"]
            kind = prop if isinstance(prop, str) else prop["type"]
            errors += self.check(value, kind, self._within(context, kind))
        return errors

    def _scalar(self, node, definition: dict, context: list[str]) -> list[str]:
        value = node.value
        if "string" in definition:
            constant = definition["string"].get("constant")
            if constant and constant != value:
                return [self._at(node, f"expected {constant}")]
            if definition["string"].get("is-expression"):
                return self._expression(node, value, context)
            return []
        if "number" in definition:
            try:
                float(value)
            except ValueError:
                return [self._at(node, f"expected a number, got {value}")]
            return []
        if "boolean" in definition:
            return [] if value.lower() in ("true", "false") else [self._at(node, f"expected a boolean, got {value}")]
        if "allowed-values" in definition:
            return [] if value in definition["allowed-values"] else [self._at(node, f"{value} not allowed")]
        if "null" in definition:
            return [] if node.tag.endswith(":null") else [self._at(node, f"expected null, got {value}")]
        return [self._at(node, "no definition")]

    def _expressions(self, node, context: list[str]) -> list[str]:
        return [e for found in re.findall(r"\$\{\{(.*?)\}\}", node.value, re.DOTALL)
                for e in self._expression(node, found, context)]

    def _expression(self, node, expression: str, context: list[str]) -> list[str]:
        contexts, functions = _names(expression)
        allowed = {c.lower() for c in context if "(" not in c}
        callable_ = BASE_FUNCTIONS | {c.split("(")[0].lower() for c in context if "(" in c}
        if not context and (contexts or functions):
            return [self._at(node, f"expressions are not allowed here: {expression.strip()}")]
        return ([self._at(node, f"unknown variable {c} in {expression.strip()}") for c in sorted(contexts - allowed)]
                + [self._at(node, f"unknown function {f} in {expression.strip()}") for f in sorted(functions - callable_)])

    @staticmethod
    def _at(node, message: str) -> str:
        return f"line {node.start_mark.line + 1} column {node.start_mark.column + 1}: {message}"


@pytest.fixture(scope="module")
def runner_schema() -> RunnerSchema:
    schema = _runner_schema()
    if schema is None:
        pytest.skip("the Forgejo runner's workflow schema is not on this machine (set FORGEJO_WORKFLOW_SCHEMA)")
    return RunnerSchema(schema)


def test_the_schema_checker_refuses_what_the_runner_refuses(runner_schema):
    """The runner's own release-notes example (`ruins-on`), a context where it is not available, a bad number."""
    def errors(text: str) -> list[str]:
        return runner_schema.check(yaml.compose(text), "workflow-root")

    good = "on: push\njobs:\n  a:\n    runs-on: docker\n    steps:\n      - run: echo ${{ github.sha }}\n"
    assert errors(good) == []
    assert any("unknown property ruins-on" in e for e in errors(good.replace("runs-on", "ruins-on")))
    assert any("unknown variable steps" in e for e in errors(good + "    if: steps.x.outcome == 'success'\n"))
    assert any("expected a number" in e or "matches none" in e
               for e in errors(good + "    timeout-minutes: [1]\n"))


def test_the_workflow_passes_the_forgejo_runners_own_schema_check(runner_schema):
    assert runner_schema.check(yaml.compose(WORKFLOW.read_text(encoding="utf-8")), "workflow-root") == []
