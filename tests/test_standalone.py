"""The repository stands alone: no code, test, comment or doc points at files outside it.

What a maintainer needs is written down here (CONTRIBUTING.md, docs/), in our own words; notes
kept elsewhere are not part of the product and must not be cited.
"""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Built from pieces, so that this file does not match itself.
NEEDLES = (
    "design" + ".md",
    "facts" + ".md",
    "design" + " §",
    ".." + "/shared",
    "/work" + "/shared",
    "shared" + "/domain",
)

# Outside git (an unpacked archive), everything but what .gitignore keeps out of the repository.
NOT_TRACKED = {".git", ".venv", "node_modules", "staticfiles", "media", "private_media", "build"}
NOT_TRACKED_SUFFIXES = {".pyc", ".sqlite3", ".mo"}


def tracked_files() -> list[Path]:
    try:
        listing = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, text=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return [
            path
            for path in ROOT.rglob("*")
            if path.is_file()
            and not NOT_TRACKED & set(path.relative_to(ROOT).parts)
            and "__pycache__" not in path.parts
            and path.suffix not in NOT_TRACKED_SUFFIXES
        ]
    return [ROOT / name for name in listing.split("\0") if name and (ROOT / name).is_file()]


def mentions(text: str) -> list[str]:
    """The outside references in a text (case does not matter)."""
    lowered = text.lower()
    return [needle for needle in NEEDLES if needle in lowered]


def test_the_needles_find_what_they_look_for():
    assert mentions("see " + "DESIGN" + ".md §4 and ../" + "shared/x") == [
        "design" + ".md",
        ".." + "/shared",
    ]
    assert mentions("the design of the page (§ 2)") == []


def test_no_tracked_file_points_outside_the_repository():
    # given every file of the repository
    files = tracked_files()
    assert ROOT / "CONTRIBUTING.md" in files and Path(__file__).resolve() in files

    # when each text file is searched
    found = {}
    for path in files:
        data = path.read_bytes()
        if b"\0" in data:
            continue  # images and other binary files
        hits = mentions(data.decode("utf-8", errors="replace"))
        if hits:
            found[str(path.relative_to(ROOT))] = hits

    # then none mentions a file outside it
    assert found == {}
