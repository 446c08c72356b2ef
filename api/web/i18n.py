"""Chinese first, English on request: the language comes from ?lang=, then the `lang` cookie."""
from __future__ import annotations

import json
from pathlib import Path

from flask import Flask, g, request

LANGS = ("zh", "en")
CATALOGUE: dict[str, dict[str, str]] = json.loads((Path(__file__).with_name("messages.json")).read_text("utf-8"))


def current_lang() -> str:
    lang = request.args.get("lang") or request.cookies.get("lang")
    return lang if lang in LANGS else "zh"


def translate(key: str) -> str:
    entry = CATALOGUE.get(key)
    if entry is None:
        return key
    return entry.get(g.get("lang", "zh")) or entry["zh"]


def init_app(app: Flask) -> None:
    @app.before_request
    def _pick_language():
        g.lang = current_lang()

    @app.after_request
    def _remember_language(response):
        if request.args.get("lang") in LANGS:
            response.set_cookie("lang", request.args["lang"], max_age=365 * 86400, samesite="Lax")
        return response

    app.jinja_env.globals.update(t=translate, LANGS=LANGS)

    @app.context_processor
    def _catalogue():
        lang = g.get("lang", "zh")
        return {"lang": lang, "messages": {k: v.get(lang) or v["zh"] for k, v in CATALOGUE.items()}}
