"""The whole dataset workflow through the real client, in one namespace: dataset, table, uploads (multipart,
tempUploads, stream), variables, release."""

from __future__ import annotations

import redivis

CSV = b"id,name,score,joined\n1,Ada,3.5,2024-01-02\n2,Grace,4,2024-02-03\n3,Linus,,2024-03-04\n"


def test_dataset_to_release(api, tmp_path):
    dataset = redivis.user("demo_user").dataset("Workflow Data").create(public_access_level="data")
    table = dataset.table("People").create(description="People we know")
    assert table.properties["numRows"] == 0 and table.properties["variableCount"] == 0
    assert table.exists() is True

    small = tmp_path / "people.csv"
    small.write_bytes(CSV)
    upload = table.upload().create(str(small))  # an open file of <= 1 MB: the multipart path
    assert upload.properties["status"] == "completed"
    assert upload.properties["name"] == "people.csv"

    table.upload("more.csv").create(b"id,name,score,joined\n4,Alan,2.25,2024-04-05\n")  # bytes: tempUploads
    table.get()
    assert table.properties["numRows"] == 4
    assert table.properties["variableCount"] == 4

    kinds = {v.name: v.properties["type"] for v in table.list_variables()}
    assert kinds == {"id": "integer", "name": "string", "score": "float", "joined": "date"}
    score = table.variable("score").get()
    assert score.properties["index"] == 2 and score.properties["type"] == "float"

    stream = table.upload("live").create(type="stream", schema=[{"name": "id", "type": "integer"},
                                                               {"name": "name", "type": "string"}])
    answer = stream.insert_rows([{"id": 5, "name": "Edsger"}, {"id": 6, "name": "Barbara"}])
    assert answer["insertedRows"] == 2
    assert table.get().properties["numRows"] == 6

    dataset.release(release_notes="first")
    released = dataset.list_tables()
    assert [t.name for t in released] == ["People"]
    assert released[0].properties["qualifiedReference"].startswith(
        dataset.properties["qualifiedReference"] + ".people:")
    assert released[0].properties["numRows"] == 6
    assert dataset.get().properties["tableCount"] == 1


def test_large_file_goes_through_the_emulators_temp_upload_url(api, emulator, tmp_path):
    rows = "".join(f"{i},row {i},{i * 0.5}\n" for i in range(50_000))
    big = tmp_path / "big.csv"
    big.write_text("n,label,half\n" + rows)
    assert big.stat().st_size > 2**20  # above the client's simple-upload limit
    table = redivis.user("demo_user").dataset("Big").create().table("Big Table").create()
    table.upload("big.csv").create(str(big))
    assert table.get().properties["numRows"] == 50_000
    puts = emulator.requests(operation="redivis.tempUploads.put")
    assert [(p["method"], p["status"]) for p in puts] == [("PUT", 200)]
