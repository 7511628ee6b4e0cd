import publisher

ROWS = [{"week": 1, "sales": 10}, {"week": 2, "sales": 12}]


def test_publish_stores_the_rows_and_registers_the_report(emulator):
    package_id = publisher.publish("weekly-sales", ROWS)

    [package] = emulator.state("ckan", "packages")
    assert package["id"] == package_id and package["name"] == "weekly-sales"
    [dataset] = emulator.state("apify", "datasets")
    assert package["extras"] == {"apify_dataset": dataset["id"]}
    assert [item["item"] for item in emulator.state("apify", "items")] == ROWS
    emulator.assert_called("ckan.package_create", times=1, json_contains={"owner_org": "reports"})


def test_every_test_starts_from_the_seeded_world(emulator):
    assert emulator.state("ckan", "packages") == []
    assert "publisher" in [user["name"] for user in emulator.state("ckan", "users")]
