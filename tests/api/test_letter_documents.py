"""The hearing letters and package as documents: their maps drawn to PDF and looked at as
pixels, their text read back with pypdf.

What a reader must find on the map is checked by the share of the page's pixels in its colour,
against the share its area should take (hand-computed from the geometry and the scale).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

import pytest
import shapely
from pypdf import PdfReader
from reportlab.graphics import renderPDF
from shapely.geometry import box
from sqlalchemy import text

from api.documents import letters, package, sitemap
from api.documents.texts import LETTER
from tests.api import pdfs
from tests.conftest import needs_nls

ORANGE = (0xF4, 0xA2, 0x59)  # a recipient's unit ("recipient" in sitemap.STYLES)
GREEN = (0xB7, 0xE4, 0xC7)  # the site
PEACH = (0xFD, 0xE0, 0xC5)  # another neighbour
W, H = 170.0, 105.0  # the letter's map frame (mm)


def _drawn(data: sitemap.MapData, name: str) -> tuple[float, float, float, int]:
    """The shares of orange, green and peach pixels on the drawn map, and its scale."""
    drawing, scale = sitemap.draw(data, W, H)
    img = pdfs.render(renderPDF.drawToString(drawing), name)
    return pdfs.share(img, ORANGE), pdfs.share(img, GREEN), pdfs.share(img, PEACH), scale


def _about(share: float, m2: float, scale: int, lo: float, hi: float) -> bool:
    """Whether a colour's share of the map is about that of an area of m2 (by hand: the frame's
    ground is W x H mm times the scale); the share runs low by the strokes and the captions."""
    frame_m2 = (W * scale / 1000) * (H * scale / 1000)
    return lo * m2 / frame_m2 < share < hi * m2 / frame_m2


def _around(site: Any, unit: Any, role: str) -> sitemap.MapData:
    """A map of the site and one unit, which must be in view; a recipient's is the reader's."""
    return sitemap.MapData(
        site=site,
        units=(sitemap.Unit(unit, role, "91-1-1-1"),),
        focus=shapely.union_all([site, unit]),
        reader=unit if role == "recipient" else None,
    )


def test_an_enclave_in_the_site_shows_through_its_hole() -> None:
    """A hole of the site was painted white over whatever lay in it: the recipient whose unit is
    an enclave in the site saw a white square where their unit is."""
    enclave = box(20, 10, 40, 30)
    site = box(0, 0, 60, 40).difference(enclave)
    data = sitemap.MapData(site=site, units=(sitemap.Unit(enclave, "recipient", "91-1-1-1"),))
    orange, green, _, scale = _drawn(data, "map-enclave")
    # 76 x 56 m with the margins: 1:1000, the frame 170 x 105 m on the ground
    assert scale == 1000
    assert _about(orange, 400, scale, 0.7, 1.05)
    assert _about(green, site.area, scale, 0.7, 1.05)


def test_the_readers_unit_is_on_the_map_of_a_large_site() -> None:
    """A site larger than the frame at 1:2000 (340 x 210 m) kept its centre in the middle of the
    map, and the recipient's unit at its far end was off the letter's map. The map is centred
    where the site and the unit are nearest each other."""
    site = box(0, 0, 600, 300)
    mine = box(600, 250, 640, 290)
    orange, green, _, scale = _drawn(_around(site, mine, "recipient"), "map-large-site")
    assert scale == 2000
    # centred at (600, 270): the frame spans x 430..770, y 165..375; all of the unit is in it
    assert _about(orange, mine.area, scale, 0.7, 1.05)
    in_view = site.intersection(box(430, 165, 770, 375)).area  # 170 x 135 m of the site
    assert _about(green, in_view, scale, 0.8, 1.05)


def test_a_neighbour_far_from_a_small_site_is_in_view_when_both_fit() -> None:
    """The site was always in the middle: a unit 180 m away (across a park) was cut off at
    1:2000, though the two fit the frame together when centred between them."""
    site = box(0, 0, 20, 20)
    far = box(200, 0, 220, 20)
    _, green, peach, scale = _drawn(_around(site, far, "neighbour"), "map-far-neighbour")
    assert scale == 2000
    assert _about(peach, far.area, scale, 0.6, 1.1)
    assert _about(green, site.area, scale, 0.6, 1.1)


def test_of_a_readers_units_on_two_sides_of_a_large_site_one_is_in_view() -> None:
    """Centring between all the reader's units would put the map in the middle of the site,
    showing none of them: it is centred at the one with the longer shared boundary."""
    site = box(0, 0, 600, 300)
    east, west = box(600, 200, 640, 290), box(-40, 20, 0, 90)
    mine = shapely.union_all([east, west])
    data = sitemap.MapData(
        site=site,
        units=(sitemap.Unit(east, "recipient"), sitemap.Unit(west, "recipient")),
        focus=shapely.union_all([site, mine]),
        reader=mine,
    )
    orange, _, _, scale = _drawn(data, "map-two-sides")
    assert scale == 2000 and _about(orange, east.area, scale, 0.7, 1.05)


@needs_nls
def test_a_swedish_readers_map_names_the_streets_in_swedish(nls: Any, engine: Any) -> None:
    """The letter's map named every street in Finnish, also in a Swedish letter."""
    from api.services import case_letters

    with engine.connect() as conn:  # a unit by a street with a Swedish name of its own
        row = conn.execute(
            text(
                "SELECT ST_AsBinary(p.geom) AS wkb, r.name_fi, r.name_sv FROM parcel p"
                " JOIN road_centreline r ON ST_DWithin(r.geom, p.geom, 5)"
                " WHERE r.name_sv <> r.name_fi ORDER BY p.property_id LIMIT 1"
            )
        ).one()
        site = shapely.from_wkb(bytes(row.wkb))
        names = {
            lang: {
                name
                for name, _ in case_letters.map_data(
                    conn, site, {}, site, case_letters.LETTER_FRAME_MM, "", lang
                ).roads
            }
            for lang in ("sv", "fi")
        }
    assert row.name_sv in names["sv"] and row.name_fi not in names["sv"]
    assert row.name_fi in names["fi"] and row.name_sv not in names["fi"]


DAY = dt.date(2026, 11, 25)
SMALL = sitemap.MapData(site=box(0, 0, 20, 30), units=())


def _package(lang: str, units: tuple[str, ...] = ("91-1-1-1",)) -> package.Package:
    row = package.Row(1, units, "adjacent", "Oy Ab", False, "letter_sent", DAY, None, False)
    return package.Package(
        language=lang,
        application_id=7,
        kind="building_permit",
        municipality="Helsinki",
        reply_to="",
        site_ids=("91-22-695-1",),
        filed_on=DAY,
        regime="RakL",
        legal_basis="RakL 64 §",
        heard_by="authority",
        letters=1,
        cost_eur=Decimal("0"),
        deadline=None,
        earliest=None,
        complete=False,
        neighbours=len(units),
        notice_over=10,
        notice_basis="RakL 64 §",
        unknown=0,
        rows=(row,),
        map=SMALL,
    )


def test_the_packages_column_headers_are_whole_words() -> None:
    """The addressees' headers were set at 10.5 pt in columns of 8 and 20 mm: "Määräa / ika",
    "N / r", "Deadli / ne". Each header is now one line of the extracted text."""
    headers = {
        "fi": ["Nro", "Kiinteistöt", "Suhde ja syy", "Vastaanottaja", "Tila", "Pvm", "Määräaika"],
        "sv": [
            "Nr",
            "Fastigheter",
            "Relation och skäl",
            "Mottagare",
            "Status",
            "Datum",
            "Tidsfrist",
        ],
        "en": [
            "No",
            "Properties",
            "Relation and reason",
            "Addressee",
            "Status",
            "Date",
            "Deadline",
        ],
    }
    for lang, words in headers.items():
        reader = PdfReader(io.BytesIO(package.package_pdf(_package(lang))))
        lines = "\n".join(p.extract_text() for p in reader.pages).splitlines()
        first = lines.index("1")  # the first row's number: the header is just above it
        assert lines[first - len(words) : first] == words, (lang, lines[first - 10 : first])


def _letter(n: int, units: tuple[str, ...], lang: str = "fi") -> letters.Letter:
    return letters.Letter(
        language=lang,
        municipality="Helsinki",
        reply_address="PL 58200, 00099 Helsingin kaupunki",
        reply_email="",
        application_id=7,
        kind="building_permit",
        regime="RakL",
        site_ids=("91-22-695-1",),
        description=None,
        name="Oy Ab",
        contact_name=None,
        address="Katu 1",
        postal_code="00100",
        city="Helsinki",
        property_ids=units,
        reasons="rajanaapuri",
        legal_basis="RakL 64 §",
        sent=DAY,
        deadline=DAY + dt.timedelta(days=14),
        n=n,
        total=3,
        map=SMALL,
    )


def test_each_letter_numbers_its_own_pages() -> None:
    """The pages were numbered through the whole print (a letter's second page said "5"): a
    recipient gets their letter's pages alone. Each page now names the application, the
    letter and its page of the letter's pages."""
    many = tuple(f"91-{i}-{i}-{i}" for i in range(400))  # a letter of several pages
    out = letters.letters_pdf(
        [_letter(1, ("91-1-1-1",)), _letter(2, many), _letter(3, ("91-3-3-3",), "sv")]
    )
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(out)).pages]
    # independently: a letter begins on the page with its title, and runs to the next title
    starts = [
        i
        for i, text in enumerate(pages)
        if "Naapurin kuuleminen" in text or "Hörande av granne" in text
    ]
    assert len(starts) == 3 and starts[0] == 0
    bounds = [*starts, len(pages)]
    words = [("Hakemus nro", "kirje", "sivu")] * 2 + [("Ansökan nr", "brev", "sida")]
    for k, (app_word, letter_word, page_word) in enumerate(words):
        own = range(bounds[k], bounds[k + 1])
        for j, i in enumerate(own):
            footer = f"{app_word} 7 · {letter_word} {k + 1}/3 · {page_word} {j + 1}/{len(own)}"
            # the whole footer: "sivu 1/1" is no part of "sivu 1/12"
            assert re.search(re.escape(footer) + r"\s*$", pages[i]), (i, footer, pages[i][-200:])
    assert bounds[2] - bounds[1] > 1  # the long letter has continuation pages


def _view(site: Any, reader: Any) -> Any:
    """The ground a letter's map shows (by hand: the frame's size times the scale)."""
    (x, y), scale = sitemap.fit(site, shapely.union_all([site, reader]), W, H, 8.0, reader)
    half_w, half_h = W * scale / 2000, H * scale / 2000
    return box(x - half_w, y - half_h, x + half_w, y + half_h)


def test_a_readers_unit_far_from_the_site_is_on_its_map() -> None:
    """Units added by hand may be far off. At 900 m across a corner the nearest part fell
    outside the buffered site (its corners are chords) and the print was a 500; a gap wider
    than the frame put the map between the two, showing neither. The reader's unit is now on
    the map, with the map pointing towards the site."""
    site = box(0, 0, 10, 10)
    for reader in (box(640, 640, 660, 660), box(0, 260, 10, 270), box(900, 20, 930, 40)):
        view = _view(site, reader)
        assert view.intersection(reader).area == pytest.approx(reader.area)
        # the centre is on the site's side of the unit
        assert view.centroid.distance(site) < reader.centroid.distance(site)


def test_a_sliver_of_the_readers_unit_is_not_enough() -> None:
    """Only 5 m² of a 2 550 m² unit lay inside the frame, under its border line: the map was
    not moved. At least a quarter of the unit, or room for its label, is now in view."""
    site = box(0, 0, 600, 300)
    reader = box(469, 250, 520, 300)
    shown = _view(site, reader).intersection(reader).area
    assert shown >= min(0.25 * reader.area, 24.0**2)


def test_an_addressee_of_hundreds_of_units_fits_the_pages() -> None:
    """One owner of 400 of the heard units (a town of its streets and parks, a company of its
    plots) made the letter and the package a 500: the reply slip and the package's row taller
    than a page. The letter lists every unit and names the first twelve on its slip; the
    package's row goes on over the page."""
    units = tuple(f"91-{i}-{i}-{i}" for i in range(400))
    flat = " ".join(pdfs.text_of(letters.letters_pdf([_letter(1, units)]))[0].split())
    assert "91-399-399-399" in flat  # the body lists them all
    slip = flat[flat.index("Vastausosa (hakemus 7)") :]
    assert "91-11-11-11 ja 388 muuta (luettelo yllä)" in slip and "91-12-12-12" not in slip
    text_, pages = pdfs.text_of(package.package_pdf(_package("fi", units)))
    assert "91-399-399-399" in " ".join(text_.split()) and pages > 2


def test_a_swedish_letter_and_package_cite_the_act_in_swedish() -> None:
    """The page said MBL and bygglagen in Swedish, the printed letter and package still
    RakL: the section is now cited in the document's language, Finnish as before."""
    said = {"fi": "RakL 64 §", "sv": "bygglagen 64 §", "en": "Building Act 64 §"}
    for lang, cited in said.items():
        if lang != "en":  # letters are written in Finnish or Swedish, the owner's language
            letter = letters.letters_pdf([_letter(1, ("91-1-1-1",), lang)])
            text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(letter)).pages)
            assert cited in " ".join(text.split()), (lang, text[:600])
        doc = package.package_pdf(_package(lang))
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(doc)).pages)
        assert cited in " ".join(text.split()), (lang, text[:600])
        if lang != "fi":
            assert "RakL" not in text, (lang, text[:600])


def test_a_package_row_moves_whole_to_the_next_page() -> None:
    """Stop 52's walkthrough: row 14 of an English package began at the foot of a page and
    went on at the top of the next (the table allowed every row to split). A row shorter than
    a page now moves whole; each row's first and last words are on the same page."""
    rows = tuple(
        package.Row(
            i,
            (f"91-{i}-1-1",),
            "opposite",
            f"Owner {i}",
            False,
            "letter_sent",
            DAY,
            None,
            False,
            reason=f"alku{i}. " + "across road Mäkelänkatu, 20.0 m " * 5 + f"loppu{i}.",
        )
        for i in range(1, 41)
    )
    out = package.package_pdf(dataclasses.replace(_package("en"), rows=rows))
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(out)).pages]
    assert len(pages) > 2
    for i in range(1, 41):
        first = [n for n, text in enumerate(pages) if f"alku{i}." in text]
        last = [n for n, text in enumerate(pages) if f"loppu{i}." in text]
        assert first and first == last, (i, first, last)


def test_a_letter_with_long_reasons_keeps_its_reply_slip_on_its_page() -> None:
    """Stop 52's walkthrough: two more lines of reasons pushed a letter's reply slip onto a
    second page of its own. Such a letter's map is made shorter (not below MAP_MIN_H_MM) and
    the letter is one page, the slip under its reasons; with the full map it would be two."""
    long = "; ".join(
        f"91-22-{i}-1: yhteistä rajaa rakennuspaikan kanssa {i},5 m" for i in range(700, 712)
    )
    x = dataclasses.replace(_letter(1, ("91-22-700-1",)), reasons=long)
    full = letters.letters_pdf([x])
    assert len(PdfReader(io.BytesIO(full)).pages) == 2, "the case this test is about"
    height = letters.map_height_mm(x)
    assert letters.MAP_MIN_H_MM <= height < letters.MAP_H_MM
    out = letters.letters_pdf([dataclasses.replace(x, map_height_mm=height)])
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(out)).pages]
    assert len(pages) == 1 and "91-22-711-1" in pages[0] and "☐" in pages[0], pages
    # walkthrough of stop 53: a shorter map cut the reader's plot. A focus (site and reader's
    # units) 100 m x 180 m fits the full map at 1:2000 (170 x 105 mm: 340 x 210 m with 8 m
    # margins) and not one 20 mm shorter: such a letter keeps the full map
    tall = box(0, 0, 100, 180)
    assert sitemap.choose_scale(tall.bounds, 170, 105, 8) == 2000
    assert letters.map_height_mm(x, tall) == letters.MAP_H_MM
    assert letters.map_height_mm(x, box(0, 0, 40, 30)) == height
    # a short letter keeps the full map; one too long for any map goes on with the full map
    assert letters.map_height_mm(_letter(1, ("91-22-700-1",))) == letters.MAP_H_MM
    # too long by some 38 mm: more than the map can give (the old print ended page 1 with the
    # heading "Näin vastaatte" and began page 2 with its text and the slip)
    longer = "; ".join(
        f"91-22-{i}-1: yhteistä rajaa rakennuspaikan kanssa {i},5 m" for i in range(700, 720)
    )
    many = dataclasses.replace(x, reasons=longer)
    assert letters.map_height_mm(many) == letters.MAP_H_MM
    # review of stop 53: its second page began with the slip alone, or a heading ended the
    # first; now the deadline, how to answer and the slip go on to the second page together
    out = letters.letters_pdf([many])
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(out)).pages]
    assert len(pages) == 2
    heads = (LETTER["fi"]["deadline"], LETTER["fi"]["how"], "☐")
    assert all(h in pages[1] and h not in pages[0] for h in heads), pages
