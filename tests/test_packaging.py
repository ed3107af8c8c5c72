"""The package as users install it: every subpackage listed, templates inside the wheel."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile

from conftest import REPO


def test_every_package_is_listed_in_pyproject():
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "generator").rglob("__init__.py")}
    assert found | {"generator.templates"} == listed


def test_a_wheel_install_renders_with_its_own_templates(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", str(tmp_path / "dist"), str(REPO)], check=True, capture_output=True, timeout=300)
    (wheel,) = (tmp_path / "dist").glob("marsad-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    templates = sorted(p.name for p in (REPO / "templates").rglob("*.j2"))
    assert sorted(n.rsplit("/", 1)[-1] for n in names if n.startswith("generator/templates/")) == templates
    zipfile.ZipFile(wheel).extractall(tmp_path / "site-packages")
    probe = ("import generator.config as c, pathlib; from generator.render import make_environment; "
             "env = make_environment(c.DEFAULT_TEMPLATES); env.get_template('home.md.j2'); "
             "print(c.DEFAULT_TEMPLATES)")
    shown = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True,
                           env={"PYTHONPATH": str(tmp_path / "site-packages")}, check=True, timeout=60)
    assert shown.stdout.strip() == str(tmp_path / "site-packages" / "generator" / "templates")
