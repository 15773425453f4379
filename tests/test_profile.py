"""Speaker profiles: each quote's speaker country, with the phrase that gave it (invented sentences)."""
from __future__ import annotations

import logging

import pytest

from pipeline import entities as entity_stage
from pipeline import quotes as quote_stage
from pipeline.records import SETTING_PREFIX
from pipeline.records import ArticleText, EntityResult, QuoteRow
from pipeline.resources import load_resources


@pytest.fixture(scope="module")
def res():
    return load_resources()


def profiled(res, *paragraphs: str, published: str = "") -> list[QuoteRow]:
    art = ArticleText("t", "Title", "", tuple(paragraphs), tuple(0 for _ in paragraphs), ("",), published)
    found = entity_stage.extract_entities(art, catalog=res.catalog)
    quotes = quote_stage.extract_quotes(art, entities=found, lexicon=res.lexicon)
    return quote_stage.profile_speakers(art, quotes, found, lexicon=res.lexicon, catalog=res.catalog)


@pytest.mark.parametrize("paragraph,country,evidence", [
    # nationality adjectives, possessive countries, role phrases
    ("“We will not sign,” said an Australian negotiator, Tom Hale.", "AUS", "Australian negotiator"),
    ("Estonian journalist Mari Kask said: “The border is quiet.”", "EST", "Estonian journalist Mari Kask"),
    ("Brazil's finance minister Paulo Reis told reporters: “No deal.”", "BRA", "Brazil's finance minister"),
    ("“We are ready,” a Chinese official said.", "CHN", "Chinese official"),
    ("“Never,” the Indian Foreign Ministry said in a statement.", "IND", "Indian Foreign Ministry"),
    # a group named by its nationality
    ("“The talks failed,” Russian diplomats said.", "RUS", "Russian diplomats"),
    # an appositive before the name, with a complement after its role word or opened by a possessive
    ("“We wait,” said the Kenyan envoy at the time, Tom Hale.", "KEN", "Kenyan envoy at the time, Tom Hale"),
    ("Ms. Merkel's spokesman, Tom Hale, told reporters: “No comment.”", "DEU", "Merkel's spokesman, Tom Hale"),
    ("The club and Peru's minister of state for sport, Ana Roe, said: “The match will go ahead.”", "PER",
     "Peru's minister of state for sport, Ana Roe"),
    # a possessive country whose name ends like a demonym ("-an"): the country, not a given name
    ("“Both,” said Tom Vale, a presenter on the Vatican's radio service.", "VAT", "Vatican"),
    ("“Wait,” said Ali Rahim, an adviser to Pakistan's foreign minister.", "PAK", "Pakistan"),
    # appositives: organisation, city
    ("“Maybe,” said Ana Lind, a professor at Stockholm University.", "SWE", "Stockholm University"),
    ("“The rent doubled,” said Lea Brun, a shopkeeper in Lyon.", "FRA", "Lyon"),
    # US jurisdiction
    ("“It is over,” said Sen. Mark Dunn (D-Ore.), a member of the committee.", "USA", "(D-Ore.)"),
    ("“We disagree,” said Ben Ortiz, a Republican of Texas.", "USA", "Republican of Texas"),
    ("“Not now,” said Congresswoman Ruth Vale.", "USA", "Congresswoman"),
    ("Riots hit Paris. “They will pay,” said Ned Cole, a veteran Democratic strategist.", "USA",
     "Democratic strategist"),
    # a city and its state or province, as news writes them: the region names the country
    ("“We lost everything,” said Mary Bell, a nurse in Elmvale, Ont., who fled.", "CAN",
     "Mary Bell, a nurse in Elmvale, Ont."),
    ("“The creek rose,” said Tom Vale of Pine Hollow, Ky.", "USA", "Tom Vale of Pine Hollow, Ky."),
    ("“It is dry,” said Joe Bloom, a farmer near Cobb Creek, N.S.W.", "AUS",
     "Joe Bloom, a farmer near Cobb Creek, N.S.W."),
    ("Storms hit Lyon. “We had no power,” said Ana Roe, a baker from Millbrook, Ohio.", "USA",
     "Ana Roe, a baker from Millbrook, Ohio"),
    # a reporting-verb form used as a noun ("a state broadcaster") does not end the appositive
    ("Mira Volk, the editor of a state broadcaster in Oslo, wrote that the plan was “late.”", "NOR",
     "Mira Volk, the editor of a state broadcaster in Oslo"),
    # a hyphenated nationality: the last part is where the speaker lives
    ("“It is good,” said Ana Roe, a Syrian-American doctor.", "USA", "Syrian-American"),
])
def test_country_from_the_text(res, paragraph, country, evidence):
    q = profiled(res, paragraph)[0]
    assert q.speaker_country == country
    assert evidence in q.country_evidence


@pytest.mark.parametrize("paragraph", [
    # what the speaker deals with is not their side
    "“Talks will go on,” said Tom Hale, the ambassador to Peru.",
    "“Trade is up,” said Ana Lind, an expert on Japan.",
    # a country word before a field is the subject taught, not the speaker's side
    "“It was a massacre,” said Ana Lind, an Armenian history professor.",
    # a demonym takes no possessive: "German's cousin" names a cousin of someone called German
    "“It is a show,” said Luis Vega, German's cousin and fellow sailor, in Lyon.",
    # a verb ends the words read before a name
    "The paper in Canberra quoted Tom Hale: “It was late.”",
])
def test_no_country_from_complements_or_clauses(res, paragraph):
    q = profiled(res, paragraph)[0]
    # nothing said of the speaker: only the article's setting (its most-named country) can give a side
    assert q.country_evidence.startswith(SETTING_PREFIX)


@pytest.mark.parametrize("paragraphs,country,evidence", [
    # no word about the speaker: the country the article names most
    (("Floods hit Ohio and Kentucky again this week.", "“The water came fast,” said Tom Hale."),
     "USA", "setting: United States"),
    # where the story happens outweighs what it is about: a city in the lead beats a country named three times
    (("Dock workers in Lyon walked out on Monday.",
      "Talks with Spain stalled; Spain called for calm and Spain's unions joined.", "“We stay out,” said Tom Hale."),
     "FRA", "setting: France"),
    # a tie: the country named first
    (("Kenya and Uganda signed the pact.", "“It is fair,” said Ana Lind."), "KEN", "setting: Kenya (1 mentions)"),
    # the text's own words about the speaker beat the setting
    (("Kenya and Uganda signed the pact in Nairobi.", "“It is fair,” said Ana Lind, a Ugandan lawyer."),
     "UGA", "Ana Lind, a Ugandan"),
])
def test_setting_is_the_last_resort(res, paragraphs, country, evidence):
    q = profiled(res, *paragraphs)[0]
    assert q.speaker_country == country and q.country_evidence.startswith(evidence)


@pytest.mark.parametrize("paragraph,country,evidence", [
    # a think tank's or a firm's people are placed by the branch they work at
    ("“Rates will fall,” said Ana Lind, an economist at Goldman Sachs in Tokyo.", "JPN",
     "Ana Lind, an economist at Goldman Sachs in Tokyo"),
    ("“Talks will drag,” said Ivo Berg, a fellow at the Brookings Institution in Delhi.", "IND",
     "Ivo Berg, a fellow at the Brookings Institution in Delhi"),
    # … an embassy or a broadcaster speaks for its own country wherever it is
    ("“Visas will resume,” said Ivo Berg, a diplomat at the Embassy of Japan in Washington.", "JPN",
     "Ivo Berg, a diplomat at the Embassy of Japan"),
    ("“Crowds are thin,” said Ana Lind, a reporter for the BBC in Moscow.", "GBR", "Ana Lind, a reporter for the BBC"),
])
def test_branch_places_experts_not_officials(res, paragraph, country, evidence):
    q = profiled(res, paragraph)[0]
    assert (q.speaker_country, q.country_evidence) == (country, evidence)


@pytest.mark.parametrize("paragraphs,speaker,country,evidence", [
    # a document that speaks takes its issuer's side: the subject of "released a statement"
    (("Crowds fled the square in Lyon after the blast.", "In Oslo, Norway's prime minister, Jonas Lund, released a "
      "brief statement on Friday condemning the attack.", "“We stand with France,” the statement said."),
     "the statement", "NOR", "Jonas Lund, released a brief statement"),
    # the issuer's side is what the article says of them (a party tag), not a place in their committee's name
    (("Lawmakers returned to the Hague inquiry on Monday.", "Hague Inquiry Chairman Tom Vale (R-Ohio) sent a letter "
      "to the board.", "“The board must answer,” the letter said."), "the letter", "USA", "Tom Vale (R-Ohio) sent a letter"),
    # a verb that does not issue the document names no issuer
    (("Crowds fled the square in Lyon after the blast.", "In Oslo, Norway's prime minister, Jonas Lund, read a "
      "statement on Friday.", "“We stand with France,” the statement said."), "the statement", "FRA", "setting: France"),
])
def test_document_speaks_for_its_issuer(res, paragraphs, speaker, country, evidence):
    q = next(q for q in profiled(res, *paragraphs) if q.speaker == speaker)
    assert (q.speaker_country, q.country_evidence[:len(evidence)]) == (country, evidence)


@pytest.mark.parametrize("paragraphs,speaker,country,evidence", [
    # places spread over many countries: no setting, and no stated speaker to go by
    (("Passengers came from Kenya, Peru, Japan, Canada and Norway.", "“She loved maps,” said a friend, Ana Lind."),
     "Ana Lind", "", ""),
    # a story set abroad whose stated voices are all from one other country: an unplaced voice is one of them
    (("Fighting flared near Kandahar and Herat on Sunday, and Kabul closed its airport.",
      "“We are watching closely,” said Sen. Tom Hale (D-Ore.).",
      "“The mission is not over,” said Rep. Ann Poe (R-Ohio).",
      "“Both sides misread the terrain,” said Luis Vega, an analyst."),
     "Luis Vega", "USA", "setting: United States (2 of 2 speakers)"),
    # one stated voice from the place keeps the place
    (("Fighting flared near Kandahar and Herat on Sunday, and Kabul closed its airport.",
      "“We are watching closely,” said Sen. Tom Hale (D-Ore.).",
      "“The mission is not over,” said Rep. Ann Poe (R-Ohio).",
      "“We will hold the city,” said an Afghan commander, Ali Noor.",
      "“Both sides misread the terrain,” said Luis Vega, an analyst."),
     "Luis Vega", "AFG", "setting: Afghanistan"),
])
def test_setting_from_places_and_other_speakers(res, paragraphs, speaker, country, evidence):
    q = next(q for q in profiled(res, *paragraphs) if q.speaker == speaker)
    assert (q.speaker_country, q.country_evidence[:len(evidence)]) == (country, evidence)


@pytest.mark.parametrize("paragraph, speaker, category", [
    # federal agencies named "<field> Canada" are government bodies; the Crown prosecutes
    ("“The data are under review,” Health Canada said in a statement.", "Health Canada", "official"),
    ("“The sentence is too light,” the Crown argued.", "the Crown", "official"),
    # a party's name or abbreviation before a title makes a politician ("NDP Leader", "Tory MP")
    ("“We will vote against it,” NDP Leader Ana Brook said.", "Ana Brook", "politician"),
    # a resident described by where they live
    ("“We never sleep,” said Ina Moss, who lives near the pier.", "Ina Moss", "public"),
    # a police force named with the speaker decides over a rank police and armies share
    ("Staff Sgt. Paul Ward of the Lakeside police said officers “did what they could.”", "Paul Ward", "official"),
    ("“The road will stay closed,” RCMP Sgt. Tom Vale said.", "Tom Vale", "official"),
    ("“We held the line,” said Sgt. Ann Roe, an army medic.", "Ann Roe", "military"),
    # a title opened by an organisation word is no organisation ("Police Chief …")
    ("Police Chief Dan Moss of the Lakeside force said officers “did what they could.”", "Dan Moss", "official"),
])
def test_regional_speaker_categories(res, paragraph, speaker, category):
    rows = {q.speaker: q.speaker_category for q in profiled(res, paragraph) if q.kind == "direct"}
    assert rows[speaker] == category


def test_a_city_with_its_province_sets_the_article(res):
    """A town the place catalog lacks, written with its province ("Millbay, N.B."), places the story."""
    rows = profiled(res, "A man from Millbay, N.B., was charged on Sunday.",
                    "“We ask anyone with information to call us,” Sgt. Ivo Brandt said.")
    assert [(q.speaker, q.speaker_country) for q in rows if q.kind == "direct"] == [("Ivo Brandt", "CAN")]


def test_no_setting_without_a_country_in_the_article(res):
    q = profiled(res, "“The water came fast,” said Tom Hale.")[0]
    assert (q.speaker_country, q.country_evidence) == ("", "")


@pytest.mark.parametrize("paragraph,description,category", [
    # a conjunction opening the sentence is no part of the description; a ministry is official
    ("But union chief Tom Vale said the offer was “an insult.”", "union chief Tom Vale", "civil society"),
    ("In a statement, the labour ministry said the law was “clear.”", "the labour ministry", "official"),
    # a country as a speaker is its government; its people are the public
    ("“The sale will damage ties,” China said.", "China", "official"),
    ("“We are tired of waiting,” Germans told pollsters.", "", "public"),
    # an unnamed organisation's kind decides over the role ("strategist" alone is a politician's)
    ("“Markets are jittery,” said Tom Lee, a strategist in Perth at a bank.", "Tom Lee, a strategist in Perth at a bank",
     "business"),
    ("“Prices are falling,” said Ann Roe, a spokeswoman for a Lyon brokerage.",
     "Ann Roe, a spokeswoman for a Lyon brokerage", "business"),
    ("“It is over,” said Sen. Mark Dunn, a member of the committee.", "Sen. Mark Dunn, a member of the committee",
     "politician"),
    ("“We will win,” said Ben Ortiz, a Republican strategist.", "Ben Ortiz, a Republican strategist", "politician"),
    ("“Rates will rise,” said Ana Lind, an economist at a bank in Oslo.",
     "Ana Lind, an economist at a bank in Oslo", "academic and think tank"),
    ("Retired admiral Tom Hale said: “The fleet is old.”", "Retired admiral Tom Hale", "military"),
    ("“The rent doubled,” said Lea Brun, a shopkeeper in Lyon.", "Lea Brun, a shopkeeper in Lyon", "public"),
    ("“We are ready,” a senior defence official said.", "a senior defence official", "official"),
    ("“Prices fell,” said Nia Okafor, 41, outside the market.", "Nia Okafor, 41", "public"),
    ("“He will sign,” said Omar Haddad, an adviser to the governor.", "Omar Haddad, an adviser to the governor",
     "official"),
    # provincial legislators, councillors, police ranks and public-health officers (the title is no name)
    ("“The budget is fair,” Liberal MLA Tom Lind said.", "Liberal MLA Tom Lind", "politician"),
    ("“The road is unsafe,” said Coun. Ann Poe.", "Coun. Ann Poe", "politician"),
    ("“Stay off the ice,” said Const. Mia Wong.", "Const. Mia Wong", "official"),
    ("“Cases are rising,” said Dr. Ivo Lenz, the chief medical officer of health.",
     "Dr. Ivo Lenz, the chief medical officer of health", "official"),
    # a copular relative clause is an appositive; a coordinated name shares the pre-modifiers
    ("“It will fail,” said Ana Lind, who was a senator until May.", "Ana Lind, who was a senator until May",
     "politician"),
    ("Delegates Tom Hale and Ana Lind left early. “We are done,” Ms. Lind said.",
     "Delegates Tom Hale and Ana Lind", "politician"),
    # a role word the name opens with; a catalogued organisation's kind
    ("“Prices rose,” said Comedian Ana Lind.", "Comedian Ana Lind", "media"),
    ("“The meeting was cancelled,” Xinhua reported.", "Xinhua News Agency, media", "media"),
    # a plural finds its singular
    ("“We will vote no,” said Ana Lind, one of the delegates.", "Ana Lind, one of the delegates",
     "politician"),
    # another person's name ends a description: nothing here describes Tom Hale
    ("Critics, led by former governor Ana Lind among Tom Hale's allies, were silent. “No,” said Tom Hale.",
     "", "unknown"),
    # a home town or an age, and nothing else, describes a private person; a title before the name decides
    ("“The creek rose,” said Tom Vale of Pine Hollow, Ky.", "Tom Vale of Pine Hollow, Ky.", "public"),
    ("“It is dry,” said Ana Roe, who lives in Lyon.", "Ana Roe, who lives in Lyon", "public"),
    ("“It will pass,” said Gov. Ana Lind of Ohio.", "Gov. Ana Lind of Ohio", "official"),
    ("“Cases are rising,” said Dr. Ivo Lenz, the country's chief public health officer.",
     "Dr. Ivo Lenz, the country's chief public health officer", "official"),
    ("“Margins held,” said Tom Hale, the chief financial officer.", "Tom Hale, the chief financial officer",
     "business"),
    # a person named as a modifier does not end the description ("a Lind campaign volunteer"), and the words
    # before a name that follows a preposition describe someone else ("an aide to Lind")
    ("Ana Lind spoke. “We will win,” said Kai Moss, a Lind campaign volunteer.", "Kai Moss, a Lind campaign volunteer",
     "politician"),
    # a name alone says nothing
    ("“It is late,” said Tom Hale.", "", "unknown"),
    # the organisation a role is held at decides before the role: a union's or a company's president
    ("“We need more nurses,” said Ana Lind, president of the Harbour Federation of Nurses.",
     "Ana Lind, president of the Harbour Federation of Nurses", "civil society"),
    ("“Sales are up,” said Tom Hale, a spokesman for Acme Bank.", "Tom Hale, a spokesman for Acme Bank", "business"),
    # a catalogued organisation is what the catalog says, whatever words its name holds
    ("“Rates will hold,” the Bank of England said.", "Bank of England, government", "official"),
    # a document takes the category of the body it comes from
    ("According to a news release from the Harbour Police Service, officers were called twice.",
     "a news release from the Harbour Police Service", "official"),
    # an organisation the text names: the words of its name, not those around it
    ("According to the Ministry of Harbour Affairs, fees will double next year.", "Ministry of Harbour Affairs",
     "official"),
    ("“We disagree,” the Harbour Nurses Union said in a statement.", "Harbour Nurses Union", "civil society"),
    # a body named by itself: the words of its name
    ("“Talks went well,” the Kremlin said.", "Kremlin", "official"),
    # the appositive's head noun: a student of a university is the public
    ("“The bus is always late,” said Omar Lind, a Lakeside University student.",
     "Omar Lind, a Lakeside University student", "public"),
    # … not a place, nor the members an organisation is named after
    ("“It will pass,” said Sen. Ana Lind of Oregon, the party's leader.",
     "Sen. Ana Lind of Oregon, the party's leader", "politician"),
    # an irregular past tense ends the words after "of <place>": the rest is the sentence's
    ("Sen. Ana Lind of Oregon met the growers on Monday. “Prices must rise,” she said.", "Sen. Ana Lind of Oregon",
     "politician"),
    # the titles after a preposition describe its object, the words before it do not
    ("Ivo Lind met the press with Danish Trade Minister Ana Berg. “Quotas stay,” Berg said.",
     "Danish Trade Minister Ana Berg", "official"),
    # a catalogued organisation the speaker is "of" or "at" gives its kind
    ("Ana Lind of the Brookings Institution said the pact was “overdue.”",
     "Ana Lind of the Brookings Institution", "academic and think tank"),
    # a kind of person set before the name, opening the sentence or a clause
    ("A shopkeeper near the square, Ramesh Kumar, said “nobody told us.”", "A shopkeeper near the square, Ramesh Kumar",
     "public"),
    ("Crowds gathered, and a farmer from the valley, Ivo Berg, said the road “was shut for hours.”",
     "a farmer from the valley, Ivo Berg", "public"),
    # … not a place's appositive before the sentence's subject
    ("In Lakeside, a hotbed of union activism, Ana Lind said “we did it.”", "", "unknown"),
    # what the person owns or runs is a role
    ("“We're caught in the middle,” said Ana Kelly, who owns a bakery in the town.",
     "Ana Kelly, who owns a bakery in the town", "business"),
    # seats of government speak for it
    ("“The talks go on,” Downing Street said.", "Downing Street", "official"),
    # a word opening a clause ends the words before the name
    ("Talks in the harbour town where Trade Minister Ana Berg grew up went on. “Quotas stay,” Berg said.",
     "Trade Minister Ana Berg", "official"),
    # a dateline's outlet is no employer of a spokesperson
    ("OSLO (Reuters) - Talks will go on, Palace spokesman Ivo Lind told reporters.",
     "Palace spokesman Ivo Lind", "official"),
    # interest groups are civil society; "Group" in a firm's name stays business
    ("“The dam must go,” said Ana Lind of Clear Water, an environmental group.",
     "Ana Lind of Clear Water, an environmental group", "civil society"),
    ("“Risk is rising,” said Tom Hale of the Harbour Group, a consulting firm.",
     "Tom Hale of the Harbour Group, a consulting firm", "business"),
    ("“Fees are too high,” said Tom Hale, president of Students for Fair Fees.",
     "Tom Hale, president of Students for Fair Fees", "official"),
])
def test_description_and_category(res, paragraph, description, category):
    q = profiled(res, paragraph)[0]
    assert (q.speaker_description, q.speaker_category) == (description, category)


def test_words_before_a_name_after_a_preposition_describe_another(res):
    quotes = profiled(res, "“Go,” said Tom Hale, a lawyer for Ana Lind. “No,” Ana Lind said.")
    assert [(q.speaker, q.speaker_category) for q in quotes] == [("Tom Hale", "business"), ("Ana Lind", "unknown")]


def test_description_carries_to_later_quotes(res):
    quotes = profiled(res, "Lea Brun, a professor at the city college, has taught there for years.",
                      "“We are tired,” Ms. Brun said.")
    assert (quotes[0].speaker_description, quotes[0].speaker_category) == (
        "Lea Brun, a professor at the city college", "academic and think tank")


def test_carry_over_to_later_mentions(res):
    quotes = profiled(res, "Kenyan farmer Joseph Otieno grows tea.", "“Rain came late,” Mr. Otieno said.",
                      "“We wait,” Otieno added.")
    assert [q.speaker_country for q in quotes] == ["KEN", "KEN"]


def test_catalog_people_keep_their_country(res):
    q = profiled(res, "“We stand firm,” Chinese President Xi Jinping said in Washington.")[0]
    assert (q.speaker_entity_id, q.speaker_country) == ("person:xi-jinping", "CHN")


def test_a_country_speaker_is_not_found_by_its_last_word(res):
    """"North Korea" has no surname: "South Korea" later is not one of its mentions."""
    q = profiled(res, "The plan drew scorn from North Korea. In a commentary, North Korea accused Seoul of “dancing "
                      "to a foreign tune.” Unions in South Korea were calm.")[0]
    assert q.speaker == "North Korea" and "South Korea" not in q.speaker_description


def test_international_organisation_gives_no_country(res):
    q = profiled(res, "“Aid must flow,” said Ana Lind, a United Nations official.")[0]
    assert q.speaker_country == ""
    assert "United Nations" in q.country_evidence


def test_media_speaker_takes_its_country(res):
    q = profiled(res, "“The meeting was cancelled,” Xinhua reported.")[0]
    assert q.speaker_country == "CHN"


def test_failure_is_logged_and_leaves_fields_empty(res, caplog):
    art = ArticleText("bad-1", "T", "", ("x",), (0,), ("",))
    q = QuoteRow("bad-1", 0, "bad-1:q1", "Tom Hale", "", "said", "", "direct", "x", 0, 1, "GBR", "old")
    with caplog.at_level(logging.ERROR, logger="dyad.quotes"):
        out = quote_stage.profile_speakers(art, [q], EntityResult(mentions=None), lexicon=res.lexicon,
                                           catalog=res.catalog)
    assert (out[0].speaker_country, out[0].country_evidence) == ("", "")
    assert "bad-1" in caplog.text


@pytest.mark.parametrize("paragraphs, speaker, country", [
    # a place opening the sentence right before the name
    (("In London, Owen Hale, a columnist, walked off a television set on Monday.",
      "“It was both an attack and a hate crime,” Mr. Hale said."), "Owen Hale", "GBR"),
    # … also before the name's titles
    (("In Tokyo, Chief Cabinet Secretary Ken Mori spoke on Friday.", "“The talks will go on,” Mori said."),
     "Ken Mori", "JPN"),
    # the appositive after an age
    (("Jimmy Farah, 39, a Lebanese engineer visiting Nice, said he heard shots.",
      "“A big truck came through the crowd,” Farah said."), "Jimmy Farah", "LBN"),
    # "adviser to Mr. X": X's country, past the honorific
    (("“They tried to deceive us at every turn,” said Yaakov Amit, a former adviser to Mr. Netanyahu.",),
     "Yaakov Amit", "ISR"),
    # a role phrase takes the side of the last phrase with its head noun that names a country
    (("Norway's fisheries ministry rejected the report on Sunday.", "The talks in Bergen were tense.",
      "“Any attempt to close the port will fail,” the ministry warned on Sunday."), "the ministry", "NOR"),
    # first-level regions of countries (data/entities/places_extra.csv)
    (("“No,” said Doug Fern, the premier of Ontario.",), "Doug Fern", "CAN"),
    (("“We will build it,” said Uwe Brandt, the interior minister of North Rhine-Westphalia.",), "Uwe Brandt", "DEU"),
    (("“Yes,” said Tom Lind, a fisherman in New England.",), "Tom Lind", "USA"),
    # an appositive on the speaker's organisation, and a relative clause naming what the speaker heads
    (("“Rates will rise,” said Jane Roe of Acme Capital, a Swiss investment bank.",), "Jane Roe", "CHE"),
    (("“No change this year,” said Ann Poe, who heads Brazil's central bank.",), "Ann Poe", "BRA"),
    (("“We lost everything,” said Omar Haddad, who works at a bakery in Lyon.",), "Omar Haddad", "FRA"),
    # "X's spokesman": the side of the person it speaks for, over the setting
    (("The harbour strike entered a second week in Lisbon and Porto, and Portugal braced for more.",
      "Vladimir Putin met officials on Friday.", "“The talks were useful,” Putin’s spokesman said."),
     "Vladimir Putin’s spokesman", "RUS"),
    # a role phrase with no country of its own, after a quote of a phrase with the same head noun that had one
    (("Lisbon was quiet on Monday.", "Norwegian fisheries minister Ivo Lind criticised the port plan.",
      "Lind will meet the unions, Lind’s spokesman said.", "Talks went on in Oslo and Bergen.",
      "Portugal waited.", "Porto waited too.", "Lisbon and Porto kept waiting.",
      "“The minister has been very clear,” the spokesman said."), "the spokesman", "NOR"),
    # a delayed identification: the lead describes, the next paragraph names
    (("OSLO — The Romanian skipper who sank a ferry in a fjord was jailed for two years on Thursday.",
      "Ion Vasile Dragan, 44, pleaded guilty in May.", "“I regret it every day,” Dragan said."),
     "Ion Vasile Dragan", "ROU"),
    # ... also a role a place owns ("Ontario's health minister"), but not a thing it owns
    (("HALIFAX — Quebec’s health minister says clinics will open on Sundays.",
      "Lise Cote told reporters on Tuesday that doctors had agreed.", "“It is done,” Cote said."),
     "Lise Cote", "CAN"),
    # an ambassador's posting is no side: the country before the title is
    (("NAIROBI — Kenya and Peru met. Kenya and Nairobi waited.",
      "Peruvian Ambassador to Kenya Ana Quispe said on Monday that the pact “helps both.”"), "Ana Quispe", "PER"),
    # a country a speaker is a critic of is no side of theirs
    (("OSLO — Norway and Denmark met. Oslo and Bergen waited. Norway said little.",
      "Tory MP Ian Hale, a long-standing critic of Denmark, called the pact “a sellout.”"), "Ian Hale", "NOR"),
    # a seat of government that speaks is its country's voice, and its unnamed spokesperson too
    (("TEHRAN — Iran and Iraq met. Iran said little. Tehran and Basra waited.",
      "“It is a good start,” the White House said."), "White House", "USA"),
    (("TEHRAN — Iran and Iraq met. Iran said little. Tehran and Basra waited.",
      "The White House welcomed the talks. “We will watch closely,” a spokeswoman, Ana Lind, said."),
     "Ana Lind", "USA"),
    # a spokesperson of "the ministry" a country's possessive named earlier in the paragraph speaks for it
    (("OSLO — Norway's fisheries minister warned Denmark on Monday against “quota grabs.” Oslo and Bergen agreed.",
      "Denmark's farm ministry said the quotas were fair. A ministry spokeswoman, Ida Holm, told reporters: "
      "“We follow the treaty.”"), "Ida Holm", "DNK"),
    # a person's name modifying a group or a role the speaker is: that person's side (not "a Putin critic")
    (("Crowds filled Lyon and Lille. France waited. Paris waited too.",
      "“We are watching closely,” a senior Putin administration official said."),
     "a senior Putin administration official", "RUS"),
    (("Crowds filled Lyon and Lille. France waited. Paris waited too.",
      "“He is wrong,” a Putin critic said."), "a Putin critic", "FRA"),
    # "Nassau County", "Long Island": no Bahamas, no Iceland
    (("“I know him and I trust him,” said Iman Cole, 30, a Nassau County clerk on Long Island.",),
     "Iman Cole", ""),
])
def test_speaker_side_from_text(res, paragraphs, speaker, country):
    sides = {q.speaker: q.speaker_country for q in profiled(res, *paragraphs) if q.kind == "direct"}
    assert sides[speaker] == country


@pytest.mark.parametrize("lead, category", [
    ("HALIFAX — Quebec’s health minister says clinics will open on Sundays.", "official"),
    ("OSLO — The Romanian ambassador who left in May returned on Thursday.", "diplomat"),
    ("HALIFAX — Quebec’s clinics will open on Sundays, the province says.", "unknown"),
])
def test_a_delayed_identification_describes_the_person_named_next(res, lead, category):
    rows = profiled(res, lead, "Lise Cote told reporters on Tuesday that doctors had agreed.", "“It is done,” Cote said.")
    assert [q.speaker_category for q in rows if q.kind == "direct"] == [category]


def test_a_spokesperson_with_no_employer_speaks_for_the_organisation_of_the_paragraph(res):
    rows = profiled(res, "LYON — Thousands marched in Lyon on Sunday.",
                    "Acme Corp. opened a new plant. “It is a good day,” a company spokesman said.",
                    "The council will cut fees. “It is fair,” a spokesman said.")
    got = {q.speaker: (q.speaker_country, q.speaker_category) for q in rows if q.kind == "direct"}
    assert got["a company spokesman"][1] == "business"
    # an indefinite phrase is someone new: it takes no side an earlier "spokesman" had
    assert got["a spokesman"] == ("FRA", "official")
    # a spokesperson with an owner speaks for the owner, not for the organisation named before
    owned = profiled(res, "Acme Corp. praised the ministry. “The fee is fair,” the ministry’s spokesman, Tom Vale, said.")
    assert [(q.speaker, q.speaker_category) for q in owned if q.kind == "direct"] == [("Tom Vale", "official")]
