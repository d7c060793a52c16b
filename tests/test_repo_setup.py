"""The repository's kit for contributors and maintainers: each file does what it claims."""

from __future__ import annotations

import re
import subprocess
import sys

import yaml
from sitebuild import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"
BIN = ROOT / ".venv" / "bin"


def _yaml(path):
    return yaml.safe_load(path.read_text("utf-8"))


def test_every_action_is_pinned_by_sha_to_a_named_release():
    uses = re.findall(r"uses: (\S+)@(\S+)(.*)", WORKFLOW.read_text("utf-8"))
    assert uses
    for action, ref, comment in uses:
        assert re.fullmatch(r"[0-9a-f]{40}", ref), f"{action} is not pinned by SHA"
        assert re.fullmatch(r" # v\d+(\.\d+)*", comment), f"{action} has no '# vX.Y.Z' comment"


def test_the_workflow_tests_both_pythons_with_the_browser_required_and_annotates_errors():
    workflow = _yaml(WORKFLOW)
    test = workflow["jobs"]["test"]
    assert test["strategy"]["matrix"]["python"] == ["3.11", "3.13"]
    assert test["env"]["REQUIRE_BROWSER"] == "1"
    runs = [step.get("run", "") for step in test["steps"]]
    assert ".venv/bin/timeline check --format github" in runs and "make test" in runs
    assert workflow["permissions"] == {}
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as True
    assert "workflow_dispatch" in triggers and "pull_request_target" not in triggers
    deploy = workflow["jobs"]["deploy"]
    assert deploy["if"] == "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"


def test_dependabot_updates_the_lock_and_never_proposes_mkdocs_2():
    pip = next(u for u in _yaml(ROOT / ".github" / "dependabot.yml")["updates"] if u["package-ecosystem"] == "pip")
    assert {"dependency-name": "mkdocs", "versions": [">=2"]} in pip["ignore"]
    lock = (ROOT / "requirements-lock.txt").read_text("utf-8")
    pins = [line for line in lock.splitlines() if line and not line.startswith("#")]
    assert all(re.fullmatch(r"[A-Za-z0-9_.-]+==[^\s=]+", line) for line in pins), pins
    assert any(line.startswith("mkdocs==1.") for line in pins)
    assert "-c $(LOCK)" in (ROOT / "Makefile").read_text("utf-8")


def test_make_check_needs_no_reinstall_once_installed(tmp_path):
    """In a copy whose .venv is installed and newer than what it was installed from, `make check`
    runs the checker and nothing else; touching pyproject.toml brings the install back."""
    import os
    import shutil

    for name in ("Makefile", "pyproject.toml", "requirements-lock.txt"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "python").touch()
    for stamp in (".installed", ".installed-test"):
        (tmp_path / ".venv" / stamp).touch()
        os.utime(tmp_path / ".venv" / stamp, (2_000_000_000, 2_000_000_000))

    def dry(target: str) -> list[str]:
        env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
        command = ["make", "--no-print-directory", "-n", target]
        return subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout.splitlines()

    assert dry("check") == [".venv/bin/timeline check"]
    os.utime(tmp_path / "pyproject.toml", (2_100_000_000, 2_100_000_000))
    assert any("pip install" in line for line in dry("check"))


def test_issue_forms_ask_for_what_they_promise():
    forms = {p.stem: _yaml(p) for p in (ROOT / ".github" / "ISSUE_TEMPLATE").glob("*.yml") if p.stem != "config"}
    assert set(forms) == {"suggest-an-event", "correct-an-event", "report-a-bug"}
    for form in forms.values():
        assert form["name"] and form["description"] and form["body"]
    suggest = {item.get("id"): item for item in forms["suggest-an-event"]["body"]}
    assert suggest["sources"]["validations"]["required"] is True
    assert "publication date" in suggest["sources"]["attributes"]["description"]


def test_codeowners_example_covers_the_data():
    text = (ROOT / ".github" / "CODEOWNERS.example").read_text("utf-8")
    assert re.search(r"^/events/\s+@", text, re.M)


def test_pre_commit_files_are_valid_and_the_hook_runs_the_checker():
    for command in (["validate-manifest", ".pre-commit-hooks.yaml"], ["validate-config", ".pre-commit-config.yaml"]):
        subprocess.run([sys.executable, "-m", "pre_commit", *command], cwd=ROOT, check=True, capture_output=True)
    [hook] = _yaml(ROOT / ".pre-commit-hooks.yaml")
    assert (hook["entry"], hook["files"], hook["language"]) == ("timeline check", "^events/", "python")


def test_the_editor_is_told_which_extension_and_schemas_to_use():
    import json

    assert "redhat.vscode-yaml" in json.loads((ROOT / ".vscode" / "extensions.json").read_text("utf-8"))["recommendations"]
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text("utf-8"))["yaml.schemas"]
    assert any("event.schema.json" in key for key in settings)


def test_licences_and_citation_are_stated():
    assert (ROOT / "LICENSE").read_text("utf-8").startswith("MIT License")
    assert "CC BY 4.0" in (ROOT / "LICENSE-DATA").read_text("utf-8")
    citation = _yaml(ROOT / "CITATION.cff")
    assert {"cff-version", "message", "title", "authors"} <= set(citation) and citation["license"] == "CC-BY-4.0"
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "[MIT licence](LICENSE)" in readme and "[CC BY 4.0](LICENSE-DATA)" in readme
    assert "CC BY 4.0" in _yaml_text_of(ROOT / "mkdocs.yml", "copyright")


def _yaml_text_of(path, key: str) -> str:
    match = re.search(rf"^{key}: >-\n((?:  .*\n)+)", path.read_text("utf-8"), re.M)
    assert match, key
    return match.group(1)
