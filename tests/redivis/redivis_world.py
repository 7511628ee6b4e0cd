"""Default-world credentials the Redivis tests use (fixtures/default.json)."""

EDIT_TOKEN = "redivis-edit-token"  # demo_user: public + data.edit, admin of demo_org
READ_TOKEN = "redivis-read-token"  # reader: public only


def bearer(token: str = EDIT_TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
