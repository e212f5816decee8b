"""The columns of the register's files, as published.

GEO_SIRET_HEADER is the header line of Etalab's geolocated establishments files
(`geo_siret_<département>.csv.gz`, https://files.data.gouv.fr/geo-sirene/last/dep/): INSEE's
StockEtablissement columns followed by the BAN geocoding columns (longitude … geo_l5). Later
editions of INSEE's stock add columns (dernierNumeroVoieEtablissement,
identifiantAdresseEtablissement, coordonneeLambert…, activitePrincipaleNAF25Etablissement): files
are read by column name, so those are read alike and their extra columns left aside.

INSEE's own geolocation file (GeolocalisationEtablissement_Sirene_pour_etudes_statistiques,
`;`-separated) gives each SIRET its position as x_longitude / y_latitude (WGS84) besides x / y in
the projection of its `epsg` column; it is joined to a StockEtablissement file by SIRET.
"""

from __future__ import annotations

GEO_SIRET_HEADER = (
    "siren,nic,siret,statutDiffusionEtablissement,dateCreationEtablissement,trancheEffectifsEtablissement,"
    "anneeEffectifsEtablissement,activitePrincipaleRegistreMetiersEtablissement,dateDernierTraitementEtablissement,"
    "etablissementSiege,nombrePeriodesEtablissement,complementAdresseEtablissement,numeroVoieEtablissement,"
    "indiceRepetitionEtablissement,typeVoieEtablissement,libelleVoieEtablissement,codePostalEtablissement,"
    "libelleCommuneEtablissement,libelleCommuneEtrangerEtablissement,distributionSpecialeEtablissement,"
    "codeCommuneEtablissement,codeCedexEtablissement,libelleCedexEtablissement,codePaysEtrangerEtablissement,"
    "libellePaysEtrangerEtablissement,complementAdresse2Etablissement,numeroVoie2Etablissement,"
    "indiceRepetition2Etablissement,typeVoie2Etablissement,libelleVoie2Etablissement,codePostal2Etablissement,"
    "libelleCommune2Etablissement,libelleCommuneEtranger2Etablissement,distributionSpeciale2Etablissement,"
    "codeCommune2Etablissement,codeCedex2Etablissement,libelleCedex2Etablissement,codePaysEtranger2Etablissement,"
    "libellePaysEtranger2Etablissement,dateDebut,etatAdministratifEtablissement,enseigne1Etablissement,"
    "enseigne2Etablissement,enseigne3Etablissement,denominationUsuelleEtablissement,activitePrincipaleEtablissement,"
    "nomenclatureActivitePrincipaleEtablissement,caractereEmployeurEtablissement,longitude,latitude,geo_score,"
    "geo_type,geo_adresse,geo_id,geo_ligne,geo_l4,geo_l5"
).split(",")

# What every establishments file must have (a StockEtablissement file or a geo_siret file).
REQUIRED = [
    "siret",
    "statutDiffusionEtablissement",
    "etatAdministratifEtablissement",
    "activitePrincipaleEtablissement",
    "codeCommuneEtablissement",
]
# Coordinates of a geo_siret file (WGS84, from the BAN).
GEO_SIRET_COORDINATES = ("longitude", "latitude")
# INSEE's geolocation file: the columns the join reads.
GEOLOCATION_REQUIRED = ["siret", "x_longitude", "y_latitude"]

# Legal name columns of the unité légale, present in joined extracts (StockEtablissement joined to
# StockUniteLegale) but not in geo_siret files: read when present.
LEGAL_DENOMINATION = "denominationUniteLegale"
LEGAL_CATEGORY = "categorieJuridiqueUniteLegale"
PERSON_NAME_COLUMNS = ("prenomUsuelUniteLegale", "nomUsageUniteLegale", "nomUniteLegale")
# catégorie juridique 1000: entrepreneur individuel (a person: its legal name is the person's).
INDIVIDUAL = "1000"

# The register writes "[ND]" (non diffusé) in the columns a partially diffusible unit hides.
NOT_DIFFUSED = "[ND]"

# INSEE's codes of the type of street (typeVoieEtablissement) → the word written on signs.
STREET_TYPES = {
    "ALL": "Allée", "AV": "Avenue", "BD": "Boulevard", "CAR": "Carrefour", "CHE": "Chemin", "CHS": "Chaussée",
    "CITE": "Cité", "COR": "Corniche", "CRS": "Cours", "DOM": "Domaine", "DSC": "Descente", "ECA": "Écart",
    "ESP": "Esplanade", "FG": "Faubourg", "GR": "Grande Rue", "HAM": "Hameau", "HLE": "Halle", "IMP": "Impasse",
    "LD": "Lieu-dit", "LOT": "Lotissement", "MAR": "Marché", "MTE": "Montée", "PASS": "Passage", "PL": "Place",
    "PLN": "Plaine", "PLT": "Plateau", "PRO": "Promenade", "PRV": "Parvis", "QUA": "Quartier", "QUAI": "Quai",
    "RES": "Résidence", "RLE": "Ruelle", "ROC": "Rocade", "RPT": "Rond-point", "RTE": "Route", "RUE": "Rue",
    "SEN": "Sentier", "SQ": "Square", "TPL": "Terre-plein", "TRA": "Traverse", "VLA": "Villa", "VLGE": "Village",
}
# indiceRepetitionEtablissement → as written after the number.
REPETITION = {"B": "bis", "T": "ter", "Q": "quater", "C": "quinquies"}
