"""The contributing guide: one Markdown file at the repository root (CONTRIBUTING.md, which
GitHub shows on pull requests) that also becomes the site's Contributing page.

On GitHub, template markers are invisible comments beside links to the template files. On the
site they become highlighted code blocks of the validated templates, and links to files in the
repository point at the repository (or become plain text when it is unknown).
"""

from __future__ import annotations

import re

GUIDE_FILE = "CONTRIBUTING.md"
GUIDE_PAGE = "contributing.md"

# [text](target) where target is relative: no scheme, not a fragment, not absolute.
_RELATIVE_LINK = re.compile(r"\[([^\]\n]+)\]\((?![a-z][a-z0-9+.-]*:|#|/)([^)\s]+)\)")


def site_markdown(text: str, repo_url: str | None, branch: str = "main") -> str:
    """The guide's Markdown with its repository-relative links made right for the site."""

    def relink(match: re.Match[str]) -> str:
        label, target = match.groups()
        if target.startswith("docs/") and target.split("#")[0].endswith(".md"):
            return f"[{label}]({target.removeprefix('docs/')})"  # another page of the site
        if repo_url:
            return f"[{label}]({repo_url.rstrip('/')}/blob/{branch}/{target})"
        return label

    return _RELATIVE_LINK.sub(relink, text)
