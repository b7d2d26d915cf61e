"""The GitHub Actions workflow: valid for actionlint, pinned, private by default."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.core.diagnostics import Pos, error
from tests.support import PROJECT

WORKFLOWS = PROJECT / ".github" / "workflows"


def workflow_files() -> list[Path]:
    return sorted(WORKFLOWS.glob("*.yml"))


BIN = Path(sys.executable).parent  # the test extras install actionlint (and cuijiao) beside the interpreter


def actionlint(*paths: Path) -> subprocess.CompletedProcess:
    """actionlint on ``paths``, with shellcheck on every ``run:`` script when shellcheck is installed
    (``./run test`` installs it); a shellcheck finding makes actionlint fail."""
    program = shutil.which("actionlint") or shutil.which("actionlint", path=str(BIN))
    assert program, "actionlint is installed with the test extras (pip install -e '.[test]')"
    shellcheck = shutil.which("shellcheck")
    return subprocess.run([program, "-no-color", f"-shellcheck={shellcheck or ''}", *map(str, paths)],
                          capture_output=True, text=True)


def test_workflows_pass_actionlint():
    result = actionlint(*workflow_files())
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck is not installed (./run test installs it)")
def test_actionlint_fails_on_what_shellcheck_finds(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n"
                   "      - run: cp $FILES /tmp/out\n", encoding="utf-8")
    result = actionlint(bad)
    assert result.returncode == 1
    assert "shellcheck" in result.stdout and "SC2086" in result.stdout


def workflow() -> dict:
    return yaml.safe_load((WORKFLOWS / "collection-desk.yml").read_text(encoding="utf-8"))


def step(job: str, name_starts: str) -> dict:
    return next(s for s in workflow()["jobs"][job]["steps"] if s.get("name", "").startswith(name_starts))


def run_step(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """A ``run:`` script the way GitHub runs it: bash -e -o pipefail."""
    (cwd / ".step.sh").write_text(script, encoding="utf-8")
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", ".step.sh"], cwd=cwd,
                          env={"PATH": os.environ["PATH"], "HOME": str(cwd), **env}, capture_output=True, text=True)


def test_warnings_are_annotated_but_never_fail_the_job(tmp_path):
    from tests.handwritten import make_community

    root = make_community(tmp_path / "c")
    (root / "ledger/extra.yml").write_text("payments: []\n", encoding="utf-8")  # a warning
    summary = tmp_path / "summary.md"
    check = step("check-and-build", "校验数据")["run"]
    runs = [s.get("run", "") for s in workflow()["jobs"]["check-and-build"]["steps"]]
    assert not any("--strict" in r for r in runs)
    env = {"PATH": f"{BIN}:{os.environ['PATH']}", "GITHUB_STEP_SUMMARY": str(summary), "PYTHONUTF8": "1",
           "COMMUNITY_ROOT": ".", "COMMUNITY": "community"}
    result = run_step(check, root, env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "::warning file=ledger/extra.yml,line=1" in result.stdout
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("## 数据校验：community") and "ledger/extra.yml:1:1: 警告" in written and "检查通过：" in written
    assert check.count("cuijiao") == 1  # one check gives the annotations and the summary
    (root / "ledger/bad.yaml").write_text("payments:\n  - {unit: 1-1-101, amount: 1.001}\n", encoding="utf-8")
    result = run_step(check, root, env)
    assert result.returncode == 1
    assert "::error file=ledger/bad.yaml,line=2" in result.stdout
    assert "ledger/bad.yaml:2" in summary.read_text(encoding="utf-8").split("## 数据校验")[-1]


def test_runs_on_main_are_never_cancelled_and_each_artifact_is_uploaded_once():
    flow = workflow()
    assert flow["concurrency"]["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"
    paths = [line.strip() for s in flow["jobs"]["check-and-build"]["steps"] if "upload-artifact@" in s.get("uses", "")
             for line in s["with"]["path"].splitlines() if line.strip()]
    assert len(paths) == len(set(paths)) and not any(p.startswith("build/letters/") for p in paths), paths


def fake(bin_dir: Path, name: str, script: str) -> None:
    bin_dir.mkdir(parents=True, exist_ok=True)
    (bin_dir / name).write_text("#!/bin/sh\n" + script, encoding="utf-8")
    (bin_dir / name).chmod(0o755)


def test_the_money_diff_is_summarised_even_when_it_fails(tmp_path):
    diff = step("check-and-build", "金额变化")
    assert "!cancelled()" in diff["if"] and "pull_request" in diff["if"]
    fake(tmp_path / "bin", "cuijiao", 'echo "## 金额变化：改动后的数据有 1 处错误" > money-diff.md\nexit 1\n')
    summary = tmp_path / "summary.md"
    result = run_step(diff["run"], tmp_path, {"PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}",
                                              "GITHUB_STEP_SUMMARY": str(summary), "BASE_REF": "main", "COMMUNITY_ROOT": ".",
                                              "GITHUB_OUTPUT": str(tmp_path / "output.txt")})
    assert result.returncode == 1
    assert "改动后的数据有 1 处错误" in summary.read_text(encoding="utf-8")
    assert (tmp_path / "output.txt").read_text(encoding="utf-8") == "written=true\n"  # uploaded for the comment job


@pytest.fixture
def publish_step(tmp_path):
    encrypt = step("publish-encrypted", "用密码加密")
    assert encrypt["env"]["STATICRYPT_PASSWORD"] == "${{ secrets.SITE_PASSWORD }}"
    assert "--short" not in encrypt["run"] and " -p " not in encrypt["run"] and "--password" not in encrypt["run"]
    (tmp_path / "site").mkdir()
    (tmp_path / "site/robots.txt").write_text("User-agent: *\nDisallow: /\n", encoding="utf-8")
    # staticrypt, as npm ci installs it, records its arguments and the password it was given, and makes the output folder
    fake(tmp_path / ".github/staticrypt/node_modules/.bin", "staticrypt",
         'echo "$@" > args.txt\nprintf %s "$STATICRYPT_PASSWORD" > password.txt\nmkdir -p encrypted\n')

    def run(password: str) -> subprocess.CompletedProcess:
        env = {k: v for k, v in encrypt["env"].items() if k != "STATICRYPT_PASSWORD"}
        env |= {"PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}", "STATICRYPT_PASSWORD": password, "LC_ALL": "C.UTF-8"}
        return run_step(encrypt["run"], tmp_path, env)
    return run


@pytest.mark.parametrize("password", ["", "short-password1"])  # 15 characters
def test_publishing_refuses_a_missing_or_short_password(publish_step, tmp_path, password):
    result = publish_step(password)
    assert result.returncode == 1
    assert result.stdout.startswith("::error::") and "SITE_PASSWORD" in result.stdout
    assert not (tmp_path / "args.txt").exists()  # staticrypt never ran
    if password:
        assert password not in result.stdout + result.stderr


def test_the_published_site_has_no_search_index_and_no_letters():
    jobs = workflow()["jobs"]
    build = step("check-and-build", "生成要加密发布的网站")
    assert "--no-search" in build["run"] and " site " in build["run"]  # site alone: no letters
    assert build["if"] == jobs["publish-encrypted"]["if"]
    upload = step("check-and-build", "上传要加密发布的网站")
    download = step("publish-encrypted", "下载要发布的网站")
    assert upload["with"]["name"] == "site-publish-${{ matrix.community.name }}" and download["with"]["pattern"] == "site-publish-*"
    assert int(upload["with"]["retention-days"]) <= 1


def encrypted_site(root: Path, extra: dict[str, str]) -> None:
    """What staticrypt leaves: pages encrypted, every other file copied as it was."""
    files = {"index.html": "<html>staticrypt ciphertext</html>", "units/1-1-101.html": "<html>ciphertext</html>",
             "assets/stylesheets/main.css": "body{}", "assets/javascripts/bundle.js": "", "charts/rates.svg": "<svg/>",
             "robots.txt": "User-agent: *", "sitemap.xml": "<urlset/>", ".cuijiao-output": "", **extra}
    for name, text in files.items():
        (root / "encrypted" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "encrypted" / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize(("extra", "refused"), [
    ({}, None),
    ({"search/search_index.json": '{"docs": [{"text": "王丽 13800000000"}]}'}, "search/search_index.json"),
    ({"letters/notice-1-1-101.pdf": "%PDF"}, "letters/notice-1-1-101.pdf"),
    ({"arrears.html": '<div class="md-container">1-1-101 欠费</div>'}, "arrears.html"),  # a page left unencrypted
])
def test_nothing_but_encrypted_pages_and_the_theme_is_published(tmp_path, extra, refused):
    encrypted_site(tmp_path, extra)
    result = run_step(step("publish-encrypted", "检查：除加密的页面外")["run"], tmp_path, {})
    if refused is None:
        assert result.returncode == 0, result.stdout + result.stderr
        assert not (tmp_path / "encrypted/sitemap.xml").exists()  # the list of unit pages is not published either
    else:
        assert result.returncode == 1
        assert result.stdout.startswith("::error::") and refused in result.stdout


def install_staticrypt(where: Path) -> bool:
    """The workflow's install step in ``where`` (npm ci from the committed lock file); False where npm cannot
    (no Node.js, or offline with an empty npm cache)."""
    if shutil.which("npm") is None:
        return False
    shutil.copytree(WORKFLOWS.parent / "staticrypt", where / ".github" / "staticrypt",
                    ignore=shutil.ignore_patterns("node_modules"))
    done = run_step(step("publish-encrypted", "安装加密工具")["run"], where,
                    {"npm_config_cache": os.environ.get("npm_config_cache", str(Path.home() / ".npm"))})
    return done.returncode == 0


def test_staticrypt_is_installed_from_the_lock_file_before_any_step_holds_the_password():
    import json

    lock = json.loads((WORKFLOWS.parent / "staticrypt" / "package-lock.json").read_text(encoding="utf-8"))
    packages = {k: v for k, v in lock["packages"].items() if k}
    assert packages["node_modules/staticrypt"]["version"] == "3.5.4"
    assert all(v["integrity"].startswith("sha512-") for v in packages.values())
    steps = workflow()["jobs"]["publish-encrypted"]["steps"]
    names = [s.get("name", "") for s in steps]
    install = next(s for s in steps if s.get("name", "").startswith("安装加密工具"))
    assert install["run"].startswith("npm ci ") and "env" not in install
    assert names.index(install["name"]) < next(i for i, s in enumerate(steps) if "STATICRYPT_PASSWORD" in s.get("env", {}))
    assert not any("npx" in s.get("run", "") for s in steps)


def test_the_real_staticrypt_encrypts_every_page_of_a_site_to_publish_and_the_check_passes(tmp_path):
    """The install, encrypt and check steps as the workflow runs them, on a real `cuijiao site --no-search` and the
    real staticrypt from the lock file: every page encrypted where Pages expects it, nothing else but the theme,
    charts and robots.txt."""
    if not install_staticrypt(tmp_path):
        pytest.skip("npm ci could not install staticrypt from the lock file (no Node.js, or offline with an empty npm cache)")
    from tests.handwritten import make_community

    root = make_community(tmp_path / "c")
    built = subprocess.run([str(BIN / "cuijiao"), "--root", str(root), "--as-of", "2026-11-22", "site", "--no-search",
                            "--out", str(tmp_path / "build-publish")], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    shutil.copytree(tmp_path / "build-publish" / "site", tmp_path / "site")
    pages = sorted(p.relative_to(tmp_path / "site").as_posix() for p in (tmp_path / "site").rglob("*.html"))
    encrypt = step("publish-encrypted", "用密码加密")
    env = {k: v for k, v in encrypt["env"].items() if k != "STATICRYPT_PASSWORD"}
    env |= {"STATICRYPT_PASSWORD": "一二三四五六七八 long enough", "LC_ALL": "C.UTF-8"}
    result = run_step(encrypt["run"], tmp_path, env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.relative_to(tmp_path / "encrypted").as_posix() for p in (tmp_path / "encrypted").rglob("*.html")) == pages
    for page in pages:
        text = (tmp_path / "encrypted" / page).read_text(encoding="utf-8")
        assert 'class="md-' not in text and "staticrypt" in text.lower(), page
    checked = run_step(step("publish-encrypted", "检查：除加密的页面外")["run"], tmp_path, {})
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_publishing_passes_the_password_in_the_environment_only(publish_step, tmp_path):
    password = "一二三四五六七八 long enough"
    result = publish_step(password)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "password.txt").read_text(encoding="utf-8") == password
    args = (tmp_path / "args.txt").read_text(encoding="utf-8")
    assert args.startswith("site/") and password not in args
    assert (tmp_path / "encrypted/robots.txt").is_file()


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_full_commit(path):
    uses = re.findall(r"uses:\s*(\S+)", path.read_text(encoding="utf-8"))
    assert uses
    for ref in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+(/[\w.-]+)*@[0-9a-f]{40}", ref), ref


def test_artifacts_with_personal_data_are_kept_briefly():
    for path in workflow_files():
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        for job in workflow["jobs"].values():
            for step in job.get("steps", []):
                if "upload-artifact@" in step.get("uses", ""):
                    assert int(step["with"]["retention-days"]) <= 7


def test_publishing_is_opt_in_and_encrypted():
    workflow = yaml.safe_load((WORKFLOWS / "collection-desk.yml").read_text(encoding="utf-8"))
    publish = workflow["jobs"]["publish-encrypted"]
    assert "vars.PUBLISH_SITE == 'true'" in publish["if"]
    text = yaml.safe_dump(publish, allow_unicode=True)
    assert "staticrypt" in text and "SITE_PASSWORD" in text
    others = [name for name, job in workflow["jobs"].items() if name != "publish-encrypted"]
    for name in others:
        assert "pages" not in yaml.safe_dump(workflow["jobs"][name].get("permissions", {}))


def test_check_errors_become_annotations_on_their_line():
    problem = error(Pos("owners/1-1-101.yaml", 6, 1), "有未知的键“amout”，金额: 1,200", "是不是“amount”？")
    assert problem.github_annotation() == (
        "::error file=owners/1-1-101.yaml,line=6,col=1,title=催缴台账数据错误::"
        "有未知的键“amout”，金额: 1,200（是不是“amount”？）"
    )
    assert error(Pos("a,b:c.yaml", 1, 1), "50%\nx").github_annotation().startswith("::error file=a%2Cb%3Ac.yaml,")
    assert "50%25%0Ax" in error(Pos("a.yaml", 1, 1), "50%\nx").github_annotation()


# -- the set-up script (./run) ---------------------------------------------------------------------

RUN = PROJECT / "run"


@pytest.fixture
def system(tmp_path):
    """Stand-ins for apt and friends that log each call, on a non-root machine (so sudo is used)."""
    bin_dir = tmp_path / "stubs"
    log = tmp_path / "calls.log"
    fake(bin_dir, "id", "echo 1000\n")
    fake(bin_dir, "sudo", f'echo "sudo $*" >> {log}\nexec "$@"\n')
    fake(bin_dir, "apt-get", f'echo "apt-get $*" >> {log}\n')
    fake(bin_dir, "dpkg-query", "exit 1\n")  # nothing installed

    def run(function: str, os_release: str = "ID=debian\n", candidate: str = "130.0-1~deb12u1",
            python: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        (tmp_path / "os-release").write_text(os_release, encoding="utf-8")
        fake(bin_dir, "apt-cache", f'echo "apt-cache $*" >> {log}\n'
                                   f'case "$1" in policy) echo "  Candidate: {candidate}" ;; show) exit {0 if "venv" in candidate else 100} ;; esac\n')
        if python:
            fake(bin_dir, "python3", python)
        return subprocess.run(["bash", "-c", f"source {RUN} && {function}"], capture_output=True, text=True,
                              env={"PATH": f"{bin_dir}:{os.environ['PATH']}", "OS_RELEASE": str(tmp_path / "os-release"),
                                   **(env or {})})
    run.log = log
    return run


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck is not installed (./run test installs it)")
def test_the_set_up_scripts_pass_shellcheck():
    result = subprocess.run(["shellcheck", str(RUN), str(RUN.parent / ".ci" / "run")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_ci_runs_exactly_the_readmes_test_command():
    readme = (RUN.parent / "README.md").read_text(encoding="utf-8")
    assert "./run test " in readme
    assert (RUN.parent / ".ci" / "run").read_text(encoding="utf-8").rstrip().endswith("./run test -p no:cacheprovider")


@pytest.mark.parametrize(("os_release", "candidate", "source"), [
    ("ID=debian\nVERSION_ID=12\n", "130.0.6723.116-1~deb12u1", "apt"),  # Debian's chromium is the browser
    ("ID=debian\n", "(none)", "playwright"),
    ('ID=ubuntu\nVERSION_ID="24.04"\n', "2:1snap1-0ubuntu2", "playwright"),  # a wrapper around the snap
    ('ID=linuxmint\nID_LIKE="ubuntu debian"\n', "130.0-1", "playwright"),
    ("ID=debian\n", "2:1snap1-0ubuntu2", "playwright"),  # a snap transitional package, wherever it comes from
])
def test_chromium_comes_from_apt_on_debian_and_from_playwright_on_ubuntu(system, os_release, candidate, source):
    result = system("chromium_source", os_release=os_release, candidate=candidate)
    assert result.returncode == 0, result.stderr
    assert result.stdout == source + "\n"


def python_without_ensurepip(version_ok: bool = True) -> str:
    real = sys.executable
    return ('case "$2" in *ensurepip*) exit 1 ;; *"version_info <"*) exit %d ;; *python_version*) echo 3.10.12; exit 0 ;; esac\n'
            'exec %s "$@"\n') % (0 if version_ok else 1, real)


@pytest.mark.parametrize(("candidate", "package"), [
    ("python3.X-venv", f"python{sys.version_info[0]}.{sys.version_info[1]}-venv"),  # apt knows the versioned package
    ("1.0", "python3-venv"),
])
def test_a_missing_venv_module_is_installed_with_apt(system, candidate, package):
    result = system("ensure_python test", candidate=candidate, python=python_without_ensurepip())
    assert result.returncode == 0, result.stderr
    calls = system.log.read_text(encoding="utf-8").splitlines()
    assert "sudo apt-get update -qq" in calls
    assert f"sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends {package}" in calls
    assert f"安装系统软件包：{package}" in result.stdout


def test_a_python_older_than_3_11_is_refused_in_chinese(system):
    result = system("ensure_python test", python=python_without_ensurepip(version_ok=False))
    assert result.returncode == 1
    assert "需要 Python 3.11 以上，python3 是 3.10.12 版" in result.stderr and "PYTHON=python3.12 ./run test" in result.stderr
    assert not system.log.exists()  # nothing was installed


def test_a_venv_module_already_there_installs_nothing(system):
    result = system("ensure_python test", env={"PYTHON": sys.executable})
    assert result.returncode == 0, result.stderr
    assert not system.log.exists()


def test_run_demo_works_on_the_demo_only_and_run_build_is_for_a_communitys_own_data(tmp_path):
    """./run demo inside a community's own repository computed the demo's date and overwrote its build/ (issue 14)."""
    import sys

    sys.path.insert(0, str(PROJECT / "scripts"))
    import make_demo

    files = {p.relative_to(PROJECT).as_posix(): p.read_bytes() for folder in ("owners", "ledger") for p in (PROJECT / folder).rglob("*.yaml")}
    assert (PROJECT / "scripts" / "demo-fingerprint.txt").read_text(encoding="utf-8").strip() == make_demo.fingerprint(files)

    def is_demo(folder: Path) -> bool:
        return subprocess.run(["bash", "-c", f"source {RUN} && is_demo_data"], cwd=folder).returncode == 0

    assert is_demo(PROJECT)
    own = tmp_path / "own"
    for folder in ("owners", "ledger", "scripts"):
        shutil.copytree(PROJECT / folder, own / folder)
    shutil.copy(RUN, own / "run")
    assert is_demo(own)  # a copy of the demo is still the demo
    first = sorted((own / "owners").glob("*.yaml"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "# 我们自己的数据\n", encoding="utf-8")
    assert not is_demo(own)
    (own / "build").mkdir()
    refused = subprocess.run(["bash", str(own / "run"), "demo"], capture_output=True, text=True, cwd=own)
    assert refused.returncode == 1 and "./run build" in refused.stderr
    assert list((own / "build").iterdir()) == []  # nothing built over it


@pytest.mark.parametrize("existing", ["", "4242"])
def test_the_money_diff_is_one_comment_on_the_pull_request_updated_on_every_push(tmp_path, existing):
    job = workflow()["jobs"]["money-diff-comment"]
    assert job["permissions"] == {"pull-requests": "write"}  # only this job may write, and only that
    assert workflow()["jobs"]["check-and-build"].get("permissions") is None  # the workflow's contents: read
    assert "github.event.pull_request.head.repo.full_name == github.repository" in job["if"]  # forks: summary only
    post = next(s for s in job["steps"] if s.get("name", "").startswith("写入或更新评论"))
    (tmp_path / "money-diff.md").write_text("## 金额变化\n\n- 1-1-101 欠费 +100.00\n", encoding="utf-8")
    # gh answers the list call with the id of an earlier comment (or nothing) and records every call
    fake(tmp_path / "bin", "gh", f'echo "$@" >> calls.txt\ncase "$*" in *--jq*) printf %s "{existing}" ;; esac\n')
    env = {"PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}", "GH_TOKEN": "t", "PR": "7", "REPO": "c/desk", "LC_ALL": "C.UTF-8"}
    result = run_step(post["run"], tmp_path, env)
    assert result.returncode == 0, result.stdout + result.stderr
    calls = (tmp_path / "calls.txt").read_text(encoding="utf-8")
    assert "api --paginate repos/c/desk/issues/7/comments --jq" in calls
    if existing:
        assert "--method PATCH repos/c/desk/issues/comments/4242 -f body=<!-- cuijiao money diff -->" in calls
        assert "POST" not in calls
    else:
        assert "--method POST repos/c/desk/issues/7/comments -f body=<!-- cuijiao money diff -->" in calls
    assert "1-1-101 欠费 +100.00" in calls


# -- many communities: the plan, the matrix, one comment, one published site ------------------------

def test_each_community_is_a_job_of_the_matrix_with_artifacts_of_its_own():
    jobs = workflow()["jobs"]
    build = jobs["check-and-build"]
    assert build["needs"] == "plan"
    assert build["strategy"]["matrix"]["community"] == "${{ fromJSON(needs.plan.outputs.communities) }}"
    assert build["strategy"]["fail-fast"] is False and 1 <= int(build["strategy"]["max-parallel"]) <= 20
    assert build["env"]["COMMUNITY_ROOT"] == "${{ matrix.community.root }}"
    names = [s["with"]["name"] for s in build["steps"] if "upload-artifact@" in s.get("uses", "")]
    assert names and all(name.endswith("-${{ matrix.community.name }}") for name in names), names
    runs = "\n".join(s.get("run", "") for s in build["steps"])
    assert "--root ." not in runs and runs.count('--root "${COMMUNITY_ROOT}"') >= 5


def test_the_portfolio_is_built_from_every_communitys_summary_on_main_only():
    job = workflow()["jobs"]["portfolio"]
    assert "needs.plan.outputs.many == 'true'" in job["if"] and "github.event_name != 'pull_request'" in job["if"]
    assert "needs.plan.outputs.all == 'true'" in job["if"]  # never an overview of only the communities a push changed
    download = next(s for s in job["steps"] if "download-artifact@" in s.get("uses", ""))
    assert download["with"] == {"pattern": "summary-*", "path": "reports"}
    assert any("cuijiao portfolio --reports reports" in s.get("run", "") for s in job["steps"])


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                   capture_output=True, check=True)


def _two_communities(tmp_path: Path) -> Path:
    from tests.community import Community, fee

    repo = tmp_path / "repo"
    for name in ("east", "west"):
        c = Community(repo / "communities" / name, fees=[fee()])
        c.unit("1-101", billing_start="2026-01-01")
        c.write()
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "data")
    _git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    return repo


@pytest.mark.parametrize(("event", "before", "expected"), [
    ("pull_request", "", ["west"]),  # against the base branch
    ("push", "start", ["west"]),  # against the commit before the push
    ("push", "0" * 40, ["east", "west"]),  # a new branch: nothing before it
    ("schedule", "", ["east", "west"]),  # every morning: every community as of that day
    ("workflow_dispatch", "", ["east", "west"]),
])
def test_the_plan_lists_the_communities_a_change_touches_and_every_one_each_morning(tmp_path, event, before, expected):
    import json

    repo = _two_communities(tmp_path)
    start = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    owner = repo / "communities" / "west" / "owners" / "1-101.yaml"
    owner.write_text(owner.read_text(encoding="utf-8") + "tags: [出租]\n", encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "west only")
    output = tmp_path / "output.txt"
    plan = next(s for s in workflow()["jobs"]["plan"]["steps"] if s.get("id") == "list")
    result = run_step(plan["run"], repo, {"PATH": f"{BIN}:{os.environ['PATH']}", "GITHUB_OUTPUT": str(output),
                                          "EVENT": event, "BASE_REF": "main", "PYTHONUTF8": "1",
                                          "BEFORE": start if before == "start" else before})
    assert result.returncode == 0, result.stdout + result.stderr
    lines = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines())
    assert [row["name"] for row in json.loads(lines["communities"])] == expected
    assert lines["many"] == "true" and lines["all"] == ("true" if len(expected) == 2 else "false")


def test_a_site_is_published_only_from_a_run_that_built_every_community():
    jobs = workflow()["jobs"]
    condition = jobs["publish-encrypted"]["if"]
    assert "needs.plan.outputs.all == 'true'" in condition and "plan" in jobs["publish-encrypted"]["needs"]
    assert "github.event_name != 'pull_request'" in condition and "refs/heads/main" in condition
    assert workflow()[True]["schedule"]  # PyYAML reads the key "on" as True


def test_the_money_diffs_of_several_communities_make_one_comment_each_under_its_name(tmp_path):
    job = workflow()["jobs"]["money-diff-comment"]
    merge = next(s for s in job["steps"] if s.get("name", "").startswith("合并各小区的金额变化"))
    for name, text in (("west", "- 1-101 欠费 +200.00\n"), ("east", "- 1-102 欠费 -50.00\n")):
        (tmp_path / "diffs" / f"money-diff-{name}").mkdir(parents=True)
        (tmp_path / "diffs" / f"money-diff-{name}" / "money-diff.md").write_text(text, encoding="utf-8")
    result = run_step(merge["run"], tmp_path, {"LC_ALL": "C.UTF-8", "GITHUB_OUTPUT": str(tmp_path / "output.txt")})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "output.txt").read_text(encoding="utf-8") == "written=true\n"  # the comment step runs
    assert (tmp_path / "money-diff.md").read_text(encoding="utf-8") == (
        "### 小区 east\n\n- 1-102 欠费 -50.00\n\n### 小区 west\n\n- 1-101 欠费 +200.00\n\n")


@pytest.mark.parametrize(("names", "pages"), [
    (["community"], ["index.html"]),  # one community: its site at the top, as before
    (["east", "west"], ["east/index.html", "west/index.html"]),
])
def test_the_published_site_holds_each_communitys_site_in_a_folder_of_its_name(tmp_path, names, pages):
    for name in names:
        (tmp_path / "downloaded" / f"site-publish-{name}").mkdir(parents=True)
        (tmp_path / "downloaded" / f"site-publish-{name}" / "index.html").write_text("<html></html>", encoding="utf-8")
    arrange = step("publish-encrypted", "整理要发布的网站")
    result = run_step(arrange["run"], tmp_path, {})
    assert result.returncode == 0, result.stderr
    assert sorted(p.relative_to(tmp_path / "site").as_posix() for p in (tmp_path / "site").rglob("*.html")) == pages


def test_the_publish_check_covers_every_communitys_folder(tmp_path):
    encrypted_site(tmp_path, {"east/index.html": "<html>ciphertext</html>", "east/assets/x.css": "",
                              "east/charts/rates.svg": "<svg/>", "east/sitemap.xml": "<urlset/>"})
    check = step("publish-encrypted", "检查：除加密的页面外")["run"]
    assert run_step(check, tmp_path, {}).returncode == 0
    assert not (tmp_path / "encrypted/east/sitemap.xml").exists()
    (tmp_path / "encrypted/east/search").mkdir()
    (tmp_path / "encrypted/east/search/search_index.json").write_text("{}", encoding="utf-8")
    refused = run_step(check, tmp_path, {})
    assert refused.returncode == 1 and "east/search/search_index.json" in refused.stdout
