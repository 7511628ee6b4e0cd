"""AiTEMS services (what datasets train): create, read, list, delete, and linking their three datasets."""

from __future__ import annotations

from typing import Any

from emulator import context

from . import model, schemas, settings
from .errors import bad_request, not_found
from .lifecycle import ENABLE, Lifecycle, effective, observed
from .settings import DATASET_TYPES

SERVICE_CREATE = schemas.ServiceCreate()
SERVICE_DATASETS = schemas.ServiceDatasets()
SERVICE_PAGE = schemas.Page()
RESULT_OK = {"result": "ok"}  # documented body of the delete call
LIFECYCLE = Lifecycle(settings.SERVICE_PENDING, settings.SERVICE_READY, "linkedDate")

ONE_OF_EACH = "datasetIds must hold one dataset of each type: user, item, interaction."


def _service_or_404(service_id: str) -> dict[str, Any]:
    record = context.table("services").get(service_id)
    if record is None:
        raise not_found(f"Service not found: {service_id}")
    return record


def _linked(record: dict[str, Any]) -> list[dict[str, Any]]:
    datasets = context.table("datasets")
    return [found for found in (datasets.get(i) for i in record["datasetIds"]) if found is not None]


def _wire(record: dict[str, Any]) -> dict[str, Any]:
    return model.service(record, _linked(record))


def create_service(body: Any) -> dict[str, Any]:
    values = schemas.load(SERVICE_CREATE, body)
    with context.transaction():
        table = context.table("services")
        if table.first(name=values["name"]) is not None:
            raise bad_request(f"Service name already exists: {values['name']}")
        service_id = model.new_id()
        while table.get(service_id) is not None:
            service_id = model.new_id()
        now = model.now_date()
        record = table.put({"serviceId": service_id, **values, "status": settings.SERVICE_CREATED,
                            "datasetIds": [], "hpConfig": dict(settings.SERVICE_HP_CONFIG),
                            "createdDate": now, "updatedDate": now, "linkedDate": now, "reads": 0})
    return _wire(record)


def read_service(service_id: str) -> dict[str, Any]:
    with context.transaction():
        current = _service_or_404(service_id)
        record = observed(current, settings.current(), context.now(), LIFECYCLE)
        if record is not current:
            context.table("services").put(record)
    return _wire(record)


def list_services(args: dict[str, str]) -> dict[str, Any]:
    paging = schemas.page_args(SERVICE_PAGE, args)
    config, now = settings.current(), context.now()
    items = [model.service_item(r, effective(r, config, now, LIFECYCLE)) for r in context.table("services").all()]
    return model.page("services", items, paging["offset"], paging["limit"])


def _connect(dataset: dict[str, Any], service: dict[str, Any], linked: bool) -> None:
    """Add or drop the service in the dataset's connected services."""
    others = [s for s in dataset["connectedServices"] if s["serviceId"] != service["serviceId"]]
    if linked:
        others.append({"serviceId": service["serviceId"], "name": service["name"]})
    if others != dataset["connectedServices"]:
        context.table("datasets").put({**dataset, "connectedServices": others})


def _check_linkable(dataset_ids: list[str]) -> list[dict[str, Any]]:
    """The documented rule (one dataset of each type) and what training needs of each (ASSUMPTION wording)."""
    datasets = context.table("datasets")
    found = []
    for dataset_id in dataset_ids:
        record = datasets.get(dataset_id)
        if record is None:
            raise not_found(f"Dataset not found: {dataset_id}")
        found.append(record)
    if sorted(d["type"] for d in found) != sorted(DATASET_TYPES):
        raise bad_request(ONE_OF_EACH)
    config, now = settings.current(), context.now()
    for record in found:
        status = effective(record, config, now)
        if status != ENABLE:
            raise bad_request(f"Dataset {record['datasetId']} is {status}: only an enable dataset can be linked.")
        schema = context.table("schemas").get(record["schemaName"])
        if schema is None or schema["datasetType"] != record["type"]:
            raise bad_request(f"Schema {record['schemaName']} is not a {record['type']} schema.")
    return found


def link_datasets(service_id: str, body: Any) -> dict[str, Any]:
    dataset_ids = schemas.load(SERVICE_DATASETS, body)["datasetIds"]
    with context.transaction():
        current = _service_or_404(service_id)
        found = _check_linkable(dataset_ids)
        now = model.now_date()
        record = context.table("services").put({
            **current, "datasetIds": [d["datasetId"] for d in found], "status": settings.SERVICE_PENDING,
            "updatedDate": now, "linkedDate": now, "reads": 0})
        for dataset_id in current["datasetIds"]:
            dataset = context.table("datasets").get(dataset_id)
            if dataset is not None and dataset_id not in record["datasetIds"]:
                _connect(dataset, record, linked=False)
        for dataset in found:
            _connect(context.table("datasets").get(dataset["datasetId"]), record, linked=True)
    return _wire(record)


def delete_service(service_id: str) -> dict[str, Any]:
    with context.transaction():
        record = _service_or_404(service_id)
        for dataset in _linked(record):
            _connect(dataset, record, linked=False)
        context.table("services").delete(service_id)
    return RESULT_OK
