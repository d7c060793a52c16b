"""Neither the check cache nor the forked workers change anything a build writes: the real site
built without the cache, with a cold one and a warm one, on one process and on three, is the
same, byte for byte."""

from __future__ import annotations

import shutil

from conftest import copy_tree
from sitebuild import ROOT, fixture_project, mkdocs_build


def tree(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_site_built_with_and_without_the_cache_is_byte_identical(tmp_path):
    project = fixture_project(tmp_path, {})
    shutil.rmtree(project / "events")
    copy_tree(ROOT / "events", project / "events")
    sites = {}
    for name, env in (("no cache", {"TIMELINE_NO_CACHE": "1"}), ("cold", {}), ("warm", {})):
        result = mkdocs_build(project, tmp_path / name.replace(" ", "-"), **env)
        assert result.returncode == 0, result.stderr
        sites[name] = tree(tmp_path / name.replace(" ", "-"))
        if name == "cold":
            assert (project / ".timeline-cache").is_dir()  # the warm build really reads one
    assert sites["no cache"] == sites["cold"] == sites["warm"]


def test_a_site_built_on_one_process_and_on_several_is_byte_identical(tmp_path):
    project = fixture_project(tmp_path, {})
    shutil.rmtree(project / "events")
    copy_tree(ROOT / "events", project / "events")
    sites = []
    for processes in ("1", "3"):  # three: several children, each doing chunks of the pages and files
        result = mkdocs_build(project, tmp_path / processes, TIMELINE_PROCESSES=processes, TIMELINE_NO_CACHE="1")
        assert result.returncode == 0, result.stderr
        sites.append(tree(tmp_path / processes))
    assert sites[0].keys() == sites[1].keys()
    assert [path for path in sites[0] if sites[0][path] != sites[1][path]] == []
