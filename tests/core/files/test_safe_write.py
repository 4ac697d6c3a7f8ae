"""Atomic replace: the file is always whole, never clobbered, links and modes are kept."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from codex_link.core.files import safe_write
from tests.corpus.switching import FIXED_NOW


class Crash(BaseException):
    """Stands for the process dying at that point."""


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(safe_write.TEMP_SUFFIX))


def test_replace_writes_and_keeps_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"a = 1\n")
    path.chmod(0o640)
    assert safe_write.replace_if_unchanged(path, b"a = 1\n", b"a = 2\n")
    assert path.read_bytes() == b"a = 2\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_replace_refuses_when_the_file_changed_since_it_was_read(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"a = 1\nmine = true\n")
    assert not safe_write.replace_if_unchanged(path, b"a = 1\n", b"a = 2\n")
    assert path.read_bytes() == b"a = 1\nmine = true\n"
    assert not safe_write.replace_if_unchanged(tmp_path / "new.toml", b"x", b"y")
    assert not (tmp_path / "new.toml").exists()
    assert leftovers(tmp_path) == []


def test_a_new_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    assert safe_write.replace_if_unchanged(path, None, b"a = 1\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    (tmp_path / "dotfiles").mkdir()
    target = tmp_path / "dotfiles" / "codex.toml"
    target.write_bytes(b"a = 1\n")
    link = tmp_path / "config.toml"
    link.symlink_to(Path("dotfiles") / "codex.toml")
    assert safe_write.replace_if_unchanged(link, b"a = 1\n", b"a = 2\n")
    assert link.is_symlink() and target.read_bytes() == b"a = 2\n"
    assert leftovers(tmp_path / "dotfiles") == []


@pytest.mark.parametrize("failure", [Crash, PermissionError])
def test_a_failed_replace_leaves_the_original_whole_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: type[BaseException]
) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"a = 1\n")

    def broken_replace(src: object, dst: object) -> None:
        raise failure("replace failed")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(failure):
        safe_write.replace_if_unchanged(path, b"a = 1\n", b"a = 2\n")
    assert path.read_bytes() == b"a = 1\n"
    assert leftovers(tmp_path) == []


def test_backups_never_overwrite_each_other(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"a = 1\n")
    path.chmod(0o640)
    first = safe_write.write_backup(path, b"first\n", FIXED_NOW)
    second = safe_write.write_backup(path, b"second\n", FIXED_NOW)
    assert first.name == "config.toml.codex-link-20261121-101500.bak"
    assert second.name == "config.toml.codex-link-20261121-101500-2.bak"
    assert (first.read_bytes(), second.read_bytes()) == (b"first\n", b"second\n")
    assert stat.S_IMODE(first.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_remove_only_when_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"ours\n")
    assert not safe_write.remove_if_unchanged(path, b"other\n")
    assert path.exists()
    assert safe_write.remove_if_unchanged(path, b"ours\n")
    assert not path.exists()
