import pytest

from geo import property_id
from geo.errors import InvalidPropertyId


@pytest.mark.parametrize(
    "text", ["09102206940025", "91-22-694-25", "091-022-0694-0025", " 91-22-694-25 "]
)
def test_all_forms_normalise_to_14_digits(text: str) -> None:
    assert property_id.normalise(text) == "09102206940025"


def test_display_forms() -> None:
    pid = property_id.parse("09102206940025")
    assert pid.short == "91-22-694-25"
    assert pid.long == "091-022-0694-0025"
    assert not pid.is_public_area


def test_maaraala() -> None:
    pid = property_id.parse("091-012-0203-0015-M-0014")
    assert pid.digits == "09101202030015M0014"
    assert pid.short == "91-12-203-15-M-14"


@pytest.mark.parametrize(
    "block,kind", [("9901", "street"), ("9903", "park"), ("9909", "water"), ("9902", "square")]
)
def test_public_area_types(block: str, kind: str) -> None:
    pid = property_id.parse(f"091-002-{block}-0100")
    assert pid.is_public_area and pid.public_type == kind


@pytest.mark.parametrize(
    "bad", ["", "abc", "91-22-694", "0910220694002", "91-22-69444-25", "1234-1-1-1"]
)
def test_malformed_ids_name_the_accepted_forms(bad: str) -> None:
    with pytest.raises(InvalidPropertyId) as exc:
        property_id.parse(bad)
    assert "91-22-694-25" in exc.value.message
