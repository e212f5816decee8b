"""The strings the map's JavaScript shows, translated on the server (one django.po for the
templates and the scripts), passed to the page with `json_script`. Placeholders: %(name)s."""

from django.utils.translation import gettext


def service_labels() -> dict[str, str]:
    """The API's service names (geofinder.search.query.SERVICES) as residents read them."""
    return {
        "click_and_collect": gettext("retrait en magasin"),
        "delivery": gettext("livraison"),
        "takeaway": gettext("à emporter"),
        "appointment": gettext("sur rendez-vous"),
    }


def script_strings() -> dict[str, str]:
    """Key → text in the active language."""
    return {
        # opening labels (geofinder/opening/labels.py says the same in French)
        "hours_unknown": gettext("Horaires inconnus"),
        "open_always": gettext("Ouvert 24h/24"),
        "open_end": gettext("Ouvert · heure de fermeture inconnue"),
        "open_closes_at": gettext("Ouvert · ferme à %(time)s"),
        "open_closes": gettext("Ouvert · ferme %(when)s"),
        "closed": gettext("Fermé"),
        "closed_opens": gettext("Fermé · ouvre %(when)s"),
        "closed_holiday": gettext("Fermé · jour férié"),
        "closed_closure": gettext("Fermé · fermeture exceptionnelle"),
        "at_time": gettext("à %(time)s"),
        "tomorrow_at": gettext("demain à %(time)s"),
        "weekday_at": gettext("%(day)s à %(time)s"),
        "date_at": gettext("le %(date)s à %(time)s"),
        # week table notes (geofinder/opening/week.py)
        "week_hours": gettext("Horaires de la semaine"),
        "today": gettext("aujourd’hui"),
        "note_holiday": gettext("Jour férié"),
        "note_closure": gettext("Fermeture exceptionnelle"),
        "note_uncertain": gettext("Horaires incertains"),
        "hours_not_given": gettext("Horaires non renseignés."),
        # search and results
        "searching": gettext("Recherche…"),
        "give_a_place": gettext("Indiquez une commune, un code postal, ou utilisez « Autour de moi »."),
        "result_one": gettext("1 résultat près de %(where)s."),
        "results_count": gettext("%(count)s résultats près de %(where)s."),
        "no_results": gettext("Aucun résultat près de %(where)s : élargissez le rayon ou retirez un filtre."),
        "suggestions": gettext("Vouliez-vous dire : %(list)s ?"),
        "search_failed": gettext("La recherche n’a pas abouti :"),
        "did_you_mean": gettext("Lieux possibles :"),
        "around_me": gettext("Autour de moi"),
        "map_centre": gettext("Centre de la carte"),
        "locating": gettext("Recherche de votre position…"),
        "geolocation_refused": gettext("Position indisponible : indiquez une commune ou un code postal."),
        "geolocation_unavailable": gettext("Ce navigateur ne donne pas sa position : indiquez une commune."),
        "search_centre": gettext("Centre de la recherche"),
        "metres": gettext("%(n)s m"),
        "kilometres": gettext("%(n)s km"),
        "territory_commune": gettext("Commune : %(name)s"),
        "territory_department": gettext("Département : %(name)s"),
        "territory_region": gettext("Région : %(name)s"),
        "no_tiles": gettext("fond de carte désactivé"),
        # detail panel
        "close_detail": gettext("Fermer la fiche"),
        "address": gettext("Adresse"),
        "phone": gettext("Téléphone"),
        "website": gettext("Site web"),
        "online_shop": gettext("Boutique en ligne"),
        "email": gettext("Courriel"),
        "services_list": gettext("Services : %(list)s"),
        **{f"service_{name}": label for name, label in service_labels().items()},
        "directions": gettext("Itinéraire (OpenStreetMap)"),
        "open_in_maps_app": gettext("Ouvrir dans une application de cartes"),
        "source": gettext("Source : %(source)s"),
        # what the merchant says (geofinder/merchants)
        "claim": gettext("C’est mon commerce ? Mettre à jour"),
        "verified_on": gettext("Informations confirmées par le commerçant le %(date)s"),
        "announcements": gettext("Annonces du commerçant"),
        "announcement_until": gettext("jusqu’au %(date)s"),
        "announcement_promotion": gettext("Promotion"),
        "announcement_event": gettext("Événement"),
        "announcement_news": gettext("Actualité"),
    }
