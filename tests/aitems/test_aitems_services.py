"""Services over real HTTP: create, link the three datasets, wait for "learnable", list, delete."""

from __future__ import annotations

import pytest
from aitems_signer import dataset_body, gateway_error

SERVICES = "/api/v1/services"


def make_datasets(aitems, prefix: str = "d", **kwargs) -> dict[str, str]:
    """One dataset of each type, on the default world's schemas; type -> datasetId."""
    ids = {}
    for kind in ("user", "item", "interaction"):
        body = dataset_body(type=kind, name=f"{prefix}_{kind}", schemaName=f"{kind}_schema")
        ids[kind] = aitems.post("/api/v1/datasets", body, **kwargs).json()["datasetId"]
    return ids


def create_service(aitems, **body) -> dict:
    response = aitems.post(SERVICES, {"name": "service", "description": "test", "type": "batch", **body})
    assert response.status_code == 201, response.text
    return response.json()


def bad_request(details: str) -> dict:
    return gateway_error("100", "Bad Request Exception", details)


def test_workflow_from_create_to_delete(emulator, aitems):
    service = create_service(aitems)
    service_id = service["serviceId"]
    assert len(service_id) == 11 and service_id.isalnum() and service_id == service_id.lower()
    assert list(service) == ["serviceId", "name", "description", "status", "datasets", "hpConfig", "infers",
                             "createdDate", "updatedDate", "type"]
    assert (service["name"], service["status"], service["datasets"], service["type"]) == (
        "service", "datasetRequired", [], "batch")

    ids = make_datasets(aitems)
    linked = aitems.post(f"{SERVICES}/{service_id}/datasets", {"datasetIds": list(ids.values())})
    assert linked.status_code == 200, linked.text
    assert linked.json()["status"] == "drafted"
    assert linked.json()["datasets"] == [{"datasetId": ids[k], "type": k, "name": f"d_{k}"}
                                         for k in ("user", "item", "interaction")]
    assert aitems.get(f"{SERVICES}/{service_id}").json()["status"] == "learnable"

    dataset = aitems.get(f"/api/v1/datasets/{ids['item']}").json()
    assert dataset["connectedService"] == [{"serviceId": service_id, "name": "service"}]
    assert aitems.call("DELETE", f"/api/v1/datasets/{ids['item']}").json() == bad_request(
        "Dataset d_item is used by service service.")

    listed = aitems.get(SERVICES).json()
    assert listed["offset"] == 0 and listed["limit"] == 1000
    assert listed["services"] == [{"serviceId": service_id, "name": "service", "status": "learnable",
                                   "createdDate": service["createdDate"],
                                   "updatedDate": linked.json()["updatedDate"],
                                   "actionName": "View/getServiceDetail", "permission": "Allow"}]

    assert aitems.call("DELETE", f"{SERVICES}/{service_id}").json() == {"result": "ok"}
    assert aitems.get(f"/api/v1/datasets/{ids['item']}").json()["connectedService"] == []
    assert aitems.get(SERVICES).json()["services"] == []
    assert emulator.state("aitems", "services") == []
    assert aitems.call("DELETE", f"/api/v1/datasets/{ids['item']}").json() == {"result": "ok"}


def test_relinking_moves_the_connection(aitems):
    service_id = create_service(aitems)["serviceId"]
    first, second = make_datasets(aitems, "a"), make_datasets(aitems, "b")
    aitems.post(f"{SERVICES}/{service_id}/datasets", {"datasetIds": list(first.values())})
    aitems.post(f"{SERVICES}/{service_id}/datasets", {"datasetIds": list(second.values())})
    assert aitems.get(f"/api/v1/datasets/{first['user']}").json()["connectedService"] == []
    assert aitems.get(f"/api/v1/datasets/{second['user']}").json()["connectedService"] == [
        {"serviceId": service_id, "name": "service"}]


def test_service_status_follows_the_reads_setting(aitems, aitems_config):
    aitems_config(statusTransition="reads", enableAfterReads=2)
    ids = make_datasets(aitems)
    for dataset_id in ids.values():  # each dataset needs its reads before it can be linked
        for _ in range(3):
            aitems.get(f"/api/v1/datasets/{dataset_id}")
    service_id = create_service(aitems)["serviceId"]
    aitems.post(f"{SERVICES}/{service_id}/datasets", {"datasetIds": list(ids.values())})
    statuses = [aitems.get(f"{SERVICES}/{service_id}").json()["status"] for _ in range(4)]
    assert statuses == ["drafted", "drafted", "learnable", "learnable"]


def test_service_status_follows_the_seconds_setting(emulator, aitems, aitems_config):
    aitems_config(statusTransition="seconds", enableAfterSeconds=30)
    emulator.configure(freezeTime="2026-05-01T00:00:00Z")
    start = 1777593600000
    ids = make_datasets(aitems, timestamp=str(start))
    emulator.advance(30)  # the datasets are enable now; the service's own 30 s start at the link
    service_id = aitems.post(SERVICES, {"name": "svc"}, timestamp=str(start + 30_000)).json()["serviceId"]
    aitems.post(f"{SERVICES}/{service_id}/datasets", {"datasetIds": list(ids.values())},
                timestamp=str(start + 30_000))
    emulator.advance(29)
    assert aitems.get(f"{SERVICES}/{service_id}", timestamp=str(start + 59_000)).json()["status"] == "drafted"
    emulator.advance(1)
    assert aitems.get(f"{SERVICES}/{service_id}", timestamp=str(start + 60_000)).json()["status"] == "learnable"


def test_a_waiting_dataset_cannot_be_linked(emulator, aitems, aitems_config):
    aitems_config(statusTransition="reads", enableAfterReads=5)
    ids = make_datasets(aitems)
    service_id = create_service(aitems)["serviceId"]
    response = aitems.post(f"{SERVICES}/{service_id}/datasets", {"datasetIds": list(ids.values())})
    assert response.status_code == 400
    assert response.json() == bad_request(
        f"Dataset {ids['user']} is waiting: only an enable dataset can be linked.")
    assert emulator.state("aitems", "services")[0]["status"] == "datasetRequired"
    assert all(d["connectedServices"] == [] for d in emulator.state("aitems", "datasets"))


@pytest.mark.parametrize("body, details", [
    (None, "Request body must be a JSON object."),
    ({}, "datasetIds must be an array of dataset IDs."),
    ({"datasetIds": "abc"}, "datasetIds must be an array of dataset IDs."),
    ({"datasetIds": [1, 2, 3]}, "datasetIds must be an array of dataset IDs."),
    ({"datasetIds": []}, "datasetIds must hold one dataset of each type: user, item, interaction."),
])
def test_link_body_errors(emulator, aitems, body, details):
    service_id = create_service(aitems)["serviceId"]
    response = aitems.call("POST", f"{SERVICES}/{service_id}/datasets",
                           data=b"not json" if body is None else None, json=body)
    assert (response.status_code, response.json()) == (400, bad_request(details))
    assert emulator.state("aitems", "services")[0]["status"] == "datasetRequired"


def test_link_needs_one_dataset_of_each_type(aitems):
    ids = make_datasets(aitems)
    service_id = create_service(aitems)["serviceId"]
    for dataset_ids in ([ids["user"], ids["item"]], [ids["user"], ids["item"], ids["item"]],
                        [ids["user"], ids["item"], ids["interaction"], ids["user"]]):
        response = aitems.post(f"{SERVICES}/{service_id}/datasets", {"datasetIds": dataset_ids})
        assert response.json() == bad_request(
            "datasetIds must hold one dataset of each type: user, item, interaction."), dataset_ids


def test_link_to_unknown_service_or_dataset(aitems):
    ids = make_datasets(aitems)
    response = aitems.post(f"{SERVICES}/nosuchservc/datasets", {"datasetIds": list(ids.values())})
    assert (response.status_code, response.json()) == (
        404, gateway_error("300", "Not Found Exception", "Service not found: nosuchservc"))
    service_id = create_service(aitems)["serviceId"]
    response = aitems.post(f"{SERVICES}/{service_id}/datasets", {"datasetIds": [ids["user"], "nosuchdatas"]})
    assert (response.status_code, response.json()) == (
        404, gateway_error("300", "Not Found Exception", "Dataset not found: nosuchdatas"))


@pytest.mark.parametrize("body, details", [
    ([], "Request body must be a JSON object."),
    ({}, "name must be 3-20 characters of letters, digits, '_' or '-', starting with a letter."),
    ({"name": "ab"}, "name must be 3-20 characters of letters, digits, '_' or '-', starting with a letter."),
    ({"name": "svc", "description": "x" * 101}, "description must be a string of 0-100 characters."),
    ({"name": "svc", "type": "hourly"}, "type must be one of batch, interval."),
])
def test_create_errors(emulator, aitems, body, details):
    response = aitems.post(SERVICES, body)
    assert (response.status_code, response.json()) == (400, bad_request(details))
    assert emulator.state("aitems", "services") == []


def test_create_defaults_and_duplicate_name(aitems):
    service = aitems.post(SERVICES, {"name": "_svc"}).json()
    assert (service["description"], service["type"], service["hpConfig"]) == ("", "batch", {"is_enabled": False})
    response = aitems.post(SERVICES, {"name": "_svc", "type": "interval"})
    assert (response.status_code, response.json()) == (400, bad_request("Service name already exists: _svc"))


@pytest.mark.parametrize("method, path", [("GET", "/nosuchservc"), ("DELETE", "/nosuchservc")])
def test_unknown_service(aitems, method, path):
    response = aitems.call(method, SERVICES + path)
    assert (response.status_code, response.json()) == (
        404, gateway_error("300", "Not Found Exception", "Service not found: nosuchservc"))


def test_services_need_the_gateway_signature(aitems):
    response = aitems.post(SERVICES, {"name": "svc"}, headers={"x-ncp-apigw-signature-v2": "bad"})
    assert (response.status_code, response.json()) == (
        401, gateway_error("200", "Authentication Failed", "Invalid authentication information."))
    response = aitems.get(f"{SERVICES}/whatever", headers={"x-ncp-iam-access-key": ""})
    assert response.status_code == 401


def test_list_paging_and_bad_query(aitems):
    for name in ("s_one", "s_two", "s_three"):
        create_service(aitems, name=name)
    page = aitems.get(SERVICES, "offset=1&limit=1").json()
    assert [s["name"] for s in page["services"]] == ["s_two"] and (page["offset"], page["limit"]) == (1, 1)
    response = aitems.get(SERVICES, "limit=-1")
    assert (response.status_code, response.json()) == (400, bad_request("limit must be a non-negative integer."))


def test_seeded_service(emulator, aitems):
    emulator.seed({"aitems": {"services": [{"serviceId": "kzblozze40q", "name": "seeded", "status": "learnable"}]}})
    assert aitems.get(f"{SERVICES}/kzblozze40q").json()["status"] == "learnable"
