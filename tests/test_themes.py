from planner.domain import Theme
from planner.themes import bundled_taxonomy, keyword_hits, suggest_themes

HEALTH = Theme(id="health", label="Health", keywords=("health", "NHS"))
FINANCE = Theme(id="finance", label="Impact bonds", keywords=("impact bond*", "SIB*", "outcomes-based"))


def test_wildcards_spaces_and_hyphens():
    assert keyword_hits(FINANCE, "Two impact bonds and an impact-bond fund") == 2
    assert keyword_hits(FINANCE, "outcomes based contracting") == 1


def test_acronyms_match_case_sensitively():
    assert keyword_hits(FINANCE, "SIBs in Europe") == 1
    assert keyword_hits(FINANCE, "a sibling rivalry") == 0
    assert keyword_hits(HEALTH, "the NHS") == 1 and keyword_hits(HEALTH, "nhs") == 0


def test_whole_words_only():
    assert keyword_hits(HEALTH, "healthcare") == 0
    assert keyword_hits(HEALTH, "Health, wealth") == 1


def test_suggestions_rank_by_hits_and_stop_at_the_limit():
    assert suggest_themes("NHS health and an impact bond", (FINANCE, HEALTH)) == ("health", "finance")
    assert suggest_themes("nothing relevant", (FINANCE, HEALTH)) == ()
    assert len(suggest_themes("health", (HEALTH,) * 5, limit=3)) == 3


def test_bundled_taxonomy_has_the_fields_themes():
    taxonomy = bundled_taxonomy()
    ids = [t.id for t in taxonomy]
    assert 12 <= len(ids) <= 20 and len(set(ids)) == len(ids)
    for expected in (
        "procurement",
        "relational_contracting",
        "outcomes_finance",
        "levelling_up",
        "fragile_settings",
        "data_measurement",
        "health",
        "education",
        "climate",
        "inclusion",
        "public_sector_reform",
        "collaborative_governance",
        "investment",
    ):
        assert expected in ids
    assert all(t.keywords for t in taxonomy)
    assert suggest_themes("Procuring outcomes: still knotty?", taxonomy)[0] == "procurement"
