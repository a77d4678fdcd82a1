"""MkDocs hooks for Wegweiser: translate build events into calls, nothing more.

All logic lives in the ``wegweiser`` package (hooks/wegweiser/), which the
command line and the tests use too.
"""

from wegweiser import livepreview, mkdocs_adapter

_site = None
_serving = False  # `mkdocs serve`: a volunteer's preview


def on_startup(command, dirty):
    global _serving
    _serving = command == "serve"


def on_config(config):
    mkdocs_adapter.register_assets(config)
    mkdocs_adapter.register_theme(config)
    return config


def on_files(files, config):
    global _site
    _site = mkdocs_adapter.build_site(config, preview=_serving)
    mkdocs_adapter.add_pages(files, config, _site)
    return files


def on_env(env, config, files):
    mkdocs_adapter.add_theme_globals(env)
    return env


def on_page_markdown(markdown, page, config, files):
    return mkdocs_adapter.fill_legal(markdown, page, _site)


def on_page_content(html, page, config, files):
    return mkdocs_adapter.frame_hand_written(html, page, _site)


def on_post_page(output, page, config):
    mkdocs_adapter.collect_links(output, page, _site)
    return output


def on_post_build(config):
    mkdocs_adapter.write_framed_pages(config, _site)
    mkdocs_adapter.finish_exports(config, _site)
    mkdocs_adapter.index_search(config, _site)
    mkdocs_adapter.check_links(config, _site)
    mkdocs_adapter.finish_cache(_site)


def on_serve(server, config, builder):
    return livepreview.install(server, config, lambda: _site)
