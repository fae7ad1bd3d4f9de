"""The page's HTTP surface: the page itself, a JSON state to poll, and what people do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flask
from flask.typing import ResponseReturnValue

from local.playground.actions import ButtonRef, Notice, Playground
from local.playground.modal import FormValues
from local.playground.page import panes
from local.playground.payloads import Person

PREFIX = "/playground"

PersonHandler = Callable[[Person, dict[str, Any]], flask.Response]


def _json(status: int, body: dict[str, Any]) -> flask.Response:
    response = flask.jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def _refused(message: str, status: int = 400) -> flask.Response:
    return _json(status, {"ok": False, "error": message})


def _form(raw: object) -> FormValues:
    """``{"b2": "latte", "b3": ["volunteer"]}`` from the page, as lists of strings."""
    if not isinstance(raw, dict):
        return {}
    form: dict[str, list[str]] = {}
    for name, value in raw.items():
        values = value if isinstance(value, list) else [value]
        form[str(name)] = [str(v) for v in values if isinstance(v, str | int)]
    return form


def build_blueprint(playground: Playground) -> flask.Blueprint:
    blueprint = flask.Blueprint(
        "playground",
        __name__,
        static_folder="static",
        static_url_path=f"{PREFIX}/static",
        template_folder="templates",
    )
    people = list(playground.people.values())

    def viewer(value: object) -> Person | None:
        return playground.people.get(value) if isinstance(value, str) else None

    def answer(person: Person, notice: Notice) -> flask.Response:
        # A refusal is an answer the page expects, so 200 with "ok": false, as Slack's Web
        # API does: a browser logs every 4xx as a console error, whatever the script does.
        return _json(
            200,
            {
                "ok": notice.ok,
                "notice": notice.text,
                "panes": panes(playground, person).as_json(),
            },
        )

    def posted() -> tuple[Person, dict[str, Any]] | flask.Response:
        body = flask.request.get_json(silent=True) if flask.request.is_json else None
        if not isinstance(body, dict):
            return _refused("send a JSON object")
        person = viewer(body.get("as"))
        if person is None:
            return _refused("'as' must be one of the sample people")
        return person, body

    def person_post(path: str) -> Callable[[PersonHandler], PersonHandler]:
        """A POST route whose JSON body names who is acting ("as"); refused otherwise."""

        def register(handle: PersonHandler) -> PersonHandler:
            def view() -> flask.Response:
                got = posted()
                return got if isinstance(got, flask.Response) else handle(*got)

            blueprint.add_url_rule(path, endpoint=handle.__name__, view_func=view, methods=["POST"])
            return handle

        return register

    @blueprint.get("/")
    def root() -> ResponseReturnValue:
        query = flask.request.query_string.decode("latin-1")
        return flask.redirect(f"{PREFIX}/" + (f"?{query}" if query else ""), code=302)

    @blueprint.get(f"{PREFIX}/")
    def page() -> str:
        person = viewer(flask.request.args.get("as")) or people[0]
        return flask.render_template(
            "playground.html",
            viewer=person,
            people=people,
            channel=playground.channel,
            panes=panes(playground, person),
        )

    @blueprint.get(f"{PREFIX}/api/state")
    def state() -> flask.Response:
        person = viewer(flask.request.args.get("as"))
        if person is None:
            return _refused("'as' must be one of the sample people")
        return _json(200, {"ok": True, "panes": panes(playground, person).as_json()})

    @person_post(f"{PREFIX}/api/command")
    def command(person: Person, body: dict[str, Any]) -> flask.Response:
        return answer(person, playground.command(person, str(body.get("text", ""))))

    @person_post(f"{PREFIX}/api/click")
    def click(person: Person, body: dict[str, Any]) -> flask.Response:
        ref = ButtonRef(
            path=str(body.get("path", "")),
            channel=_optional(body.get("channel")),
            ts=_optional(body.get("ts")),
            view_id=_optional(body.get("view_id")),
        )
        return answer(person, playground.click(person, ref, _form(body.get("values"))))

    @person_post(f"{PREFIX}/api/submit")
    def submit(person: Person, body: dict[str, Any]) -> flask.Response:
        notice = playground.submit(person, str(body.get("view_id", "")), _form(body.get("values")))
        return answer(person, notice)

    @person_post(f"{PREFIX}/api/close")
    def close(person: Person, body: dict[str, Any]) -> flask.Response:
        return answer(person, playground.close(person, str(body.get("view_id", ""))))

    @person_post(f"{PREFIX}/api/clock")
    def clock(person: Person, body: dict[str, Any]) -> flask.Response:
        minutes = body.get("minutes")
        if not isinstance(minutes, int) or isinstance(minutes, bool):
            return _refused("'minutes' must be a whole number")
        return answer(person, playground.advance(minutes))

    @blueprint.post(f"{PREFIX}/response/<token>")
    def response_url(token: str) -> flask.Response:
        body = flask.request.get_json(silent=True, force=True)
        if not isinstance(body, dict) or not playground.respond(token, body):
            return _json(404, {"ok": False, "error": "no such response_url"})
        return _json(200, {"ok": True})

    return blueprint


def _optional(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
