"""Who said a direct quote: one row per class of attribution the quote stage resolves (invented sentences).

Each row runs the entity stage and the quote stage on a small invented article and checks the speaker
of the direct quote holding ``fragment``.
"""
from __future__ import annotations

import pytest

from pipeline import entities as entity_stage
from pipeline import quotes as quote_stage
from pipeline.records import ArticleText
from pipeline.resources import load_resources


@pytest.fixture(scope="module")
def res():
    return load_resources()


def quotes_of(res, paragraphs) -> list:
    """The quote stage's rows for an invented article of ``paragraphs`` (after the entity stage)."""
    paragraphs = tuple(paragraphs)
    art = ArticleText("t", "Title", "", paragraphs, tuple(0 for _ in paragraphs), ("",))
    found = entity_stage.extract_entities(art, catalog=res.catalog)
    return quote_stage.extract_quotes(art, entities=found, lexicon=res.lexicon)


def speaker_of(res, paragraphs: tuple[str, ...], fragment: str) -> str:
    rows = quotes_of(res, paragraphs)
    hits = [r for r in rows if r.kind == "direct" and fragment in r.text]
    assert hits, f"no direct quote holding {fragment!r}: {[r.text for r in rows]}"
    return hits[0].speaker


CASES = [
    # a role phrase as a sentence's subject stands for the one person the article titled so
    (("Captain Jo Hale took the ferry out in May.", "Asked about the storm, the captain laughed.",
      "“The sea was kind to us,” he said."), "sea was kind", "Jo Hale"),
    # a coordinated verb inside an opening clause: the subject before the coordination's first verb
    (("When the harbour master later spoke of the storm and said she would “rebuild every pier,” the crowd cheered.",),
     "rebuild every pier", "the harbour master"),
    # a pronoun's antecedent is the subject of the main clause, not a name inside an opening clause
    (("Mayor Ana Roe spoke for an hour.", "Asked whether she feared that Mia Hale, the council leader, could block "
      "the plan, Roe smiled.", "“The plan will pass,” she said."), "plan will pass", "Ana Roe"),
    # "X quoted Y as saying": Y speaks, X relays
    (("The Harbour Post quoted Ivan Petrov, a senior official, as saying: “The deal is dead.”",), "deal is dead",
     "Ivan Petrov"),
    (("Xinhua quoted Ivan Petrov as saying that ties were “at their best in history.”",), "best in history",
     "Ivan Petrov"),
    # a straight mark closing a quote opened with a curly one: the attribution after it is read
    (("“We are not done yet,\" said Jane Roe, a harbour pilot. \"The ice will break soon.”",),
     "not done yet", "Jane Roe"),
    # a time or place phrase after the verb is no inverted subject: the name before the verb is
    (("“We will look at the figures again,” Ivan Petrov, the city's treasurer, said on Tuesday.",),
     "figures again", "Ivan Petrov"),
    (("“Nobody asked us,” Marta Lind, a ferry captain, said of the new timetable.",),
     "Nobody asked us", "Marta Lind"),
    # an adverbial phrase before a role-phrase subject is not walked back to
    (("Sooner or later, the harbour master told reporters, “the ice will break and the boats will sail.”",),
     "boats will sail", "the harbour master"),
    # an inverted subject opened by "one" / "another"
    (("“The vote was rushed and nobody read the plan,” said one council member.",),
     "vote was rushed", "one council member"),
    # an inverted role phrase with the name in apposition
    (("“We never agreed to any of it,” said the union's chief negotiator, Ivan Petrov, on Monday.",),
     "never agreed", "Ivan Petrov"),
    # a name that only modifies the role is not the speaker
    (("Jane Roe has led the ferry company since 2019.",
      "“She will not back down on the timetable,” said one Roe adviser."),
     "back down", "one Roe adviser"),
    # quoted words inside a sentence with no reporting verb belong to its subject
    (("Ivan Petrov thanked the volunteers for “keeping the harbour open through the worst winter in years.”",),
     "keeping the harbour open", "Ivan Petrov"),
    # ... also when the subject carries an appositive and a participle introduces the quote
    (("Marta Lind, the ferry captain who sailed through the storm, wrote to the council on Friday, "
      "telling them, “the boats are safe and the crews are well rested.”",),
     "boats are safe", "Marta Lind"),
    # several appositives between a name and its verb
    (("“The bridge will close for a month,” Ivan Petrov, a city engineer who has inspected it twice, "
      "which took most of the spring, said.",),
     "bridge will close", "Ivan Petrov"),
    (("Ivan Petrov, speaking at a meeting in Salem, Ore., said the ferries were “a danger to everyone who "
      "boards them.”",),
     "a danger to everyone", "Ivan Petrov"),
    (("“The ferries are older than anyone admits,” Sen. Marta Lind, D-Ore., told the committee.",),
     "older than anyone admits", "Marta Lind"),
    # an introductory phrase with a place and a time before the subject
    (("At a meeting in Salem, Ore., on Tuesday, Jane Roe endorsed the plan, saying it would "
      "“finally give the harbour a future.”",),
     "finally give the harbour", "Jane Roe"),
    # a participle phrase opening the sentence is no name before an appositive
    (("Appearing on Radio Nord, the harbour master said the storm had “broken every record we keep.”",),
     "broken every record", "the harbour master"),
    # a long stretch between the quote and its verb: a name with an appositive, or an inversion
    (("“Nothing we do this winter will change the tides,” Ivan Petrov, director of the coastal survey "
      "at the Northern Institute of Marine Studies in Tromso, said in an interview.",),
     "change the tides", "Ivan Petrov"),
    (("“Most people would call that a failure” if the ferry stops running in March, said Marta Lind, "
      "a transport analyst.",),
     "call that a failure", "Marta Lind"),
    # an unattributed quote before another of the same sentence shares that one's verb
    (("The plan will bring “a lot of new money” and “many more ferries to the islands,” Jane Roe said.",),
     "a lot of new money", "Jane Roe"),
    # a surname ending in -ing is still a name; a sentence-opening participle is not
    (("Kari Fielding runs the harbour.", "To that, Fielding added: “We have waited long enough for the bridge.”"),
     "waited long enough", "Kari Fielding"),
    (("Marking the end of the season, Jane Roe told the crew that “the nets will stay dry until May.”",),
     "nets will stay dry", "Jane Roe"),
    # a person named at the end of a short introduction before a colon
    (("Ferries and fares - Ivan Petrov: “Nobody has asked the islanders what they can pay.”",),
     "Nobody has asked", "Ivan Petrov"),
    (("More from Marta Lind: “The timetable was written for tourists, not for us.”",),
     "timetable was written", "Marta Lind"),
    # a few quoted words in a sentence whose subject is a person are kept as that person's
    (("Ivan Petrov dismissed the report as “harbour gossip” on Friday.",),
     "harbour gossip", "Ivan Petrov"),
    # ... the subject of the clause that holds them, after "while" / "but"
    (("Jane Roe signed the order on Monday, while Ivan Petrov called it “a gift to the ferry owners.”",),
     "gift to the ferry owners", "Ivan Petrov"),
    # ... the person named right before a verb when the sentence opens otherwise
    (("For most of the evening - with the music too loud to talk over - Ivan Petrov assured the guests "
      "that the ferry was “as safe as any boat on the fjord.”",),
     "as safe as any boat", "Ivan Petrov"),
    # ... but not a name that is the verb's object
    (("Jane Roe runs the port.",
      "She spoke at the college, advising Nordby College graduates to “stay curious and stay close to home.”"),
     "stay curious", "Jane Roe"),
    # a paragraph ending in a colon introduces the quote that makes up the next paragraph
    (("After the vote, Marta Lind turned to the council:", "“You have sold the ferries and you know it.”"),
     "sold the ferries", "Marta Lind"),
    # a sentence opening with its reporting verb
    (("The old pier was rebuilt last year. Said Ivan Petrov, who fished from it for decades, "
      "“It never looked this good.”",),
     "never looked this good", "Ivan Petrov"),
    # a later clause with its own subject and verb is the quote's, not the sentence's first clause
    (("The port authority has been warning for weeks that money is short, and Marta Lind said the "
      "“emergency fund for the ferries” would last until May.",),
     "emergency fund", "Marta Lind"),
    # an inverted verb missing from the list: a past tense right before a name
    (("“Nobody thought the bridge would open on time,” remembered Ivan Petrov, the former site manager.",),
     "bridge would open", "Ivan Petrov"),
    # a clause opened by "where" holds the subject; it is no appositive
    (("The dispute moved to the harbour office, where Deputy Mayor Marta Lind told the crowd that "
      "“the ferries will run as long as I am in this office.”",),
     "ferries will run", "Marta Lind"),
    # a long stretch before the verb: the subject after the last word opening a clause
    (("The meeting about the ferry timetable grew so heated over who had signed which contract that "
      "harbour master Ivan Petrov said, “We need a referee more than a timetable.”",),
     "need a referee", "Ivan Petrov"),
    # a one-word adverb between a name and its appositive
    (("“The new fares are a slap in the face,” Marta Lind, meanwhile, who has run the ferry for years, said.",),
     "a slap in the face", "Marta Lind"),
    # a subject phrase that is a whole clause names its subject first, not the last name in it
    (("On Monday, after a long silence on the matter, Jane Roe appeared with Ivan Petrov and endorsed Marta "
      "Lind, saying, “She is the only one who has ever fixed a ferry.”",),
     "only one who has ever fixed", "Jane Roe"),
    # "she" goes back to a person, not to a country or an organisation that spoke in between
    (("Jane Roe, the harbour master, met officials from Norway on Monday.",
      "“The talks went well and we expect a deal,” Norway said in a statement.",
      "“We will meet again next month in the capital,” she said."),
     "meet again next month", "Jane Roe"),
    # a role phrase opening the sentence is the subject of a later participle
    (("A spokeswoman for the Norland Ferry Company emailed reporters the new timetable, arguing, "
      "“Nothing in it changes the winter routes.”",),
     "Nothing in it changes", "a spokeswoman for the Norland Ferry Company"),
    # a place after the name is not the speaker: "Gov. Jane Roe of Utah" is Jane Roe
    (("“We will not sign it,” said former Gov. Jane Roe of Utah.",),
     "will not sign it", "Jane Roe"),
    # “A,” Jane Roe said. “B.” and then a new sentence: B is Jane Roe's too, not the next sentence's
    (("“The harbour is full,” Jane Roe said. “We cannot take one more boat this week.” "
      "Neither Ivan Petrov nor the council acknowledged the letter.",),
     "one more boat", "Jane Roe"),
    # a later sentence naming its own person as subject does not inherit the earlier speaker
    (("“The road is closed until spring,” a police spokesman said. Later, Mayor Ivan Petrov condemned the "
      "“reckless driving that closed our only road.”",),
     "reckless driving", "Ivan Petrov"),
    # phrasal and less common speech verbs before or after quoted words
    (("Ivan Petrov spoke first.", "“You have never sailed a day in your life,” Petrov shot back. “Let me finish.”"),
     "never sailed a day", "Ivan Petrov"),
    # a name before a title only modifies it: the titled name after it speaks
    (("Jane Roe leads the ferry company.",
      "Roe Communications Director Anna Kovac called the idea a “ridiculous proposition for the port.”"),
     "ridiculous proposition", "Anna Kovac"),
    # a quote-only paragraph with no attribution after a paragraph whose subject is a person
    (("Ivan Petrov praised the crews and their work through the storm.",
      "“We owe them everything we have, and more than we can say.”"),
     "owe them everything", "Ivan Petrov"),
    # a participle after a quote never inverts: the sentence's subject speaks
    (("Jane Roe gave a defence of “harbour values,” saying the town embodied the “courage and heart of the coast.”",),
     "courage and heart", "Jane Roe"),
    # ... and one followed by another quote introduces that one
    (("Jane Roe called the vote “messy,” adding, “Democracy is messy and slow, and we knew that.”",),
     "Democracy is messy", "Jane Roe"),
    # a quoted title inside the subject's appositive is read past
    (("Ivan Petrov, the author of “Tides,” a book about ferries, said the days when the town had “one shared "
      "story about its harbour” are gone.",),
     "one shared story", "Ivan Petrov"),
    # the subject of a subordinate clause quotes its words, not the main clause's
    (("Traders said they feared a repeat of 1998, when Ivan Petrov, who had lost the vote, called for a "
      "“cleaner and fairer harbour board.”",),
     "cleaner and fairer", "Ivan Petrov"),
    (("Even as Anna Kovac insisted on Friday that “the ferry left late for smaller reasons,” an engineer on the "
      "pier said the cases differed.",),
     "ferry left late", "Anna Kovac"),
    # ... but an attribution tail after the quote still wins over a negated verb before it
    (("Kovac cannot say that “from her point of view,” Ivan Petrov added.",),
     "point of view", "Ivan Petrov"),
    # "with X calling it": the participle's own subject
    (("Traders who agree were irritated, with Jane Roe calling it a “Chinese menu of half measures.”",),
     "Chinese menu", "Jane Roe"),
    # a paragraph that signs the quote before it
    (("“The harbour is ours and always will be, whatever they say.”", "- Ivan Petrov."),
     "harbour is ours", "Ivan Petrov"),
    # "was prompted to say", "went on to say": the subject before the verb phrase
    (("The meeting was so dull that Ivan Petrov was prompted to say, “So far, I cannot believe how calm it is.”",),
     "how calm it is", "Ivan Petrov"),
    # "…,” as X said on …: "as" opens the attribution
    (("That the vote “looks far too close to call,” as Jane Roe said on harbour radio, helps her.",),
     "too close to call", "Jane Roe"),
    # a bare report before a quote that opens its sentence ("X said in a statement. “…”")
    (("Tom Lind, head of the port board, said on Friday. “We have nothing left to count, not one crate.”",),
     "nothing left to count", "Tom Lind"),
    # ... but a split quote's second half stays with its first ("“A,” X said. “B”")
    (("“We were ready,” Jane Roe said. “The others were not ready at all.”",
      "Ivan Petrov said on Monday. “Nobody was ready for the storm that week.”"),
     "The others were not", "Jane Roe"),
    # a signature with a place after the name
    (("“A toll on the old bridge makes no sense to anyone here.”", "-Anna Kovac, Bergen."),
     "toll on the old bridge", "Anna Kovac"),
    # a passive reporting verb with its agent: the agent speaks
    (("Kovac was asked by host Tom Lind, who backs him, “Now, you said you were tired of the ferry?”",),
     "tired of the ferry", "Tom Lind"),
    # "X of the Y of Z": the name, then where the speaker is from
    (("“We have lost a great deal,” said Archbishop Aris Vartan of the Harbour Patriarchate of Lyon.",),
     "lost a great deal", "Aris Vartan"),
    # ... but not a title's own "of" ("Secretary of State Jane Roe")
    (("“Turnout was high,” said Missouri Secretary of State Jane Roe.",),
     "Turnout was high", "Jane Roe"),
    # a signature whose dash the reader took as a list bullet: the name alone
    (("The bill went nowhere.", "“Big firms pay zero taxes, and everyone else pays for it.”", "Ivan Petrov."),
     "pay zero taxes", "Ivan Petrov"),
    # "he" after a person newly named as a sentence subject is that person, not the last speaker
    (("“The ferry will run again,” said Ivan Petrov, the harbour master.",
      "In a statement on Friday, Mayor Tom Lind condemned the strike. He said, “This cannot go on for another week.”"),
     "cannot go on", "Tom Lind"),
    # a quote opening a sentence with no attribution: the person subject of the sentence before it
    (("Ivan Petrov spoke at the forum on Monday.",
      "Petrov distanced himself from the plan. “I am going to vote against it, and I will say so.”"),
     "vote against it", "Ivan Petrov"),
    # "with X noting …" with a one-word name; "X on Y wrote"; a possessive name before a title
    (("Lind and Kovac saw the vote as a mess, with Kovac noting the “absurdity of a few hundred votes here and there.”",),
     "absurdity of a few", "Kovac"),
    (("“It rolls off the lips,” Larry Lind on Harbour Radio wrote.",), "rolls off the lips", "Larry Lind"),
    (("Jane Roe leads the ferry company.", "Roe’s campaign manager Ivan Petrov called it “a smear and a lie.”"),
     "a smear and a lie", "Ivan Petrov"),
    # a name after a subordinator in a long subject phrase
    (("The move is notable because House Speaker Anna Kovac has said she is “not ready to endorse anyone yet.”",),
     "not ready to endorse", "Anna Kovac"),
    # a name in parentheses with its appositive; a subject after a dash; a subject after "in which"
    (("Sailors agree (Jane Roe, who named the strait, once said, “Storms come in threes here, and they always will.”)",),
     "Storms come in threes", "Jane Roe"),
    (("Ending the season with a formal speech -- complete with a teleprompter -- Jane Roe told supporters on "
      "Tuesday that “we close one chapter and we begin another.”",),
     "close one chapter", "Jane Roe"),
    (("It was a radio talk in which Anna Kovac voiced hope that the dispute would not become a problem “that could "
      "sink the ferry plan this winter.”",),
     "sink the ferry plan", "Anna Kovac"),
    # a passive reporting verb with no agent is nobody's speech: the clause's own verb is
    (("The risk was underscored on Wednesday when House Speaker Anna Kovac lamented the “disheartened and "
      "angry” state of the campaign.",),
     "disheartened and angry", "Anna Kovac"),
    # "had written", "wondered": reporting verbs too
    (("As the columnist Louella Parks had written a few years earlier, “We could not have a film industry without him.”",),
     "film industry", "Louella Parks"),
    (("“Will she ever run for mayor again?” a clerk at the back wondered.",),
     "run for mayor again", "a clerk at the back"),
    # a short quoted name used as a modifier inside the attribution is no quote of its own
    (("“We have had far better weeks than this one,” Texas delegate Tom Lind, wearing a wool cap and “Roe for "
      "Mayor” campaign pins, said on Monday.",),
     "far better weeks", "Tom Lind"),
    # a passive verb whose agent follows the quote
    (("This habit of the harbour board has been called “a quiet kind of theft” by Jane Roe, a professor at the "
      "college, and it angers many.",),
     "quiet kind of theft", "Jane Roe"),
    # a party tag after a politician's name is no name of its own
    (("“The levy will not survive the winter,” Sen. Ann Roe (D-Ore.) said.",),
     "levy will not survive", "Ann Roe"),
    (("“We are not done,” said Gov. Tom Lind (R).",), "We are not done", "Tom Lind"),
    # "Roe's lawyer" speaks for Roe and is not Roe; a name titled so earlier is that person
    (("Jane Roe testified on Monday.", "“We will appeal the ruling,” Roe’s lawyer said."),
     "appeal the ruling", "Jane Roe’s lawyer"),
    (("“We raised more than we hoped,” Ivan Petrov, Roe’s campaign manager, said.",), "raised more", "Ivan Petrov"),
    (("Jane Roe’s spokesman, Tom Lind, declined to comment on Monday.", "“The plan is on hold,” Roe’s spokesman said later."),
     "plan is on hold", "Tom Lind"),
    # a possessive owning a thing, not a person, leaves the owner as the speaker
    (("Jane Roe testified on Monday.", "Roe’s latest remarks suggest she is “done with the race.”"),
     "done with the race", "Jane Roe"),
    # a state, then the day, is no name before a role phrase
    (("At a diner in Keene, Vermont Tuesday, the Roe volunteer answered: “Nobody in this town asked for a new "
      "bridge.”",), "asked for a new bridge", "the Roe volunteer"),
    # a possessive name owning the title of the person after it
    (("Jane Roe spoke on Monday.", "At a rally, Roe’s primary rival Sen. Ann Poe (R-Fla.) said Roe is "
      "“unelectable now.”"), "unelectable now", "Ann Poe"),
    # after a name, a segment opening with a titled possessive is an appositive
    (("Jane Roe spoke on Monday.", "Tom Lind, Mayor Roe’s special envoy to the coalition fighting the river "
      "pirates, tweeted that he was “delighted by the news.”"), "delighted by the news", "Tom Lind"),
    # a plural group without a determiner speaks ("police", "federal prosecutors"); a bare singular does not
    (("“The losses run into the millions,” federal prosecutors wrote in a filing.",), "losses run into", "federal prosecutors"),
    (("“Stay indoors tonight,” police said.",), "Stay indoors", "police"),
    # "what X called “…”": X named it; an amount after a verb is its object, not an inverted speaker
    (("In 2009, under what Ms. Roe called “the old money model,” fees at the harbour club rose sharply.",),
     "old money model", "Roe"),
    (("“The old money model is gone,” the harbour club charged a $40,000 fee.",), "old money model", "the harbour club"),
    (("The race has become what one local farmer has dubbed “the pepper primary,” and it shows.",),
     "pepper primary", "one local farmer"),
    # a definite role phrase takes the person an appositive titled so; an indefinite one is someone new
    (("Rep. Tom Lind, a Vermont Republican, spoke first.", "“We will find out who signed the order,” the Vermont "
      "Republican argued."), "who signed the order", "Tom Lind"),
    (("Tom Lind, a Vermont Republican, spoke first.", "“Nobody here trusts the count,” said another Vermont "
      "Republican."), "trusts the count", "another Vermont Republican"),
    # "…, to which X interjected:": the relative clause's subject speaks, not the first clause's
    (("Roe said that experts had backed her plan, to which Lind interjected: “It is just not true.”",),
     "just not true", "Lind"),
    # manner-of-speaking verbs
    (("“Not now, not ever,” Jane Roe snapped.",), "Not now", "Jane Roe"),
    # a group spoken of in the singular is no later "he"
    (("Tom Lind spoke to the crowd. “Who will pay for it?” he asked.", "“The harbour board!” the audience "
      "screamed back.", "“I think the wall could be tall,” he told reporters."), "wall could be tall", "Tom Lind"),
    # the name after "X campaign spokeswoman"; a role for a named person is the role, not the person
    (("Jane Roe campaigned in Ohio on Monday.", "“We feel good about Ohio,” said Roe campaign spokeswoman Mia Lind."),
     "feel good about Ohio", "Mia Lind"),
    (("Jane Roe campaigned in Ohio on Monday.", "An aide to Ms. Roe said the trip was “very productive.”"),
     "very productive", "an aide to Ms. Roe"),
    (("Senator Jane Roe spoke on Monday.", "“The claim is simply wrong,” Roe’s office wrote in an email."),
     "claim is simply wrong", "Jane Roe’s office"),
    # a paragraph ending in a colon whose subject is a person after title words, the quote the next paragraph
    (("Former Gov. Ana Lind toured the town on Friday.",
      "After the ferry sank, opposition leader Ana Lind released this message:",
      "“Our thoughts are with every family waiting for news tonight.”"), "Our thoughts", "Ana Lind"),
    # a given name of one gender is no antecedent of the other's pronoun (data/quotes/given_names.txt)
    (("Maria Vale spoke first at the hearing.", "“The board will decide,” said Tom Hale, a lawyer for the town.",
      "“We will appeal,” she said."), "We will appeal", "Maria Vale"),
    # an inverted speaker with a relative clause, and the quote after it; a quote in a participle phrase
    (("“Not again,” wrote a ferry commuter who keeps a riders' blog. “The boats are late every week.”",),
     "boats are late", "a ferry commuter"),
    (("Ivo Kern, quoting “the quiet charm of Lind,” said the senator could carry three more counties.",),
     "quiet charm", "Ivo Kern"),
    # a place opening an earlier sentence is no antecedent of "he"
    (("Tom Hale ran the port for years.", "Winter came early. Lyon Harbour is now quiet, and the docks are empty.",
      "“Nobody here sleeps before the last boat is in,” he said."), "Nobody here sleeps", "Tom Hale"),
    # a titled name with a long organisation after "of": the name, not the phrase
    (("Professor Ana Lind of the Harbour School of Economics said the row was “entirely predictable”.",),
     "entirely predictable", "Ana Lind"),
    # a plural group with a prepositional tail
    (("“The water is rising,” said residents of the valley.",), "water is rising", "residents of the valley"),
    # a group that speaks is no antecedent of "he"
    (("Tom Hale sang for two hours.", "Critics expect the tour to sell out by “early next spring.”",
      "“Every song on the list is new,” he said."), "Every song", "Tom Hale"),
    # commas of an appositive inside a relative clause are no cuts: the name before the clause speaks
    (("Mary Lott, whose sister, Ann Vale, runs the clinic, said the plan was “a fair start.”",),
     "a fair start", "Mary Lott"),
    # ... but a relative clause on a place opening the sentence is no speaker's
    (("At the fair, which opened on Monday, farmers are expected to show “the best cattle in years.”",),
     "best cattle", "farmers"),
    # an adjective before the name of an unlisted verb's subject
    (("Mary Lott spoke first.", "“The vote was rigged,” an angry Lott retorted. “Count again.”"),
     "vote was rigged", "Mary Lott"),
    (("Mary Lott spoke first.", "“The vote was rigged,” a smiling Lott countered."),
     "vote was rigged", "Mary Lott"),
    # "went on": speaking on; "went on to praise" is no speech
    (("Mary Lott spoke first.", "“The ferry will run all winter,” Lott went on, ignoring the question."),
     "ferry will run", "Mary Lott"),
    # a surname that is also a title word names the person the article gave it to
    (("The novelist Ruth Ellen Judge opened the fair.", "Judge says the book is “about her mother.”"),
     "about her mother", "Ruth Ellen Judge"),
    # "a person close to X" is not X
    (("Jane Smith runs the farm.", "“It is bad,” said a person close to Jane Smith."),
     "It is bad", "a person close to Jane Smith"),
    # a name after a role and a comma is a person the entity stage finds: the subject of the sentence before
    # "he said" is its antecedent, not the last speaker
    (("Brazil’s finance minister, Luis Ortega, arrived in Oslo.", "Ruth Lind, a researcher at Lakeside College, "
      "said Oslo was “in no hurry.”", "Ortega disagreed. “Both sides need each other,” he said."),
     "Both sides need", "Luis Ortega"),
    # "the Tribune" after "the Lakeside Tribune": the article's one organisation of that first or last word
    (("The Lakeside Tribune reported the plan on Monday.", "“The plan is late,” the Tribune said in an editorial."),
     "plan is late", "Lakeside Tribune"),
    (("The Globe and Mail reported the plan on Monday.", "According to the Globe, the mayor wanted “firm dates.”"),
     "firm dates", "The Globe and Mail"),
    # an owner is no subject of the verb after the phrase it owns
    (("Tom Vale, Ann Roe’s fired campaign manager, accused the director of playing “both referee and striker” "
      "in the inquiry.",), "both referee and striker", "Tom Vale"),
    (("Ships crossed the Taiwan Strait on Monday.", "Taiwan’s defence ministry thanked the envoys, saying the "
      "boats would “help keep the peace.”"), "keep the peace", "Taiwan’s defence ministry"),
    # speech acts that judge cue the words they judge with
    (("Her rival, former Gov. Tom Hale, dismissed the plan as “a fantasy.”",), "a fantasy", "Tom Hale"),
    (("Ana Lind accused the board of “sheer negligence.”",), "sheer negligence", "Ana Lind"),
    # a document that speaks is no later "he"
    (("Tom Hale ran the port for years.", "The book accuses Hale of treating the crews like “hired hands.” He said "
      "that was “unfair,” and he called the crews heroes.", "“They saved the town,” he said."), "saved the town",
     "Tom Hale"),
    # a role noun opening a title ("Staff Sgt.") is no role phrase: the titled name speaks
    (("Staff Sgt. Paul Ward of the Lakeside police said officers “did what they could.”",),
     "did what they could", "Paul Ward"),
    # a preposition opening the sentence is no subject; the clause's own subject speaks
    (("Amid union calls for action, even a senior party strategist said, “She will have to choose.”",),
     "have to choose", "a senior party strategist"),
    # a horizontal bar (U+2015) sets off an aside like an em dash
    (("Hastily seizing on the storm in Tampa \u2015 much as he did last year \u2015 Tom Vale blamed his rivals "
      "and stressed the “failure of leadership” in the capital.",), "failure of leadership", "Tom Vale"),
    # a closing mark typed for an opening one opens the quote it is glued to
    (("Tom Vale said the board would not let reporters ”see the ledgers before the vote.”",),
     "see the ledgers", "Tom Vale"),
    # a name in the clause a pronoun subject reports is no sentence subject ("But he said that Roe …")
    (("Tom Roe, the trade minister, said on Monday in Oslo that talks would go on.", "Mr. Berg said the visit was "
      "welcome. But he hinted that Mr. Roe had an eye on the voters at home. “Elections make people nervous,” he "
      "said."), "make people nervous", "Berg"),
    # an opening phrase ("In Oslo, …") is no subject: the name after it is the next "he"
    (("Prime Minister Jonas Lund spoke in Bergen on Friday and said, “Norway stands firm.”",
      "In Lakeside, Governor Tom Hale released a note Friday night condemning “a cowardly act in Bergen.” He "
      "said his office had offered help."), "a cowardly act", "Tom Hale"),
    # "the admiral" after "Adm. Jo Hale": the abbreviated title names the role (also after a dash)
    (("Adm. Jo Hale, who leads the fleet, docked in Manila last week.", "China’s leader, Xi Jinping, said in May "
      "that the shoals “belong to China.”", "Asked later - a war over the shoal, or not - the admiral smiled.",
      "“Good thing my voice is quiet,” he said."), "my voice is quiet", "Jo Hale"),
    (("Sen. Ana Lind of Oregon flew to Manila last week.", "China’s leader, Xi Jinping, said in May that the "
      "shoals “belong to China.”", "The senator shrugged. “We will keep sailing there,” she said."),
     "keep sailing", "Ana Lind"),
    # a suffixed name and its later surname are one speaker, spelled as the entity is
    (("Adm. Tom B. Vale Jr., who leads the fleet, docked on Monday.", "“The seas are calm,” Admiral Vale said."),
     "seas are calm", "Tom B. Vale Jr."),
    # titles and a party label before a name open the sentence: the titled person is its subject
    (("Democratic presidential hopeful Sen. Ana Lind (D-Ore.) on Friday faulted the pact signed in Oslo, saying it "
      "goes “nowhere near far enough.”",), "nowhere near far", "Ana Lind"),
    # the subject after a longer opening phrase ("At a rally in X, Y, on Monday, Z …") is the next "he"; a title
    # or an appositive may stand between, an object of the sentence's own verb may not
    (("Ann Roe, a senator in Kenya, wants Tom Vale barred from the country.", "At a rally in Dayton, Ohio, on "
      "Monday, Vale named Kenya among countries he said had sent dangerous migrants.", "“We cannot check them,” he "
      "said."), "cannot check them", "Tom Vale"),
    (("Ann Roe, a senator in Kenya, wants Tom Vale barred from the country.", "Speaking in Nairobi, the party's "
      "whip Mark Obi answered the candidate.", "“We will not be lectured,” he said."), "not be lectured", "Mark Obi"),
    (("Ann Roe, a senator in Kenya, wants Tom Vale barred from the country.", "On Friday, Mark Obi, the party's "
      "whip, visited the mills.", "“We will not be lectured,” he said."), "not be lectured", "Mark Obi"),
    (("Mark Obi, the party's whip, spoke on Friday.", "Later that night, the whip called Tom Vale a bully.",
      "“We will not be lectured,” he said."), "not be lectured", "Mark Obi"),
    # a possessive opening the sentence gives way to the role-holder named between commas
    (("Ann Roe, a senator in Kenya, wants Tom Vale barred from the country.", "Acme's chief executive, Mark Obi, "
      "wrote to the board on Friday. He said the plan “will cost us dearly.”"), "will cost us dearly", "Mark Obi"),
    # a capitalised word before a role and a name only titles the name ("Opposition leader X"): X is the subject
    (("Ana Lind of the Harbour Institute called the deal “overdue.”", "Opposition leader Ivo Berg criticised the "
      "secrecy of the talks. “Parliament must be told,” he wrote."), "must be told", "Ivo Berg"),
    # a role phrase right after a dateline opens its sentence: the group speaks, not a place inside it
    (("LAKESIDE — Residents of a harbour neighbourhood in Lakeside say the crews gave “no warning at all.”",),
     "no warning at all", "residents of a harbour neighbourhood in Lakeside"),
    # a quote with no verb of its own belongs to its sentence's subject, also a role phrase standing for the one
    # person the article titled so
    (("Finance Minister Ana Lind announced the plan on Monday.", "“It will pass,” Ms. Lind said.",
      "The finance minister also praised the central bank for its “steady hand in a storm.”"), "steady hand",
     "Ana Lind"),
    # a plural kind of people opening the sentence is a group, not the place after it
    (("Shopkeepers in Lakeside said trade had “never been this slow.”",), "never been this slow", "Shopkeepers"),
    # a newspaper quoted before is no later "he": the person the paragraph is about is
    (("Ivan Petrov, the candidate, toured the mills on Monday.", "As the weekly Harbour Star tabloid noted in an "
      "editorial, Petrov “has found a few friends abroad.”", "As the paper noted, this is odd. Although he says he "
      "“admires the mills,” he also blames them for the smog."), "admires the mills", "Ivan Petrov"),
]


@pytest.mark.parametrize("paragraphs,fragment,expected", CASES)
def test_speaker(res, paragraphs, fragment, expected):
    assert speaker_of(res, paragraphs, fragment) == expected


def test_a_name_after_a_preposition_opening_the_sentence_is_no_subject(res):
    """"Lawyers for Roe opposed …, saying …": Roe only owns the subject."""
    paragraphs = ("Ana Lind spoke on Friday.", "Lawyers for Ana Lind opposed the motion, saying in a filing that the "
                  "records “were never public property.”")
    assert speaker_of(res, paragraphs, "never public property") != "Ana Lind"


def test_a_state_before_who_is_no_speaker(res):
    rows = quotes_of(res, ("“Give it time,” said Al Berg, a dentist from Millbrook, Ohio, who said he knows them.",))
    assert all(r.speaker != "New Jersey" for r in rows)


def test_an_attribution_ending_in_a_colon_reports_nothing_before_it(res):
    """"In the letter, Hale wrote:" introduces the quote after it; the words before the name are no report."""
    rows = quotes_of(res, ("Tom Hale spoke to the crowd on Friday.", "In the letter to members, Hale wrote:",
                           "“We want the most honest choice this time.”"))
    assert [(r.kind, r.speaker) for r in rows] == [("direct", "Tom Hale")]


def test_show_title_after_told_is_no_quote(res):
    """A programme's title in quotation marks after "told" is the channel, not quoted speech."""
    rows = quotes_of(res, ("Ivan Petrov told “Harbour Morning Show” that the ferries would run.",))
    assert not [r for r in rows if r.kind == "direct"]


def test_heading_in_capitals_signs_no_quote(res):
    """A section heading in capitals after a quote-only paragraph is no signature."""
    paragraphs = ("Ivan Petrov said the port would stay open.",
                  "“That is because this harbour is the most important one on the coast.”",
                  "PETROV COUNTER.", "Later, the board met.")
    rows = [r for r in quotes_of(res, paragraphs) if r.kind == "direct"]
    assert rows and all(r.cue != ":" for r in rows)


def test_possessive_subject_gives_no_speaker(res):
    """"Roe's comments angered many. “…”": the quote is not Roe's for that."""
    assert speaker_of(res, ("Jane Roe spoke on Monday.", "Roe’s comments angered many. “Her claim is absurd and "
                            "everyone knows it.”"), "claim is absurd") == ""


def test_an_owner_in_an_opening_phrase_introduces_no_quote(res):
    """"Before Putin's speech, the preacher …, who died long ago, is heard ranting:": the owner in the opening
    phrase is not the one who speaks."""
    paragraphs = ("Vladimir Putin spoke on Monday.", "Before Putin’s speech in the film, a preacher from the hills, "
                  "who died long ago, is heard ranting: “Brothers, the storm is coming. Get ready for it.”")
    assert speaker_of(res, paragraphs, "storm is coming") != "Vladimir Putin"


def test_colon_after_a_sentence_with_no_person_names_no_speaker(res):
    """"The plan has three parts: “…”": the determiner is no speaker."""
    assert speaker_of(res, ("The plan has three parts: “build, borrow and wait for a better year.”",),
                      "build, borrow") == ""


def test_a_state_abbreviation_is_no_speaker(res):
    """"… in Carson, Calif., highlighting the “…”": the participle's subject is not the state."""
    paragraphs = ("The rally drew 8,000 people in Carson, Calif., highlighting the “deep mistrust” of the party.",)
    rows = quotes_of(res, paragraphs)
    assert not any("Calif" in r.speaker for r in rows)


def test_a_time_phrase_is_no_speaker(res):
    """"But that morning, a crowd …, calling for “…”": the participle's subject is not the time."""
    paragraphs = ("But that morning, an angry crowd of dock workers had gathered at the harbour, calling for the "
                  "“immediate firing of the whole board and its chairman.”",)
    rows = quotes_of(res, paragraphs)
    assert not any("morning" in r.speaker for r in rows)


def test_a_heading_in_capitals_or_a_transcript_label_is_no_speaker(res):
    """"FULL TEXT." and "Partial transcript as follows:" introduce text; they are nobody's name."""
    paragraphs = ("FULL TEXT.", "Admiral Tom Lind spoke at the harbour.", "“The fleet is old,” he said.",
                  "Partial transcript as follows:", "“We will build new ships next year, and more after that.”")
    rows = quotes_of(res, paragraphs)
    speakers = {r.speaker for r in rows}
    assert not speakers & {"FULL TEXT", "Partial", "Partial transcript"}
    assert next(r.speaker for r in rows if "fleet is old" in r.text) == "Tom Lind"


@pytest.mark.parametrize("paragraph,speaker,content", [
    # a short clause after "said" is the content, also when its subject is a name; not an inverted speaker
    ("Jane Roe, a lawyer, said the network uses the photo.", "Jane Roe", "the network uses the photo"),
    ("Rita Lind, the head of a group that tracks smugglers, said Acme Media also uses the same boats.",
     "Rita Lind", "Acme Media also uses the same boats"),
])
def test_short_clause_after_said_is_the_content(res, paragraph, speaker, content):
    rows = [r for r in quotes_of(res, (paragraph,)) if r.kind == "indirect"]
    assert rows and rows[0].speaker == speaker and rows[0].text.startswith(content)


@pytest.mark.parametrize("paragraphs,speaker,content", [
    # a role in apposition before the name belongs to the speaker, not to what was said
    (("Acme Corp. built the ferry to carry trucks, a spokeswoman, Ann Lind, said on Saturday.",), "Ann Lind",
     "Acme Corp. built the ferry to carry trucks"),
    # a clause before "…, the ministry said." is the content, not a speaker named before an appositive
    (("The ferry talks will resume next week, the ministry said.",), "the ministry",
     "The ferry talks will resume next week"),
    (("Fares are rising again, a spokesman said on Friday.",), "a spokesman", "Fares are rising again"),
    # a verb phrase coordinated with the sentence's first: "X toured the site and said …"
    (("The storm hit at night. The mayor later toured the flooded streets and said the city had been caught "
      "unprepared.",), "the mayor", "the city had been caught unprepared"),
    (("Jane Roe toured the mill on Monday but said that no jobs would be cut.",), "Jane Roe",
     "no jobs would be cut"),
    # an inverted speaker with long appositives after the report
    (("Ferry traffic has doubled since the bridge closed, said Tom Hale, director of the Institute for Harbour "
      "Studies at Lakeside University, who has counted the boats since 2010.",), "Tom Hale",
     "Ferry traffic has doubled since the bridge closed"),
    # a report that goes on after a comma is no inverted speaker's tail
    (("Ann Roe, a party donor, said Roe campaign strategists plan to win in the first round, thereby avoiding "
      "a floor fight.",), "Ann Roe", "Roe campaign strategists plan to win in the first round, thereby avoiding a "
     "floor fight"),
    # "said the timing of the remark makes …": a noun phrase with "of" that a verb follows is the clause's subject
    (("Jane Roe said the timing of the ferry cuts makes them seem particularly cruel.",), "Jane Roe",
     "the timing of the ferry cuts makes them seem particularly cruel"),
    # the report before a trailing attribution starts with its sentence, not with the paragraph
    (("The ferry was late twice. Its captain was calm and careful, a harbour official told the Daily Post.",),
     "a harbour official", "Its captain was calm and careful"),
    # "…, Lind said, adding, “…”": the verb reports the clause before it; the quote is the participle's
    (("The two leaders will meet next week, Lind said, adding, “They need to talk.”",), "Lind",
     "The two leaders will meet next week"),
    # "told" and its hearer, then a clause without "that"
    (("Tom Stone told the Harbour Post on Monday he planned to stay neutral.",), "Tom Stone",
     "he planned to stay neutral"),
    (("Ann Roe told reporters the ferry would run again by spring.",), "Ann Roe", "the ferry would run again by spring"),
    # a name and a past tense after the verb open the reported clause: no inverted speaker
    (("Kenya's trade minister, Ana Roe, said Nairobi welcomed the offer.",), "Ana Roe", "Nairobi welcomed the offer"),
    # a parenthetical attribution: the report on both sides of it
    (("The ferry talks, the minister said on Monday, will resume next week.",), "the minister",
     "The ferry talks … will resume next week"),
    # a subject with an appositive before the verb, then a short clause
    (("The company, a maker of fishing boats, said sales fell sharply last year.",), "the company",
     "sales fell sharply last year"),
    # a subject with a restrictive relative clause: its head speaks, the clause's verbs are not the report's
    (("A harbour worker who gave only his first name said the water had risen overnight.",), "a harbour worker",
     "the water had risen overnight"),
    (("Many of the ferry captains who would rather be at sea said they had joined the strike.",),
     "many of the ferry captains", "they had joined the strike"),
    # a name before a plural group noun: the group speaks
    (("Harbour City police said a man was arrested outside the town hall.",), "Harbour City police",
     "a man was arrested outside the town hall"),
    (("Jane Roe spoke on Monday.", "Roe aides said the rally would go ahead.",), "Roe aides", "the rally would go ahead"),
    (("Other Republican leaders said the plan was dead on arrival.",), "other Republican leaders",
     "the plan was dead on arrival"),
    # an irregular past tense makes the words after "said" a clause, not an inverted speaker
    (("Another analyst, Mia Lind of the Harbour Institute in Oslo, said Norway saw Chile as a vital partner.",),
     "Mia Lind", "Norway saw Chile as a vital partner"),
    # … but a party keeps its capital
    (("Democrats, meanwhile, said the bill would cut the harbour budget.",), "Democrats",
     "the bill would cut the harbour budget"),
    # a plural role noun opening the sentence is a role phrase
    (("Analysts said the agreement reflected a broader shift.",), "analysts",
     "the agreement reflected a broader shift"),
    # a source that is no one's name keeps its words ("according to customs data")
    (("Trade between the two ports reached $240 million last year, according to Chilean customs data.",),
     "Chilean customs data", "Trade between the two ports reached $240 million last year"),
    # a quote closing a relative clause on the subject does not hide the subject
    (("Tom Hale, who calls the new ferry a “floating shed,” said he would never ride it.",), "Tom Hale",
     "he would never ride it"),
    # a name opening the sentence, its appositives up to the verb: what follows the verb is the report
    (("Ana Lind, who was a senator until May, said the plan failed.",), "Ana Lind", "the plan failed"),
    # a "that" later in a clause that has begun is the clause's own, not the report's opening
    (("Rosa Pell said she was asked to write a letter to prove that the boat had been sold.",), "Rosa Pell",
     "she was asked to write a letter to prove that the boat had been sold"),
    # a dashed aside after the verb
    (("Club treasurer Ivo Kern said — in a short note to members — that the roof repairs cost $9,000.",),
     "Ivo Kern", "the roof repairs cost $9,000"),
    # a quantifier alone is a group subject ("Some said", "But many said"); a noun-like form after one is no verb
    (("Some said they winced whenever the mayor compared the budget to a bake sale.",), "some",
     "they winced whenever the mayor compared the budget to a bake sale"),
    (("But many said they would not vote for him again.",), "many", "they would not vote for him again"),
    (("Many claims were false, the mayor said.",), "the mayor", "Many claims were false"),
    (("Some say the new bridge looks like a rusty coat hanger.",), "some",
     "the new bridge looks like a rusty coat hanger"),
    # a share of a group speaks as written, not as its first capitalised word
    (("Sixty per cent of respondents said the ferry fares were too high.",), "sixty per cent of respondents",
     "the ferry fares were too high"),
    (("Half of those surveyed said the plan was unfair.",), "half of those surveyed", "the plan was unfair"),
    # an approximated share ("About …", "As many as …") or a share with no noun ("One in five")
    (("About a third of ferry users said the timetable was confusing.",), "about a third of ferry users",
     "the timetable was confusing"),
    (("As many as two-thirds of the members say the fee should fall.",), "as many as two-thirds of the members",
     "the fee should fall"),
    (("One in five said they had never taken the ferry.",), "one in five", "they had never taken the ferry"),
    # a group a restrictive "who" clause is on speaks ("… dock workers who say …")
    (("The fee drew anger from ferry users and dock workers who say the port board ignored them.",),
     "dock workers", "the port board ignored them"),
    # a bare plural noun after a comma, even one no lexicon lists
    (("The bridge plan has turned old doubts into firm support, shipowners said.",), "shipowners",
     "The bridge plan has turned old doubts into firm support"),
    # a subordinate opening ("While …": the report ends with its clause), a focus adverb ("even …") and "is that" before the subject
    (("While only 8 percent said the fares were fair, most riders paid them.",), "only 8 percent",
     "the fares were fair"),
    (("Behind closed doors, even a senior harbour official said the plan was doomed.",), "a senior harbour official",
     "the plan was doomed"),
    (("The surprise is that most ferry users said they liked the new boats.",), "most ferry users",
     "they liked the new boats"),
    # the subject of an absolute clause ("with … saying"); a round number of people as a group
    (("Riders backed the plan, with 60 percent saying the fares were fair.",), "60 percent", "the fares were fair"),
    (("At least a dozen skippers told the Harbour Post they would strike.",), "at least a dozen skippers",
     "they would strike"),
    # a contracted pronoun opens a clause after a hearer
    (("Ivo Kern told the Harbour Post he’s already had hundreds of letters.",), "Ivo Kern",
     "he’s already had hundreds of letters"),
    # a role phrase opening the sentence, then a relative clause, then the verb
    (("One skipper, who has sailed the route for years, said the strike would last a week.",), "one skipper",
     "the strike would last a week"),
    # but in a parenthetical attribution the role phrase after the comma speaks
    (("The plan, a harbour official said, is to reopen the pier in May.",), "a harbour official",
     "The plan … is to reopen the pier in May"),
    # "told" with any short hearer before a pronoun subject
    (("Ola Brand told radio host Mia Tern he would sail again in June.",), "Ola Brand",
     "he would sail again in June"),
    (("The mayor told a crowd of dock workers she would veto the fee.",), "the mayor", "she would veto the fee"),
    # a plural role noun heads a group subject without a determiner
    (("But harbour specialists say the oldest cranes could still run for years.",), "harbour specialists",
     "the oldest cranes could still run for years"),
    # a name, then a relative "who" before the verb: the name speaks (not a state before "who")
    (("The ferry strike ended after talks led by Transport Minister Tom Vale, who said he hopes service resumes Monday.",),
     "Tom Vale", "he hopes service resumes Monday"),
    # an object relative's own subject before the verb, not the clause's ("… is now the place X say …")
    (("Pine Cove is the spot Harbour officials say the new pier will go.",), "Harbour officials",
     "the new pier will go"),
    # a province after a city is no name ("…, Brandon, Man., says")
    (("Dr. Ian Frame, an emergency physician in Elmvale, Man., says rural hospitals are also struggling.",),
     "Ian Frame", "rural hospitals are also struggling"),
    # a quote closing a participle phrase on the subject; the verb then reports a clause, it inverts nothing
    (("Ivo Kern, quoting “the quiet charm of Lind,” said the senator could carry three more counties.",),
     "Ivo Kern", "the senator could carry three more counties"),
    # a sentence opening with a subordinate clause: the report follows the verb
    (("When the chair pointed at the empty seats, the councillor said members often travel in May.",),
     "the councillor", "members often travel in May"),
    # a new main clause with a pronoun subject ends the report
    (("Ana Lind said the harbour fees are too high, and she blamed the port board for the delay.",),
     "Ana Lind", "the harbour fees are too high"),
    # an organisation named "X of Y" is one source, the name the entity stage knows it by
    (("According to the Ministry of Harbour Affairs, the request is under review.",), "Ministry of Harbour Affairs",
     "the request is under review"),
    (("The rate will rise in May, according to the Bank of Canada.",), "Bank of Canada", "The rate will rise in May"),
    # a "that"-only verb before a pronoun and its verb ("announced she would …")
    (("Mia Tern announced she would run for harbour master.",), "Mia Tern", "she would run for harbour master"),
    (("The mayor denied it on Monday.", "Acme announced it was leaving the pier deal."), "Acme",
     "it was leaving the pier deal"),
    # after a hearer no inverted subject can follow: a determiner, a noun and a verb are the clause
    (("Ivo Kern told the Harbour Daily his crew met twice with the port.",), "Ivo Kern",
     "his crew met twice with the port"),
    # a title-case headline line in the text
    (("Mayor Ivo Kern Says The Ferry Will Run All Winter",), "Ivo Kern", "The Ferry Will Run All Winter"),
    # a live blog's time glued to the name is no part of it
    (("Posted May 6, 2016 9:52PMKern Says The Ferry Will Run All Winter",), "Kern", "The Ferry Will Run All Winter"),
    # any source after "according to": a document, a group, an outlet (a speaker too), with an appositive after it
    (("The ferry ran late twice last week, according to the port log.",), "the port log",
     "The ferry ran late twice last week"),
    (("Lind won the Kent primary, according to early returns.",), "early returns", "Lind won the Kent primary"),
    (("OSLO (Harbour News) — The pier will close in May, according to the Harbour Daily, which first reported the plan.",),
     "Harbour Daily", "The pier will close in May"),
    # in mid-sentence: the report is the sentence around it
    (("On the second morning, according to the skipper, the crew refused to sail.",), "the skipper",
     "On the second morning … the crew refused to sail"),
    # an auxiliary inside a relative clause on the inverted subject does not make it a clause
    (("The pier must close, said a port official who had seen the survey.",), "a port official",
     "The pier must close"),
    # an object with a relative clause after the verb is no attribution tail
    (("In the final week, the mayor never named the rival who seemed set to beat him.",
      "The ferry will sail, the mayor said."), "the mayor", "The ferry will sail"),
    # an inverted role phrase with a long relative clause is the speaker, not the name before it
    (("So much is at stake that Mr. Lund warned the Danish envoy, Ole Berg, at their meeting not to shut the "
      "port, said a Norwegian official who had been told of the meeting and spoke on no one's behalf.",),
     "a Norwegian official", "So much is at stake that Mr. Lund warned the Danish envoy, Ole Berg, at their "
     "meeting not to shut the port"),
    # a body a title or a person owns is the speaker, not its last word ("Office")
    (("In a note, the Prime Minister's Office said the ferries would run.",), "the Prime Minister's Office",
     "the ferries would run"),
    (("Tom Vale's Office said the ferries would run.",), "Tom Vale's Office", "the ferries would run"),
    # a plural group after a capitalised word opening the sentence is the speaker, not the word
    (("Danish embassy officials said the visas would be ready.",), "Danish embassy officials",
     "the visas would be ready"),
    (("Farm groups say the new rules came too late.",), "Farm groups", "the new rules came too late"),
    # a role phrase for a titled person "of" a place, and a possessed group, share their verbs' subject
    (("A spokesman for Mayor Jo Hale of Bergen defended the route and said the police were ready.",),
     "a spokesman for Mayor Jo Hale of Bergen", "the police were ready"),
    (("Her campaign also announced new donors and said some of them would join the tour.",), "her campaign",
     "some of them would join the tour"),
    # a city and its state inside an appositive do not cut it; before the subject they do
    (("Ivo Kern, a pastor in Salem, Ore., helping to run the food bank, said he and other pastors were worried.",),
     "Ivo Kern", "he and other pastors were worried"),
    (("Since the first pier was built in Astoria, Ore., harbour officials say they have added 20 more.",),
     "harbour officials", "they have added 20 more"),
    # a name in apposition to the source is the source; a verbless phrase after the source is its appositive
    (("According to the port's chief engineer, Dr. Ivo Brandt, the pier has sunk 4 cm.",), "Ivo Brandt",
     "the pier has sunk 4 cm"),
    (("The pier has sunk 4 cm, according to Ivo Brandt, the port's chief engineer.",), "Ivo Brandt",
     "The pier has sunk 4 cm"),
    # a title with its seat after the name is an appositive
    (("Harbour Minister Ada Lowe, MLA for Bay West, said the ferries would run all winter.",), "Ada Lowe",
     "the ferries would run all winter"),
    # a lower-case hearer before a clause opening with a determiner
    (("The mayor told the council the pier would cost $2 million.",), "the mayor", "the pier would cost $2 million"),
    # a manner phrase is no source
    (("The ferry left on time, according to plan, and the captain said the sea was calm.",), "the captain",
     "the sea was calm"),
    # a dateline is no one's words; a bare plural role noun is the subject, not an appositive
    (("OSLO (Harbour News) — The ferry talks went well on Friday, officials said.",), "officials",
     "The ferry talks went well on Friday"),
    # a number opening the clause
    (("The ministry said 40 people were hurt in the storm.",), "the ministry", "40 people were hurt in the storm"),
    # a word opening the sentence before its subject
    (("Jorge Lind hosts a morning show on the harbour radio.", "But Lind said the mayor has not answered his "
      "requests."), "Jorge Lind", "the mayor has not answered his requests"),
    # a plural role phrase is a group, not the one person the article titled so
    (("Party Leader Ann Roe spoke first.", "Other party leaders said the delegate could still win."),
     "other party leaders", "the delegate could still win"),
    # the sentence subject after an earlier sentence of the paragraph, past the space after its full stop
    (("Rain fell all week. Ivan Petrov, a spokesman for the port, visited the docks and said the cranes were safe.",),
     "Ivan Petrov", "the cranes were safe"),
])
def test_unquoted_report_and_its_speaker(res, paragraphs, speaker, content):
    rows = [r for r in quotes_of(res, paragraphs) if r.kind == "indirect"]
    assert [(r.speaker, r.text.rstrip(".")) for r in rows] == [(speaker, content)]


def test_two_reports_joined_by_a_conjunction_each_keep_their_speaker(res):
    """"A said X and B said Y", "A said X, while B said Y": the second subject after the conjunction speaks
    the second report, and the first report ends before the conjunction."""
    paragraphs = ("The harbour master said the pier was safe and the port board said it needed repairs.",
                  "Nine in 10 said the fares were too high, while one in four said they had stopped travelling.")
    rows = [(r.speaker, r.text.rstrip(".")) for r in quotes_of(res, paragraphs) if r.kind == "indirect"]
    assert rows == [("the harbour master", "the pier was safe"), ("the port board", "it needed repairs"),
                    ("nine in 10", "the fares were too high"), ("one in four", "they had stopped travelling")]


@pytest.mark.parametrize("paragraph, rows", [
    # the speaker of a trailing attribution speaks the participle's report too
    ("The port did not object when the ferry line grew, a harbour official said, adding that the cost of closing "
     "piers was hard to estimate.",
     [("a harbour official", "The port did not object when the ferry line grew"),
      ("a harbour official", "the cost of closing piers was hard to estimate")]),
    ("The port will reopen in May, said Jo Hale, the harbour master, adding that repairs were nearly done.",
     [("Jo Hale", "The port will reopen in May"), ("Jo Hale", "repairs were nearly done")]),
    # a "that" a few words after a verb that took a direct quote: the report holds the quote that finishes it
    ("Ana Ruiz wrote on her blog that the ferry plan was “a waste of public money.”",
     [("Ana Ruiz", "the ferry plan was “a waste of public money.”")]),
    # … also after a direct quote's attribution
    ("“I have no regrets,” Ana Ruiz said Tuesday, adding that she would run again.",
     [("Ana Ruiz", "she would run again")]),
    # a participle after a clause takes the sentence's subject, a role phrase too; it never inverts
    ("The mayor visited the port on Monday, saying the repairs were nearly done.",
     [("the mayor", "the repairs were nearly done")]),
])
def test_a_participle_after_an_attribution(res, paragraph, rows):
    got = [(r.speaker, r.text.rstrip(".")) for r in quotes_of(res, (paragraph,)) if r.kind == "indirect"]
    assert got == rows


def test_a_relative_report_ends_where_the_main_verb_begins(res):
    """"Roe, who says A, said B": A ends before "said", B is Roe's too."""
    paragraphs = ("Ruiz, who says the board ignores him because the vote is close, said voters should decide.",)
    rows = [(r.speaker, r.text.rstrip(".")) for r in quotes_of(res, paragraphs) if r.kind == "indirect"]
    assert rows == [("Ruiz", "the board ignores him because the vote is close"), ("Ruiz", "voters should decide")]


def test_a_verb_that_took_a_direct_quote_reports_its_own_clause_too(res):
    """"Roe said he saw no reason to quit, telling the crowd “…”": the clause before the quote is a report of
    its own, without the participle that introduces the quote; a quote that ends the reported sentence
    belongs to the report ("said he found the plan “a waste of money”")."""
    paragraphs = ("Ivo Kern said he saw no reason to quit the race, telling the crowd that “we are just starting.”",
                  "Mia Tern said she found the new timetable “a complete mess from start to finish.”")
    rows = quotes_of(res, paragraphs)
    assert [(r.kind, r.speaker, r.text.rstrip(".")) for r in rows] == [
        ("indirect", "Ivo Kern", "he saw no reason to quit the race"),
        ("direct", "Ivo Kern", "we are just starting"),
        ("indirect", "Mia Tern", "she found the new timetable “a complete mess from start to finish.”"),
        ("direct", "Mia Tern", "a complete mess from start to finish")]


def test_a_word_in_capitals_ends_a_sentence(res):
    """"… for the DAILY HARBOUR NETWORK. Typically, he …": the capitals and the next sentence's first word
    are no one's name, so no quote is given to them."""
    paragraphs = ("Tom Lind has run the port for years.",
                  "I have covered him for the DAILY HARBOUR NETWORK. Typically, he answers with his favourite "
                  "“not today, not today” when a question bores him.")
    rows = quotes_of(res, paragraphs)
    assert not any("Typically" in r.speaker or "NETWORK" in r.speaker for r in rows)


@pytest.mark.parametrize("paragraph", [
    "The agency's spokeswoman, Ana Lind, declined to comment further.",
    "Tom Vale refused to say whether the mill would close.",
    "The ministry did not say when the port would reopen.",
])
def test_a_refusal_or_a_negation_reports_nothing(res, paragraph):
    assert quotes_of(res, (paragraph,)) == []


def test_a_coordinated_verb_after_a_reporting_verb_names_no_speaker(res):
    """"…, reported it to the regulator, and fixed it": the regulator is the object, not an inverted speaker."""
    paragraphs = ("The harbour board found the leak in its own pipes last spring, reported it to the regulator, and "
                  "fixed it within a week.",)
    rows = quotes_of(res, paragraphs)
    assert not any("regulator" in r.speaker for r in rows)


def test_went_on_to_is_no_reporting_verb(res):
    rows = quotes_of(res, ("Mary Lott spoke first.", "Lott went on to visit the “Farm Days” fair."))
    assert [r.cue for r in rows if "Farm Days" in r.text] != ["went on"]
    assert all(r.cue != "went on" for r in rows)


def test_a_question_word_is_no_speaker(res):
    rows = quotes_of(res, ("Ruth Vale runs the shop.", "What do you make of the sign that reads “closed for good” on "
                                                       "her door?"))
    assert all(r.speaker != "What" for r in rows)


def test_a_demonym_or_a_party_is_no_short_name_of_an_organisation(res):
    rows = quotes_of(res, ("A Romanian hacker was jailed.", "The Romanian Intelligence Service declined to comment.",
                           "“I did it alone,” the Romanian said.", "Democrats Rally Behind Lakeside Plan.",
                           "“We are united,” the Democrats said."))
    speakers = {r.text: r.speaker for r in rows if r.kind == "direct"}
    assert speakers["I did it alone,"] != "Romanian Intelligence Service"
    assert speakers["We are united,"] != "Democrats Rally Behind Lakeside Plan"


@pytest.mark.parametrize("paragraph", [
    "The deficits add up to $1 billion a year.",
    "The storm adds to the pressure on the harbour board.",
    "Acme Corp. will add a night ferry to Oslo.",
])
def test_an_amount_added_is_no_speech(res, paragraph):
    assert [r for r in quotes_of(res, ("Tom Vale runs the port.", paragraph)) if r.cue.startswith("add")] == []


def test_add_that_still_reports(res):
    rows = quotes_of(res, ("Tom Vale runs the port.", "Vale would add that the plan was “late but sound.”"))
    assert [(r.kind, r.cue) for r in rows] == [("indirect", "add"), ("direct", "add")]
