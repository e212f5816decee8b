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
        # Distances said truthfully (main.js, NEAR_M): "près de" only when every place is near.
        # %(where)s comes with its preposition in French: "de Labège", "d’Albi", "du Havre"
        # (format.js, ofPlace); in English, the name alone ("Labège", "you").
        "result_one": gettext("1 résultat près %(where)s."),
        "results_count": gettext("%(count)s résultats près %(where)s."),
        "result_one_at": gettext("1 résultat, à %(distance)s %(where)s."),
        "results_range": gettext("%(count)s résultats, de %(from)s à %(to)s %(where)s."),
        "no_results": gettext("Aucun résultat près %(where)s."),
        # The same inside an embed's territory: %(in)s is "en Haute-Garonne", "dans le Rhône".
        "result_one_in": gettext("1 résultat %(in)s, près %(where)s."),
        "results_count_in": gettext("%(count)s résultats %(in)s, près %(where)s."),
        "result_one_at_in": gettext("1 résultat %(in)s, à %(distance)s %(where)s."),
        "results_range_in": gettext("%(count)s résultats %(in)s, de %(from)s à %(to)s %(where)s."),
        "no_results_in": gettext("Aucun résultat %(in)s près %(where)s."),
        "of_you": gettext("de vous"),
        "of_map_centre": gettext("du centre de la carte"),
        "map_area": gettext("Zone de la carte"),
        "results_area": gettext("%(count)s résultats dans cette zone, les plus proches de son centre d’abord."),
        "result_one_area": gettext("1 résultat dans cette zone."),
        "no_results_area": gettext("Aucun résultat dans cette zone : élargissez-la en dézoomant."),
        # why a list is empty or thin (main.js, explain)
        "category_empty": gettext("%(label)s (aucun lieu référencé)"),
        "none_with_hours": gettext(
            "Aucun des %(count)s lieux les plus proches n’a d’horaires connus : impossible de dire s’ils sont ouverts."
        ),
        "some_without_hours": gettext("%(count)s autres lieux proches n’ont pas d’horaires connus."),
        "none_open_now": gettext("Aucun des %(count)s lieux les plus proches n’est ouvert maintenant."),
        "show_without_open": gettext("Les afficher sans le filtre « Ouvert maintenant »"),
        "none_within_filters": gettext(
            "Aucun résultat avec ces filtres ; sans eux, le plus proche est à %(distance)s %(where)s."
        ),
        "remove_filters": gettext("Retirer le rayon, le territoire et les services"),
        "no_category_here": gettext("Aucun lieu de la catégorie « %(category)s » n’est référencé dans ce secteur."),
        "no_category_in_area": gettext("Aucun lieu de la catégorie « %(category)s » n’est référencé dans cette zone."),
        "no_name_here": gettext("Aucun commerce nommé « %(name)s » n’est référencé."),
        "nothing_here": gettext("Aucun lieu ne correspond à cette recherche."),
        # errors of the API, said in the page's language (main.js, FIELD_ERRORS)
        "error_where": gettext("Lieu « %(value)s » non reconnu : indiquez une commune, un code postal ou une adresse."),
        "error_what": gettext("Recherche non comprise : indiquez une catégorie ou le nom d’un commerce."),
        "error_category": gettext("Catégorie inconnue."),
        "error_radius": gettext("Rayon incorrect."),
        "error_open": gettext("Date ou heure d’ouverture incorrecte."),
        "error_territory": gettext("Territoire inconnu."),
        "error_services": gettext("Service inconnu."),
        "error_bbox": gettext("Zone de la carte incorrecte."),
        "error_after": gettext("Page suivante introuvable : relancez la recherche."),
        "error_busy": gettext("Le service est très sollicité : réessayez dans quelques secondes."),
        "error_other": gettext("Paramètres de recherche incorrects."),
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
        "artisan": gettext("Artisan, inscrit au répertoire des métiers"),
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
