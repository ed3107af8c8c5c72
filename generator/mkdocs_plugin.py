"""The MkDocs plugin `marsad` (named in mkdocs.yml): what the theme does that Marsad's site does
not want, undone where MkDocs lets a plugin do it, so `mkdocs build` and Marsad's page-by-page
build both get it.

- The theme writes its settings and interface strings into every page as JSON through Jinja's
  `tojson`, which spells Arabic as \\uXXXX escapes: written as UTF-8 instead (still HTML-safe:
  `tojson` escapes <, >, & and ' itself).
- The search plugin's assets (lunr and its worker) are left out: Pagefind searches the site.
"""

from __future__ import annotations

from mkdocs.plugins import BasePlugin

UNUSED_THEME_ASSETS = ("assets/javascripts/lunr/", "assets/javascripts/workers/search.")


class MarsadPlugin(BasePlugin):
    def on_env(self, env, *, config, files):
        env.policies["json.dumps_kwargs"] = {**env.policies["json.dumps_kwargs"], "ensure_ascii": False}
        return env

    def on_files(self, files, *, config):
        for file in list(files):
            if file.src_uri.startswith(UNUSED_THEME_ASSETS):
                files.remove(file)
        return files
