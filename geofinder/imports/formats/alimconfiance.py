"""The Alim'confiance export (DGAL sanitary inspections) as a merchant list.

One row is one inspection of an establishment (SIRET). Rows whose activity is open to the
public (restaurants, butchers, bakers, farm producers…) become places; the others
(slaughterhouses, storage, transport, processing plants, collective catering) are rejected
with that reason.

A place is an establishment (SIRET) at a postcode: rows of one SIRET and postcode (one row per
inspected activity) make one place, whose secondary categories come from the later rows. The
postcode is part of the identity because some SIRETs appear at several towns (chains filed
under one number, market stalls).
"""

from __future__ import annotations

from geofinder.imports.formats.base import CsvFormat, parse_lat_lon
from geofinder.places.records import PlaceRecord


class AlimconfianceFormat(CsvFormat):
    name = "alimconfiance"
    source = "alimconfiance"
    licence = "Licence Ouverte / Open Licence (Etalab) — DGAL Alim'confiance"
    required = [
        "APP_Libelle_activite_etablissement",
        "APP_Libelle_etablissement",
        "ods_adresse",
        "Code_postal",
        "Libelle_commune",
        "geores",
        "SIRET",
    ]

    def __init__(self, *, label_categories: dict[str, str]):
        # Activity label → category slug, from the taxonomy's alimconfiance mappings.
        self.label_categories = label_categories

    def source_id(self, row: dict) -> str:
        siret = row["SIRET"].strip() or f"inspection-{row.get('Numero_inspection', '').strip()}"
        return f"{siret}-{row['Code_postal'].strip()}"

    def parse(self, row: dict) -> PlaceRecord | str:
        activities = [a.strip() for a in row["APP_Libelle_activite_etablissement"].split("|") if a.strip()]
        if not activities:
            return "no activity label"
        slugs = [self.label_categories[a] for a in activities if a in self.label_categories]
        if not slugs:
            return f"not open to the public: {' | '.join(activities)}"
        name = row["APP_Libelle_etablissement"].strip()
        if not name:
            return "missing establishment name"
        coordinates = parse_lat_lon(row["geores"])
        if isinstance(coordinates, str):
            return coordinates
        lat, lon = coordinates or (None, None)
        return PlaceRecord(
            source_id=self.source_id(row),
            name=name,
            category=slugs[0],
            secondary_categories=slugs[1:],
            lon=lon,
            lat=lat,
            street=row["ods_adresse"].strip(),
            postcode=row["Code_postal"].strip(),
            city=row["Libelle_commune"].strip(),
            extra={
                "siret": row["SIRET"].strip(),
                "activities": activities,
                "inspection_date": row.get("Date_inspection", "").strip(),
                "inspection_number": row.get("Numero_inspection", "").strip(),
                "hygiene_level": row.get("Synthese_eval_sanit", "").strip(),
                "approval": row.get("Agrement", "").strip(),
            },
        )
