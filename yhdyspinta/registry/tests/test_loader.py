"""The registry against its data files: counts, links, idempotence, changes and history."""

import csv
import shutil
from collections import defaultdict
from datetime import date

import pytest
from django.core.management import call_command

from yhdyspinta.core.models import AuditEntry
from yhdyspinta.registry.loader import DATA_DIR, load_registry, read_rows
from yhdyspinta.registry.models import Organisation, Region

pytestmark = pytest.mark.django_db

Kind = Organisation.Kind


def test_counts_equal_the_files():
    municipalities = read_rows("municipalities.csv")
    assert len(read_rows("areas.csv")) == 22
    assert Organisation.objects.areas().active().count() == 22
    assert Organisation.objects.filter(kind=Kind.HELSINKI).count() == 1
    assert Organisation.objects.filter(kind=Kind.WELLBEING_COUNTY).count() == 21
    assert Organisation.objects.filter(kind=Kind.REGIONAL_COUNCIL).active().count() == 18
    assert Region.objects.count() == len(read_rows("regions.csv")) == 19
    active = Organisation.objects.filter(kind=Kind.MUNICIPALITY).active()
    assert active.count() == len(municipalities) == 308
    assert active.filter(area__isnull=False).count() == 292  # the mainland


def test_each_area_has_exactly_the_municipalities_of_the_file():
    expected: dict[str, set[str]] = defaultdict(set)
    for row in read_rows("municipalities.csv"):
        if row["area_code"]:
            expected[row["area_code"]].add(row["code"])
    for area in Organisation.objects.areas():
        actual = set(
            area.members_of_area.filter(kind=Kind.MUNICIPALITY)
            .active()
            .values_list("code", flat=True)
        )
        assert actual == expected[area.code], area.short_name
    assert expected["90"] == {"091"}
    assert expected["04"] == {"092", "245"}  # Vantaa and Kerava


def test_links_run_from_municipality_to_area_region_and_council():
    porvoo = Organisation.objects.get(kind=Kind.MUNICIPALITY, code="638")
    assert porvoo.name_sv == "Borgå"
    assert porvoo.area.short_name == "Itä-Uusimaa"
    assert porvoo.region.code == "01"
    assert porvoo.region.council.name_fi == "Uudenmaan liitto"
    kuopio = Organisation.objects.get(kind=Kind.MUNICIPALITY, code="297")
    assert kuopio.area.short_name == "Pohjois-Savo"
    assert kuopio.area.region == kuopio.region


def test_aland_has_no_area_and_no_council():
    mariehamn = Organisation.objects.get(kind=Kind.MUNICIPALITY, code="478")
    assert mariehamn.area is None
    assert mariehamn.region.code == "21"
    assert mariehamn.region.council is None


def test_merged_municipality_stays_as_ended_with_its_successor():
    pertunmaa = Organisation.objects.get(kind=Kind.MUNICIPALITY, code="588")
    assert pertunmaa.ended_on == date(2024, 12, 31)
    assert not pertunmaa.is_active
    assert pertunmaa.successor.name_fi == "Mäntyharju"
    assert not Organisation.objects.active().filter(pk=pertunmaa.pk).exists()


def test_second_run_changes_nothing_and_says_so(capsys):
    before = AuditEntry.objects.count()
    report = load_registry()
    assert not report.has_changes
    assert AuditEntry.objects.count() == before
    call_command("load_registry")
    assert "no changes" in capsys.readouterr().out


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _rewrite(path, change):
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames
        rows = [change(row) for row in reader]
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(r for r in rows if r is not None)


def test_a_municipality_moving_area_is_reported_and_audited(data_copy):
    def move_nokia(row):
        if row["code"] == "536":
            row["area_code"] = "06"  # Satakunta, for the sake of the test
            row["region_code"] = "04"
        return row

    _rewrite(data_copy / "municipalities.csv", move_nokia)
    report = load_registry(data_dir=data_copy)
    assert report.created == [] and report.ended == []
    assert len(report.changed) == 1
    assert "Nokia" in report.changed[0] and "area" in report.changed[0]
    nokia = Organisation.objects.get(kind=Kind.MUNICIPALITY, code="536")
    assert nokia.area.code == "06"
    entry = AuditEntry.objects.filter(object_id=str(nokia.pk), action="changed").get()
    assert entry.actor_label == "load_registry"
    assert set(entry.changes) == {"area", "region"}


def test_a_merger_ends_the_old_municipality_and_keeps_it(data_copy):
    # Nokia merges into Tampere: gone from the classification, listed in the mergers.
    _rewrite(data_copy / "municipalities.csv", lambda r: None if r["code"] == "536" else r)
    with (data_copy / "mergers.csv").open("a", encoding="utf-8") as f:
        f.write("536,Nokia,Nokia,08,06,2026-12-31,837\n")
    report = load_registry(data_dir=data_copy, today=date(2027, 1, 1))
    nokia = Organisation.objects.get(kind=Kind.MUNICIPALITY, code="536")
    assert nokia.ended_on == date(2026, 12, 31)
    assert nokia.successor.code == "837"
    assert any("Nokia" in line for line in report.changed)
    assert (
        Organisation.objects.filter(kind=Kind.MUNICIPALITY).active(date(2027, 1, 1)).count() == 307
    )


def test_a_municipality_that_disappears_without_a_merger_is_marked_ended(data_copy):
    _rewrite(data_copy / "municipalities.csv", lambda r: None if r["code"] == "536" else r)
    report = load_registry(data_dir=data_copy, today=date(2027, 1, 1))
    assert report.ended == ["municipality 536 Nokia"]
    nokia = Organisation.objects.get(kind=Kind.MUNICIPALITY, code="536")
    assert nokia.ended_on == date(2027, 1, 1)
    assert nokia.successor is None
    # And back again when the files list it: the end date is cleared.
    assert load_registry().changed == ["municipality 536 Nokia: ended_on '2027-01-01' -> None"]
