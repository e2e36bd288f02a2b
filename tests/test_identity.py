from hypothesis import given
from hypothesis import strategies as st

from planner.identity import Identities, display_name, name_key, slug


def test_titles_case_accents_and_punctuation_do_not_matter():
    assert name_key("Prof. Ole Helby Petersen") == name_key("ole helby petersen") == "ole helby petersen"
    assert name_key("Dr. Eleanor Carter") == name_key("Eleanor Carter")
    assert name_key("Professor Philip McCann") == name_key("Philip McCann")
    assert name_key("Danny Kruger MP") == name_key("Danny Kruger")
    assert name_key("Raffaella De Felice") == name_key("raffaella de felice")
    assert name_key("Tomás Bokström") == name_key("Tomas Bokstrom")
    assert name_key("Jacqui O’Hanlon") == name_key("Jacqui O'Hanlon")


def test_different_spellings_need_an_alias():
    assert name_key("Michael People") != name_key("Michael Peoples")
    assert name_key("Rafaella de Felice") != name_key("Raffaella De Felice")
    assert name_key("Ole Petersen") != name_key("Ole Helby Petersen")


def test_a_name_that_is_only_a_title_is_kept():
    assert name_key("Dr") == "dr"


def test_identities_resolve_ids_names_and_aliases():
    identities = Identities()
    identities.add("michael-peoples", ["Michael Peoples", "Michael People"])
    assert identities.resolve("michael people") == "michael-peoples"
    assert identities.resolve("Mr Michael Peoples") == "michael-peoples"
    assert identities.resolve("Michaela Peoples") is None


def test_identities_refuse_one_spelling_for_two_people():
    identities = Identities()
    identities.add("a", ["Sam Lee"])
    identities.add("b", ["Dr Sam Lee"])
    assert identities.conflicts == [("Dr Sam Lee", "a", "b")]
    assert identities.resolve("Sam Lee") == "a"


def test_display_name_and_slug():
    assert display_name("Prof. Ole Petersen MP") == "Ole Petersen"
    assert display_name("Dr Felix-Anselm van Lier") == "Felix-Anselm van Lier"
    assert slug("Dr Felix-Anselm van Lier") == "felix-anselm-van-lier"
    assert slug("../../etc") == "etc"


names = st.lists(
    st.sampled_from(["Ana", "Bo", "Li", "Ruiz", "Nguyen", "O'Neil", "José", "van", "Dam"]), min_size=1, max_size=4
).map(" ".join)


@given(names, st.sampled_from(["Dr", "Dr.", "Prof", "Professor", "Ms"]))
def test_a_leading_title_never_changes_the_key(name, title):
    assert name_key(f"{title} {name}") == name_key(name)


@given(st.text(max_size=60))
def test_name_key_is_idempotent_and_slug_is_file_safe(text):
    assert name_key(name_key(text)) == name_key(text)
    assert "/" not in slug(text) and ".." not in slug(text)
