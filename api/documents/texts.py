"""The texts of the letters (Finnish, Swedish) and of the hearing package (also English)."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from api import i18n
from api.ingest.owners import IDENTITY_CODE
from geo.applications.hearing import STATUSES

KIND = {
    "fi": {
        "building_permit": "rakennuslupahakemus",
        "deviation": "poikkeamishakemus",
        "planning_need": "suunnittelutarveratkaisu- tai sijoittamislupahakemus",
        "minor_deviation": "rakennuslupahakemus (vähäinen poikkeaminen)",
        "excavation": "kaivulupahakemus",
        "area_use": "alueenkäyttölupahakemus",
    },
    "sv": {
        "building_permit": "ansökan om bygglov",
        "deviation": "ansökan om undantag",
        "planning_need": "ansökan om avgörande som gäller planeringsbehov eller placeringstillstånd",
        "minor_deviation": "ansökan om bygglov (mindre avvikelse)",
        "excavation": "ansökan om grävningstillstånd",
        "area_use": "ansökan om tillstånd att använda allmänt område",
    },
    "en": {
        "building_permit": "building permit application",
        "deviation": "deviation application",
        "planning_need": "planning-need decision or siting permit application",
        "minor_deviation": "building permit application (minor deviation)",
        "excavation": "excavation permit application",
        "area_use": "area-use permit application",
    },
}

# What the permit is called under the regime of the filing date (domain.md section 0): from
# 1.1.2025 a building permit is a rakentamislupa (RakL 42 §), and a planning-need area's
# conditions are decided in it or in a siting permit (RakL 46 §, sijoittamislupa 43 §) instead
# of a suunnittelutarveratkaisu (MRL 137 §). The Swedish act keeps "bygglov".
KIND_BY_REGIME = {
    "MRL": {
        "fi": {"planning_need": "suunnittelutarveratkaisuhakemus"},
        "sv": {"planning_need": "ansökan om avgörande som gäller planeringsbehov"},
        "en": {"planning_need": "planning-need decision application"},
    },
    "RakL": {
        "fi": {
            "building_permit": "rakentamislupahakemus",
            "planning_need": "rakentamislupa- tai sijoittamislupahakemus (suunnittelutarvealue)",
            "minor_deviation": "rakentamislupahakemus (vähäinen poikkeaminen)",
        },
        "sv": {
            "planning_need": "ansökan om bygglov eller placeringstillstånd (område med behov av planering)"
        },
        "en": {"planning_need": "building or siting permit application (planning-need area)"},
    },
}


def kind_label(lang: str, kind: str, regime: str | None) -> str:
    """The application's name in `lang` under `regime` ("MRL" or "RakL"; None: the neutral one)."""
    own = KIND_BY_REGIME.get(regime or "", {}).get(lang, {})
    return own.get(kind) or KIND[lang].get(kind, kind)


LETTER = {
    "fi": {
        "office": "rakennusvalvonta",
        "title": "Naapurin kuuleminen",
        "application": "Hakemus nro",
        "date": "Päivämäärä",
        "to": "Vastaanottaja",
        "subject": "Teitä kuullaan hakemuksesta, joka koskee rakennuspaikkaa {site} ({kind}).",
        "applicant_name": "Hakija",
        "applicant_names": "Hakijat",
        "description": "Hakemus",
        "buildings": "Suunnitellut rakennukset",
        "why": "Miksi teitä kuullaan",
        "your_units": "Kiinteistönne",
        "basis": "Kuulemisen peruste",
        "map": "Sijaintikartta",
        "map_note": "Rakennuspaikka vihreällä, kiinteistönne oranssilla. Kiinteistötunnukset kartalla.",
        "deadline": "Määräaika",
        "deadline_text": "Mahdolliset huomautukset on toimitettava viimeistään {date}.",
        "delivery": "Kirjeen katsotaan tulleen tietoonne seitsemäntenä päivänä lähettämisestä (hallintolaki 59 §); "
        "määräaika on laskettu niin, että päättyessään pyhäpäivään, itsenäisyyspäivään, vapunpäivään, joulu- tai "
        "juhannusaattoon, lauantaihin tai sunnuntaihin se siirtyy seuraavaan arkipäivään "
        "(laki säädettyjen määräaikain laskemisesta 150/1930, 5 §).",
        "how": "Näin vastaatte",
        "how_text": "Vastatkaa kirjallisesti: {office}, {municipality}{to}. Mainitkaa hakemusnumero {id} ja kiinteistötunnuksenne. "
        "Jos teillä ei ole huomautettavaa, voitte palauttaa alla olevan vastausosan allekirjoitettuna; "
        "vastaamatta jättäminen ei estä asian ratkaisemista.",
        "email": "sähköposti {email}",
        "reply": "Vastausosa (hakemus {id})",
        "more_units": "ja {n} muuta (luettelo yllä)",
        "no_remarks": "Ei huomautettavaa",
        "remarks": "Huomautukset liitteenä",
        "consent": "Annan suostumukseni hankkeelle",
        "signature": "Päiväys, allekirjoitus ja nimenselvennys",
        "unknown_recipient": "(omistaja tai osoite ei tiedossa)",
        "page": "sivu",
        "letter": "kirje",
        "draft": "LUONNOS – lähettämistä ei ole kirjattu: päiväys ja määräaika vahvistuvat, kun"
        " kirjeiden lähettäminen kirjataan. Älä postita tätä kirjettä.",
    },
    "sv": {
        "office": "byggnadstillsynen",
        "title": "Hörande av granne",
        "application": "Ansökan nr",
        "date": "Datum",
        "to": "Mottagare",
        "subject": "Ni hörs om en {kind} som gäller byggplatsen {site}.",
        "applicant_name": "Sökande",
        "applicant_names": "Sökande",
        "description": "Ansökan",
        "buildings": "Planerade byggnader",
        "why": "Varför ni hörs",
        "your_units": "Er fastighet",
        "basis": "Grund för hörandet",
        "map": "Situationskarta",
        "map_note": "Byggplatsen i grönt, er fastighet i orange. Fastighetsbeteckningarna på kartan.",
        "deadline": "Tidsfrist",
        "deadline_text": "Eventuella anmärkningar ska lämnas senast {date}.",
        "delivery": "Brevet anses ha kommit till er kännedom den sjunde dagen efter att det sändes (förvaltningslagen 59 §); "
        "infaller fristens sista dag på en helgdag, självständighetsdagen, första maj, julafton, midsommarafton, "
        "en lördag eller en söndag flyttas den till följande vardag "
        "(lagen om beräknande av laga tid 150/1930, 5 §).",
        "how": "Så svarar ni",
        "how_text": "Svara skriftligen: {office}, {municipality}{to}. Ange ansökans nummer {id} och er fastighetsbeteckning. "
        "Om ni inte har något att anmärka kan ni returnera svarsdelen nedan undertecknad; "
        "att inte svara hindrar inte att ärendet avgörs.",
        "email": "e-post {email}",
        "reply": "Svarsdel (ansökan {id})",
        "more_units": "och {n} andra (förteckningen ovan)",
        "no_remarks": "Inget att anmärka",
        "remarks": "Anmärkningar bifogas",
        "consent": "Jag samtycker till projektet",
        "signature": "Datum, underskrift och namnförtydligande",
        "unknown_recipient": "(ägare eller adress okänd)",
        "page": "sida",
        "letter": "brev",
        "draft": "UTKAST – utskicket har inte registrerats: datum och tidsfrist fastställs när"
        " utskicket av breven registreras. Posta inte detta brev.",
    },
}

PACKAGE = {
    "fi": {
        "title": "Naapurien kuuleminen – hakemus {id}",
        "printed": "Päivämäärä",
        "applicant_name": "Hakija",
        "applicant_names": "Hakijat",
        "buildings": "Suunnitellut rakennukset",
        "description": "Hanke",
        "reply": "Vastaaminen",
        "reply_text": (
            "Naapuri voi antaa huomautuksensa kirjallisesti kunnan rakennusvalvonnalle "
            "({municipality}) viimeistään {deadline}; mainitse hakemuksen numero {id}."
        ),
        "case": "Asia",
        "site": "Rakennuspaikka",
        "reaches": "Piirros ulottuu myös kiinteistölle",
        "reaches_many": "Piirros ulottuu myös kiinteistöille",
        "filed": "Vireille",
        "regime": "Laki",
        "basis": "Kuulemisen peruste",
        "heard_by": "Kuulija",
        "authority": "viranomainen",
        "applicant": "hakija",
        "letters": "Kirjeitä",
        "cost": "Kuulemismaksu",
        "deadline": "Määräaika",
        "earliest": "Aikaisin päätöspäivä",
        "complete": "Kuuleminen valmis",
        "yes": "kyllä",
        "no": "ei",
        "notice": "Julkinen kuulutus",
        "map": "Kartta: naapurit kuulemisen tilan mukaan",
        "non_responder": "! = ei vastannut määräajassa",
        "columns": [
            "Nro",
            "Kiinteistöt",
            "Suhde ja syy",
            "Vastaanottaja",
            "Tila",
            "Pvm",
            "Määräaika",
        ],
        "withheld": "salattu",
        "unknown": "ei tiedossa",
        "notice_unknown": "{unknown} vastaanottajan osoite ei ole tiedossa: heidät voidaan kuulla kuuluttamalla ({basis})",
        "notice_over": "{n} naapuria, enemmän kuin {over}: kuulutus on mahdollinen ({basis})",
        "notice_none": "naapureita {n}, enintään {over}: jokainen kuullaan kirjeellä",
    },
    "sv": {
        "title": "Hörande av grannar – ansökan {id}",
        "printed": "Datum",
        "applicant_name": "Sökande",
        "applicant_names": "Sökande",
        "buildings": "Planerade byggnader",
        "description": "Projekt",
        "reply": "Svar",
        "reply_text": (
            "Grannen kan lämna sin anmärkning skriftligt till kommunens byggnadstillsyn "
            "({municipality}) senast {deadline}; ange ansökans nummer {id}."
        ),
        "case": "Ärende",
        "site": "Byggplats",
        "reaches": "Ritningen når också in på fastigheten",
        "reaches_many": "Ritningen når också in på fastigheterna",
        "filed": "Anhängig",
        "regime": "Lag",
        "basis": "Grund för hörandet",
        "heard_by": "Hörs av",
        "authority": "myndigheten",
        "applicant": "sökanden",
        "letters": "Brev",
        "cost": "Avgift för hörandet",
        "deadline": "Tidsfrist",
        "earliest": "Tidigaste beslutsdag",
        "complete": "Hörandet klart",
        "yes": "ja",
        "no": "nej",
        "notice": "Offentlig kungörelse",
        "map": "Karta: grannarna enligt hörandets status",
        "non_responder": "! = svarade inte inom fristen",
        "columns": [
            "Nr",
            "Fastigheter",
            "Relation och skäl",
            "Mottagare",
            "Status",
            "Datum",
            "Tidsfrist",
        ],
        "withheld": "sekretessbelagd",
        "unknown": "okänd",
        "notice_unknown": "{unknown} mottagares adress är okänd: de kan höras genom kungörelse ({basis})",
        "notice_over": "{n} grannar, fler än {over}: kungörelse är möjlig ({basis})",
        "notice_none": "grannar: {n}, högst {over}: var och en hörs per brev",
    },
    "en": {
        "title": "Hearing of the neighbours – application {id}",
        "printed": "Date",
        "applicant_name": "Applicant",
        "applicant_names": "Applicants",
        "buildings": "Planned buildings",
        "description": "Project",
        "reply": "How to reply",
        "reply_text": "A neighbour may send remarks in writing to the building control ({municipality}) by {deadline}, quoting application {id}.",
        "case": "Case",
        "site": "Site",
        "reaches": "The drawing also reaches onto property",
        "reaches_many": "The drawing also reaches onto properties",
        "filed": "Filed",
        "regime": "Law",
        "basis": "Legal basis of the hearing",
        "heard_by": "Heard by",
        "authority": "the authority",
        "applicant": "the applicant",
        "letters": "Letters",
        "cost": "Hearing fee",
        "deadline": "Deadline",
        "earliest": "Earliest decision date",
        "complete": "Hearing complete",
        "yes": "yes",
        "no": "no",
        "notice": "Public notice",
        "map": "Map: the neighbours by the status of their hearing",
        "non_responder": "! = no answer by the deadline",
        "columns": [
            "No",
            "Properties",
            "Relation and reason",
            "Addressee",
            "Status",
            "Date",
            "Deadline",
        ],
        "withheld": "withheld",
        "unknown": "unknown",
        "notice_unknown": "{unknown} addressee(s) without a known address: they can be heard by public notice ({basis})",
        "notice_over": "{n} neighbours, more than {over}: a public notice is allowed ({basis})",
        "notice_none": "neighbours: {n}, not more than {over}: each is heard by letter",
    },
}

STATUS = {
    "fi": {
        "open": "avoin",
        "letter_sent": "kirje lähetetty",
        "reminded": "muistutettu",
        "answered_no_remarks": "ei huomautettavaa",
        "answered_remarks": "huomautus",
        "consented": "suostumus",
        "heard_by_public_notice": "kuulutettu",
        "heard_by_authority": "viranomainen kuullut",
    },
    "sv": {
        "open": "öppen",
        "letter_sent": "brev sänt",
        "reminded": "påmint",
        "answered_no_remarks": "inget att anmärka",
        "answered_remarks": "anmärkning",
        "consented": "samtycke",
        "heard_by_public_notice": "kungjort",
        "heard_by_authority": "hörd av myndigheten",
    },
    "en": {s: s.replace("_", " ") for s in STATUSES},
}

RELATION = {
    "fi": {
        "adjacent": "rajanaapuri",
        "reaches": "piirros ulottuu",
        "opposite": "vastapäätä",
        "affected": "vaikutuspiirissä",
        "manual": "lisätty",
        "authority": "tienpitäjä",
    },
    "sv": {
        "adjacent": "rågranne",
        "reaches": "ritningen når in",
        "opposite": "mittemot",
        "affected": "inom verkningsområdet",
        "manual": "tillagd",
        "authority": "väghållare",
    },
    "en": {
        "adjacent": "adjacent",
        "reaches": "drawn onto",
        "opposite": "opposite",
        "affected": "affected",
        "manual": "added",
        "authority": "road authority",
    },
}


def scrub(text: str | None) -> str:
    """The text with anything that looks like a personal identity code removed (never printed)."""
    return IDENTITY_CODE.sub("[…]", text or "")


def day(d: dt.date | None, lang: str) -> str:
    """A date as the language writes it (29.12.2025; ISO in English)."""
    if d is None:
        return "–"
    return d.isoformat() if lang == "en" else f"{d.day}.{d.month}.{d.year}"


def area(m2: float, lang: str) -> str:
    """Square metres with one decimal (a decimal comma in Finnish and Swedish): '83,5 m²'."""
    text = f"{m2:.1f}"
    return (text if lang == "en" else text.replace(".", ",")) + " m²"


def money(x: object, lang: str) -> str:
    """Euros with two decimals (a decimal comma in Finnish and Swedish)."""
    text = f"{float(str(x)):,.2f}"
    return (text.replace(",", "\u00a0").replace(".", ",") if lang != "en" else text) + " €"


class Planned(NamedTuple):
    """A planned building as the documents name it."""

    use: str  # a tariff's use ("garage"), or the applicant's own words
    floor_area_m2: float | None
    height_m: float | None


BUILDING = {
    "fi": ("kerrosala {} m²", "korkeus {} m"),
    "sv": ("våningsyta {} m²", "höjd {} m"),
    "en": ("floor area {} m²", "height {} m"),
}


def buildings(lang: str, planned: tuple[Planned, ...]) -> str:
    """The planned buildings in one line: 'autotalli, kerrosala 40 m², korkeus 3,5 m; sauna'."""
    area, height = BUILDING[lang]
    names = i18n.catalogue(lang)
    out = []
    for b in planned:
        parts = [names.get(f"use.{b.use}", b.use)]
        if b.floor_area_m2 is not None:
            parts.append(area.format(i18n.number(lang, b.floor_area_m2, 0, 2)))
        if b.height_m is not None:
            parts.append(height.format(i18n.number(lang, b.height_m, 0, 2)))
        out.append(", ".join(parts))
    return "; ".join(out)


# The decision document (päätös): its facts, how it was made known, and how to seek a change.
DECISION = {
    "fi": {
        "title": "Päätös – hakemus {id}",
        "printed": "Tulostettu",
        "case": "Asia",
        "applicant_name": "Hakija",
        "applicant_names": "Hakijat",
        "description": "Hanke",
        "buildings": "Suunnitellut rakennukset",
        "site": "Rakennuspaikka",
        "dig_site": "Alue",
        "works": "Työn aika",
        "filed": "Vireilletulopäivä",
        "decision": "Päätös",
        "granted": "Lupa myönnetään",
        "refused": "Hakemus hylätään",
        "decided_by": "Päätöksen tekijä",
        "inspector": "viranhaltija",
        "board": "lautakunta",
        "decided_on": "Päätöspäivä",
        "made_known": "Tiedoksianto",
        "posted": "Asetettu nähtäville {posted}; asianosaisten katsotaan saaneen päätöksestä tiedon samana päivänä",
        "letter": "Lähetetty hakijalle kirjeenä {sent}; katsotaan saaduksi {received}",
        "electronic": "Lähetetty hakijalle sähköisesti {sent}; katsotaan saaduksi {received}",
        "conditions": "Lupaehdot",
        "no_conditions": "Ei erityisiä lupaehtoja.",
        "reason": "Perustelut",
        "limits": "Voimassaolo",
        "start_finish": "Rakennustyö on aloitettava viimeistään {start} ja saatettava loppuun viimeistään {finish}.",
        "apply_by": "Rakennuslupaa on haettava viimeistään {until}.",
        "map": "Kartta",
        "seek_change": "Muutoksenhaku",
        "rectification": (
            "Oikaisuvaatimusohje. Tähän päätökseen tyytymätön asianosainen voi vaatia siihen "
            "oikaisua. Oikaisuvaatimus on tehtävä kirjallisesti {days} päivän kuluessa päätöksen "
            "tiedoksisaannista, viimeistään {ends}, ja toimitettava kunnalle ({to}). "
            "Vaatimuksessa on yksilöitävä päätös, johon vaaditaan oikaisua, miten sitä halutaan "
            "oikaistavaksi ja millä perusteilla. Päätöksestä ei voi valittaa suoraan."
        ),
        "appeal": (
            "Valitusosoitus. Tähän päätökseen saa hakea muutosta valittamalla hallinto-oikeuteen. "
            "Valitus on tehtävä kirjallisesti {days} päivän kuluessa päätöksen tiedoksisaannista, "
            "viimeistään {ends}, toimivaltaiselle hallinto-oikeudelle. Valituskirjelmässä on "
            "ilmoitettava päätös, johon haetaan muutosta, miltä osin ja miten sitä vaaditaan "
            "muutettavaksi, vaatimusten perusteet sekä valittajan yhteystiedot. Valituksen "
            "käsittelystä voidaan periä oikeudenkäyntimaksu (tuomioistuinmaksulaki 1455/2015)."
        ),
        "moved": "(Määräajan viimeinen päivä siirtyy arkipäivään: {nominal} ei ole arkipäivä.)",
        "valid": "Päätös saa lainvoiman {valid}, jos siihen ei haeta muutosta.",
        "under_appeal": "Päätökseen on haettu muutosta {on}: se ei ole vielä lainvoimainen.",
        "ruled": "Muutoksenhaun ratkaisu: {by}, {on}{ref}.",
        "final": "Päätös on lainvoimainen {valid}.",
        "withdrawn": "Hakija luopui luvasta {on}, eikä lupa ole enää voimassa.",
        "footer": "Hakemus {id} · päätös · sivu {{page}}/{{pages}}",
    },
    "sv": {
        "title": "Beslut – ansökan {id}",
        "printed": "Utskrivet",
        "case": "Ärende",
        "applicant_name": "Sökande",
        "applicant_names": "Sökande",
        "description": "Projekt",
        "buildings": "Planerade byggnader",
        "site": "Byggplats",
        "dig_site": "Område",
        "works": "Arbetstid",
        "filed": "Anhängiggjord",
        "decision": "Beslut",
        "granted": "Tillståndet beviljas",
        "refused": "Ansökan avslås",
        "decided_by": "Beslutsfattare",
        "inspector": "tjänsteinnehavare",
        "board": "nämnd",
        "decided_on": "Beslutsdag",
        "made_known": "Delgivning",
        "posted": "Framlagt {posted}; parterna anses ha fått del av beslutet samma dag",
        "letter": "Sänt till sökanden som brev {sent}; anses mottaget {received}",
        "electronic": "Sänt till sökanden elektroniskt {sent}; anses mottaget {received}",
        "conditions": "Tillståndsvillkor",
        "no_conditions": "Inga särskilda villkor.",
        "reason": "Motivering",
        "limits": "Giltighet",
        "start_finish": "Byggarbetet ska påbörjas senast {start} och slutföras senast {finish}.",
        "apply_by": "Bygglov ska sökas senast {until}.",
        "map": "Karta",
        "seek_change": "Ändringssökande",
        "rectification": (
            "Anvisning för begäran om omprövning. En part som är missnöjd med beslutet kan begära "
            "omprövning. Begäran ska göras skriftligt inom {days} dagar från delfåendet, senast "
            "{ends}, och lämnas till kommunen ({to}). I begäran ska anges det beslut som avses, "
            "hur det ska ändras och på vilka grunder. Beslutet får inte överklagas direkt."
        ),
        "appeal": (
            "Besvärsanvisning. Ändring i detta beslut får sökas genom besvär hos "
            "förvaltningsdomstolen. Besvären ska anföras skriftligt inom {days} dagar från "
            "delfåendet, senast {ends}, till den behöriga förvaltningsdomstolen. I besvärsskriften "
            "ska anges det beslut som överklagas, till vilka delar och hur det ska ändras, "
            "grunderna för yrkandena och ändringssökandens kontaktuppgifter. För behandlingen kan "
            "en rättegångsavgift tas ut (lagen om domstolsavgifter 1455/2015)."
        ),
        "moved": "(Den sista dagen flyttas till en vardag: {nominal} är ingen vardag.)",
        "valid": "Beslutet vinner laga kraft {valid} om ändring inte söks.",
        "under_appeal": "Ändring i beslutet har sökts {on}: det har inte vunnit laga kraft.",
        "ruled": "Avgörande i ändringssökandet: {by}, {on}{ref}.",
        "final": "Beslutet har vunnit laga kraft {valid}.",
        "withdrawn": "Sökanden avstod från tillståndet {on}, och tillståndet gäller inte längre.",
        "footer": "Ansökan {id} · beslut · sida {{page}}/{{pages}}",
    },
    "en": {
        "title": "Decision – application {id}",
        "printed": "Printed",
        "case": "Matter",
        "applicant_name": "Applicant",
        "applicant_names": "Applicants",
        "description": "Project",
        "buildings": "Planned buildings",
        "site": "Building site",
        "dig_site": "Area",
        "works": "Works period",
        "filed": "Filed on",
        "decision": "Decision",
        "granted": "The permit is granted",
        "refused": "The application is refused",
        "decided_by": "Decided by",
        "inspector": "officer",
        "board": "board",
        "decided_on": "Date of decision",
        "made_known": "Notification",
        "posted": "Posted on {posted}; the parties are deemed to have been notified that day",
        "letter": "Sent to the applicant by letter on {sent}; deemed received on {received}",
        "electronic": "Sent to the applicant electronically on {sent}; deemed received on {received}",
        "conditions": "Conditions",
        "no_conditions": "No particular conditions.",
        "reason": "Reasons",
        "limits": "Validity",
        "start_finish": "Building work must start by {start} and be finished by {finish}.",
        "apply_by": "The building permit must be applied for by {until}.",
        "map": "Map",
        "seek_change": "Seeking a change",
        "rectification": (
            "Rectification claim. A party dissatisfied with this decision may claim its "
            "rectification. The claim must be made in writing within {days} days of notification, "
            "by {ends}, to the municipality ({to}). It must name the decision, how it should be "
            "rectified and on what grounds. The decision cannot be appealed directly."
        ),
        "appeal": (
            "Appeal. This decision may be appealed to the administrative court. The appeal must "
            "be made in writing within {days} days of notification, by {ends}, to the competent "
            "administrative court, and must name the decision, the parts appealed, the change "
            "sought, its grounds and the appellant's contact details. A court fee may be charged "
            "(Act on Court Fees 1455/2015)."
        ),
        "moved": "(The last day moves to a working day: {nominal} is not one.)",
        "valid": "The decision becomes legally valid on {valid} unless a change is sought.",
        "under_appeal": "A change to the decision was sought on {on}: it is not legally valid yet.",
        "ruled": "Ruling on the appeal: {by}, {on}{ref}.",
        "final": "The decision is legally valid from {valid}.",
        "withdrawn": "The applicant gave up the permit on {on}; it is no longer in force.",
        "footer": "Application {id} · decision · page {{page}}/{{pages}}",
    },
}
