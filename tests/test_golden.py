"""The samples render to exactly the pages in tests/golden/ (`make golden` regenerates them)."""

from golden import GOLDEN, generated_pages


def test_the_samples_render_to_the_golden_pages(project, first_run):
    assert first_run.returncode == 0, first_run.stderr
    pages = generated_pages(project / "content")
    golden = generated_pages(GOLDEN)
    assert sorted(pages) == sorted(golden), "pages added or gone: run `make golden` and read the diff"
    changed = [path for path in pages if pages[path] != golden[path]]
    assert not changed, f"{len(changed)} pages differ, first {changed[0]}: run `make golden` if intended"
