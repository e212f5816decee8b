"""geofinder.imports.commune_history: INSEE's movements of communes walked forward, on small
histories written as INSEE writes them (one row per commune before → commune after)."""

from geofinder.imports.commune_history import CommuneHistory, Movement


def move(mod, day, before, after, type_before="COM", type_after="COM"):
    return Movement(
        mod=mod, date=day, type_before=type_before, code_before=before, name_before=before,
        type_after=type_after, code_after=after, name_after=after,
    )


def merger(day, chef_lieu, *others):
    """A commune nouvelle keeping the chef-lieu's code, its communes becoming déléguées."""
    rows = []
    for code in (chef_lieu, *others):
        rows += [move("32", day, code, chef_lieu), move("32", day, code, code, type_after="COMD")]
    return rows


def restoration(day, nouvelle, *restored):
    """Communes restored from a commune nouvelle, which goes on with its code."""
    return [move("21", day, nouvelle, code) for code in (nouvelle, *restored)]


def test_a_commune_merged_since_2018_descends_to_the_commune_nouvelle():
    # Évry (91228) and Courcouronnes (91182) → Évry-Courcouronnes (91228), 2019.
    history = CommuneHistory(merger("2019-01-01", "91228", "91182"), current={"91228"}, parents={"91182": "91228"})
    assert history.descendants("91182", "2018-01-01") == {"91228"}
    assert history.descendants("91228", "2018-01-01") == {"91228"}
    assert history.successor("91182") == {"91228"}


def test_a_renaming_changes_nothing_of_the_territory():
    history = CommuneHistory([move("10", "2018-11-08", "93070", "93070")], current={"93070"}, parents={})
    assert history.descendants("93070", "2018-01-01") == {"93070"}
    assert history.successor("93070") == {"93070"}


def test_a_commune_nouvelle_split_again_covers_every_commune_restored_from_it():
    # Essarts-en-Bocage (85084), made of Les Essarts, L'Oie (85165) and Sainte-Florence (85212)
    # in 2016, lost L'Oie and Sainte-Florence in 2019: its 2018 polygon covers all three.
    rows = merger("2016-01-01", "85084", "85165", "85212") + restoration("2019-01-01", "85084", "85165", "85212")
    history = CommuneHistory(rows, current={"85084", "85165", "85212"}, parents={})
    assert history.descendants("85084", "2018-01-01") == {"85084", "85165", "85212"}
    # Each code of today continues itself.
    assert history.successor("85165") == {"85165"}


def test_a_commune_alone_in_2018_merged_then_restored_gets_its_own_territory_back():
    rows = merger("2019-01-01", "10001", "10002") + restoration("2021-01-01", "10001", "10002")
    history = CommuneHistory(rows, current={"10001", "10002"}, parents={})
    assert history.descendants("10002", "2018-01-01") == {"10002"}
    assert history.descendants("10001", "2018-01-01") == {"10001"}


def test_mergers_in_a_row_are_followed_to_today():
    rows = merger("2019-01-01", "20001", "20002") + merger("2022-01-01", "20003", "20001")
    history = CommuneHistory(rows, current={"20003"}, parents={})
    assert history.descendants("20002", "2018-01-01") == {"20003"}
    assert history.successor("20002") == {"20003"}


def test_a_code_split_between_several_communes_has_no_single_successor():
    # A commune that ceased to exist, its territory shared between two communes.
    rows = [move("33", "2020-01-01", "30001", "30002"), move("33", "2020-01-01", "30001", "30003")]
    history = CommuneHistory(rows, current={"30002", "30003"}, parents={})
    assert history.successor("30001") == {"30002", "30003"}
    assert history.descendants("30001", "2018-01-01") == {"30002", "30003"}


def test_a_commune_deleguee_or_arrondissement_is_in_the_commune_insee_names():
    history = CommuneHistory([], current={"75056"}, parents={"75111": "75056"})
    assert history.successor("75111") == {"75056"}
    assert history.descendants("75111", "2018-01-01") == {"75056"}


def test_an_unknown_code_has_no_descendant():
    history = CommuneHistory([], current={"31254"}, parents={})
    assert history.descendants("99999", "2018-01-01") == set()
    assert history.successor("99999") == set()
