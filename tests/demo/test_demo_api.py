"""The public API of jdmtrack.demo: available, path, write, published."""

from __future__ import annotations

import pytest

from jdmtrack import demo
from jdmtrack.errors import SettingsError


def test_available_lists_the_bundled_cohorts():
    assert demo.available() == ("baricitinib", "tofacitinib-ruxolitinib")


def test_public_names_are_sorted_and_complete():
    assert demo.__all__ == sorted(demo.__all__)
    assert set(demo.__all__) == {"PublishedFigure", "available", "generate_synthetic", "path",
                                 "published", "write"}


@pytest.mark.parametrize("name", ["baricitinib", "tofacitinib-ruxolitinib"])
def test_path_holds_the_four_tables_and_the_notes(name):
    folder = demo.path(name)
    for filename in ("patients.csv", "visits.csv", "events.csv", "adverse_events.csv",
                     "README.txt", "published.json"):
        assert (folder / filename).is_file(), filename


def test_unknown_name_lists_the_choices():
    with pytest.raises(SettingsError, match="no demo cohort 'x'; available: baricitinib, "
                                            "tofacitinib-ruxolitinib"):
        demo.path("x")
    with pytest.raises(SettingsError):
        demo.write("x", "unused")


def test_write_copies_every_file_byte_for_byte(tmp_path):
    out = demo.write("tofacitinib-ruxolitinib", tmp_path / "new" / "cohort")
    source = demo.path("tofacitinib-ruxolitinib")
    names = sorted(p.name for p in out.iterdir())
    assert names == ["README.txt", "adverse_events.csv", "events.csv", "patients.csv",
                     "published.json", "visits.csv"]
    for filename in names:
        assert (out / filename).read_bytes() == (source / filename).read_bytes()


def test_write_refuses_to_overwrite_unless_asked(tmp_path):
    (tmp_path / "patients.csv").write_text("mine\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"already holds patients\.csv"):
        demo.write("baricitinib", tmp_path)
    assert (tmp_path / "patients.csv").read_text(encoding="utf-8") == "mine\n"
    demo.write("baricitinib", tmp_path, overwrite=True)
    assert (tmp_path / "patients.csv").read_text(encoding="utf-8").startswith("patient_id,")


def test_write_into_a_file_is_an_error(tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(SettingsError, match="is a file"):
        demo.write("baricitinib", target)


def test_published_gives_typed_figures():
    figures = demo.published("baricitinib")
    cmas = next(f for f in figures if f.id == "cmas_w0_median")
    assert (cmas.printed, cmas.value, cmas.decimals) == ("41.0", 41.0, 1)
    assert cmas.path == "outcomes.cmas_total.by_week.0.median"
    assert cmas.subgroup == ("muscle_involvement", "yes")
    q3 = next(f for f in figures if f.id == "das_skin_w0_q3")
    assert not q3.reproducible and q3.cohort_value == 7.75 and "type 7" in q3.note
    follow = next(f for f in demo.published("tofacitinib-ruxolitinib")
                  if f.id == "followup_median")
    assert follow.scale == pytest.approx(7 * 12 / 365.25)
