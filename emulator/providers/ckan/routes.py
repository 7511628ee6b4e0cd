"""CKAN's ``api`` blueprint: the action view and the version roots."""

from __future__ import annotations

import logging
from io import BytesIO

from flask import Blueprint, Response, redirect, request, send_file

from emulator import framing
from emulator.errors import PlatformError
from emulator.providers.base import operation

from . import lookup, model, request_data, service, uploads
from .auth import ANONYMOUS, can_read, current_caller
from .errors import BadRequest, CkanError, HtmlError, IntegrityError, InternalError, render
from .group_show import group_show, organization_show
from .model import help_url
from .purge import dataset_purge
from .quirks import Crash
from .resource_actions import RESOURCE_ACTIONS
from .search import package_search
from .site_actions import SITE_ACTIONS

log = logging.getLogger(__name__)
ACTION_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH"]
ACTIONS = {**service.ACTIONS, **RESOURCE_ACTIONS, **SITE_ACTIONS,
           "package_search": service.Action(package_search, side_effect_free=True),
           "organization_show": service.Action(organization_show, side_effect_free=True),
           "group_show": service.Action(group_show, side_effect_free=True),
           "dataset_purge": service.Action(dataset_purge)}


def run_action(logic_function: str) -> Response:
    action = ACTIONS.get(logic_function)
    if action is None:
        raise BadRequest(f"Action name not known: {logic_function}")
    method = request.method
    if method not in ("GET", "HEAD", "POST"):
        raise HtmlError(405)
    help_ = help_url(logic_function)
    try:
        data = request_data.parse(action.side_effect_free)
    except InternalError as exc:  # a body the database would refuse: CKAN's 500 from inside the action
        return render(exc, help_)
    caller = current_caller()
    if "callback" in data:
        del data["callback"]
        caller = ANONYMOUS
    try:
        result = action.run(caller, data)
    except IntegrityError as exc:
        exc.data = data
        return render(exc, help_)
    except Crash as exc:
        log.info("CKAN action %s: 500 as CKAN 2.11.5 answers it (quirk %s)", logic_function, exc.quirk)
        return render(exc, help_)
    except CkanError as exc:
        return render(exc, help_)
    except Exception:
        log.exception("CKAN action %s failed", logic_function)
        return render(InternalError(), help_)
    response = framing.json({"help": help_, "success": True, "result": result})
    if method == "GET" and (callback := request.args.get("callback")):
        response = framing.body(f"{callback}({response.get_data(as_text=True)});", 200,
                                "application/javascript;charset=utf-8")
    return response


def called_action(error: PlatformError) -> str | None:
    """The action a request to the action API called (API version 3 or none), from the route it matched."""
    args = error.view_args
    if error.endpoint == "ckan.action" or (error.endpoint == "ckan.versioned_action" and args.get("ver") == "3"):
        return args["logic_function"]
    return None


def download(package_ref: str, resource_id: str, filename: str | None) -> Response:
    """The resource blueprint's ``download`` view: an uploaded file's bytes, or a redirect to its ``url``."""
    caller = current_caller()
    found = lookup.resource_holder(resource_id)
    package = lookup.package(package_ref)
    if found is None or found[1] is None or package is None:
        raise HtmlError(404, "Resource not found")
    if not can_read(caller, found[0]) or not can_read(caller, package):
        raise HtmlError(403, "Not authorized to download resource")
    resource = model.resource_dict(found[1], found[0]["id"])
    if resource.get("url_type") != "upload":
        return redirect(resource["url"])
    content = uploads.content(resource_id)
    if content is None:  # a seeded "upload" without bytes (ASSUMPTION: CKAN's missing file is its 404 too)
        raise HtmlError(404, "Resource not found")
    # Like CKAN's send_file of the stored file: inline, named as asked (the stored id tail when not named).
    response = send_file(BytesIO(content), download_name=filename or resource_id[6:],
                         mimetype=resource.get("mimetype") or None, conditional=True)
    if resource.get("mimetype"):
        response.headers["Content-Type"] = resource["mimetype"]  # as given, without a charset
    return response


def blueprint() -> Blueprint:
    bp = Blueprint("ckan", __name__)

    @bp.errorhandler(CkanError)
    def ckan_error(exc: CkanError) -> Response:
        return render(exc, None)

    @bp.get("/api")
    @operation("api.version")
    def api_root() -> Response:
        return framing.json({"version": 1})

    @bp.get("/api/<int(min=1, max=3):ver>")
    @operation("api.version")
    def api_version(ver: int) -> Response:
        return framing.json({"version": ver})

    @bp.route("/api/action/<logic_function>", methods=ACTION_METHODS)
    @operation(lambda args: args["logic_function"])
    def action(logic_function: str) -> Response:
        return run_action(logic_function)

    @bp.route("/api/<ver>/action/<logic_function>", methods=ACTION_METHODS)
    @operation(lambda args: args["logic_function"])
    def versioned_action(ver: str, logic_function: str) -> Response:
        if ver != "3":
            raise HtmlError(404)
        return run_action(logic_function)

    @bp.get("/dataset/<package_ref>/resource/<resource_id>/download")
    @bp.get("/dataset/<package_ref>/resource/<resource_id>/download/<filename>")
    @operation("resource.download")
    def resource_download(package_ref: str, resource_id: str, filename: str | None = None) -> Response:
        return download(package_ref, resource_id, filename)

    @bp.route("/api/action/<logic_function>/", methods=ACTION_METHODS)
    @bp.route("/api/<ver>/action/<logic_function>/", methods=ACTION_METHODS)
    def trailing_slash(logic_function: str, ver: str = "3") -> Response:
        raise HtmlError(405)

    return bp
