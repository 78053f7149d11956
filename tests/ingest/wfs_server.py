"""A small WFS 2.0 server for tests: GetCapabilities, DescribeFeatureType and GetFeature with
STARTINDEX/COUNT paging (and RESULTTYPE=hits), GML 3.2 in EPSG:3067, on 127.0.0.1 only.

It serves one feature type, `rp:parcels` (kiinteistotunnus and a MultiSurface), from the rows
it is given; `fail_from` makes every GetFeature page from that start index answer HTTP 500.
Every request's query is recorded.
"""

from __future__ import annotations

import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import shapely

NS = "http://rajapiste.test/rp"
HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0" '
    'xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:rp="{ns}" '
    'timeStamp="2026-01-01T00:00:00Z" numberMatched="{matched}" numberReturned="{returned}">'
)

CAPABILITIES = """<?xml version="1.0" encoding="UTF-8"?>
<wfs:WFS_Capabilities version="2.0.0" xmlns:wfs="http://www.opengis.net/wfs/2.0"
  xmlns:ows="http://www.opengis.net/ows/1.1" xmlns:xlink="http://www.w3.org/1999/xlink"
  xmlns:fes="http://www.opengis.net/fes/2.0" xmlns:rp="{ns}">
 <ows:ServiceIdentification><ows:Title>Test WFS</ows:Title>
  <ows:ServiceType>WFS</ows:ServiceType><ows:ServiceTypeVersion>2.0.0</ows:ServiceTypeVersion>
 </ows:ServiceIdentification>
 <ows:OperationsMetadata>
  <ows:Operation name="GetCapabilities"><ows:DCP><ows:HTTP><ows:Get xlink:href="{url}?"/></ows:HTTP></ows:DCP></ows:Operation>
  <ows:Operation name="DescribeFeatureType"><ows:DCP><ows:HTTP><ows:Get xlink:href="{url}?"/></ows:HTTP></ows:DCP></ows:Operation>
  <ows:Operation name="GetFeature"><ows:DCP><ows:HTTP><ows:Get xlink:href="{url}?"/></ows:HTTP></ows:DCP>
   <ows:Parameter name="resultType"><ows:AllowedValues><ows:Value>results</ows:Value><ows:Value>hits</ows:Value></ows:AllowedValues></ows:Parameter>
  </ows:Operation>
  <ows:Constraint name="ImplementsBasicWFS"><ows:NoValues/><ows:DefaultValue>TRUE</ows:DefaultValue></ows:Constraint>
  <ows:Constraint name="ImplementsResultPaging"><ows:NoValues/><ows:DefaultValue>TRUE</ows:DefaultValue></ows:Constraint>
  <ows:Constraint name="CountDefault"><ows:NoValues/><ows:DefaultValue>1000</ows:DefaultValue></ows:Constraint>
 </ows:OperationsMetadata>
 <wfs:FeatureTypeList>
  <wfs:FeatureType>
   <wfs:Name>rp:parcels</wfs:Name><wfs:Title>Parcels</wfs:Title>
   <wfs:DefaultCRS>urn:ogc:def:crs:EPSG::3067</wfs:DefaultCRS>
   <ows:WGS84BoundingBox><ows:LowerCorner>19 59</ows:LowerCorner><ows:UpperCorner>32 71</ows:UpperCorner></ows:WGS84BoundingBox>
  </wfs:FeatureType>
 </wfs:FeatureTypeList>
</wfs:WFS_Capabilities>
"""

SCHEMA = """<?xml version="1.0" encoding="UTF-8"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:gml="http://www.opengis.net/gml/3.2"
  xmlns:rp="{ns}" targetNamespace="{ns}" elementFormDefault="qualified" version="1.0">
 <xsd:import namespace="http://www.opengis.net/gml/3.2" schemaLocation="http://schemas.opengis.net/gml/3.2.1/gml.xsd"/>
 <xsd:complexType name="parcelsType">
  <xsd:complexContent><xsd:extension base="gml:AbstractFeatureType"><xsd:sequence>
   <xsd:element name="kiinteistotunnus" type="xsd:string" minOccurs="0" maxOccurs="1" nillable="true"/>
   <xsd:element name="geom" type="gml:MultiSurfacePropertyType" minOccurs="0" maxOccurs="1" nillable="true"/>
  </xsd:sequence></xsd:extension></xsd:complexContent>
 </xsd:complexType>
 <xsd:element name="parcels" type="rp:parcelsType" substitutionGroup="gml:AbstractFeature"/>
</xsd:schema>
"""


def _pos_list(ring: Any) -> str:
    return " ".join(f"{x:.3f} {y:.3f}" for x, y in ring.coords)


def gml_multisurface(geom: Any, gid: str) -> str:
    """A (Multi)Polygon as a GML 3.2 MultiSurface in EPSG:3067 (easting, northing)."""
    parts = []
    for k, poly in enumerate(getattr(geom, "geoms", [geom])):
        rings = f"<gml:exterior><gml:LinearRing><gml:posList>{_pos_list(poly.exterior)}</gml:posList></gml:LinearRing></gml:exterior>"
        for hole in poly.interiors:
            rings += f"<gml:interior><gml:LinearRing><gml:posList>{_pos_list(hole)}</gml:posList></gml:LinearRing></gml:interior>"
        parts.append(
            f'<gml:surfaceMember><gml:Polygon gml:id="{gid}.p{k}">{rings}</gml:Polygon></gml:surfaceMember>'
        )
    return f'<gml:MultiSurface gml:id="{gid}.g" srsName="urn:ogc:def:crs:EPSG::3067">{"".join(parts)}</gml:MultiSurface>'


@dataclass
class Wfs:
    """What the server serves and what it was asked."""

    rows: list[tuple[str, Any]]  # (kiinteistotunnus, shapely geometry in EPSG:3067)
    fail_from: int | None = None  # GetFeature pages from this STARTINDEX answer 500
    requests: list[dict[str, str]] = field(default_factory=list)
    url: str = ""

    def feature_page(self, start: int, count: int) -> str:
        """A GetFeature answer: `count` features from `start`."""
        page = self.rows[start : start + count]
        members = "".join(
            f'<wfs:member><rp:parcels gml:id="parcels.{start + i}">'
            f"<rp:kiinteistotunnus>{pid}</rp:kiinteistotunnus>"
            f"<rp:geom>{gml_multisurface(g, f'parcels.{start + i}')}</rp:geom>"
            "</rp:parcels></wfs:member>"
            for i, (pid, g) in enumerate(page)
        )
        head = HEAD.format(ns=NS, matched=len(self.rows), returned=len(page))
        return head + members + "</wfs:FeatureCollection>"


def _handler(wfs: Wfs) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            return None

        def _send(self, body: str, status: int = 200, ctype: str = "text/xml") -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            q = {
                k.upper(): v
                for k, v in urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query)
            }
            wfs.requests.append(q)
            req = q.get("REQUEST", "").lower()
            if req == "getcapabilities":
                self._send(CAPABILITIES.format(ns=NS, url=wfs.url))
            elif req == "describefeaturetype":
                self._send(SCHEMA.format(ns=NS))
            elif req == "getfeature" and q.get("RESULTTYPE", "").lower() == "hits":
                self._send(
                    HEAD.format(ns=NS, matched=len(wfs.rows), returned=0)
                    + "</wfs:FeatureCollection>"
                )
            elif req == "getfeature":
                start = int(q.get("STARTINDEX", "0"))
                count = int(q.get("COUNT", q.get("MAXFEATURES", str(len(wfs.rows)))))
                if wfs.fail_from is not None and start >= wfs.fail_from:
                    self._send(
                        "<ows:ExceptionReport>the database went away</ows:ExceptionReport>", 500
                    )
                else:
                    self._send(
                        wfs.feature_page(start, count), ctype="application/gml+xml; version=3.2"
                    )
            else:
                self._send("unknown request", 400, "text/plain")

    return Handler


@contextmanager
def serving_wfs(wfs: Wfs) -> Iterator[Wfs]:
    """Serve `wfs` on a free port of 127.0.0.1 (its `url` set), then stop."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(wfs))
    wfs.url = f"http://127.0.0.1:{server.server_address[1]}/wfs"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield wfs
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def sample_rows(units_file: Any, around: str, n: int) -> list[tuple[str, Any]]:
    """`n` parcels of the NLS sample nearest to the property `around` (read with pyogrio)."""
    import pyogrio

    df = pyogrio.read_dataframe(units_file, layer="property_borders")
    ids = [str(v) for v in df["kiinteistotunnus"]]
    geoms = list(df.geometry)
    centre = shapely.union_all([g for i, g in zip(ids, geoms, strict=True) if i == around]).centroid
    order = sorted(range(len(ids)), key=lambda k: geoms[k].distance(centre))
    return [(ids[k], geoms[k]) for k in order[:n]]
