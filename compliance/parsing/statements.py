"""The legal statements of a notice in their common wordings: good faith, accuracy, perjury, authority.

English as the DMCA (17 U.S.C. 512(c)(3)) and the DSA (Art. 16) have people write them, and the usual
wordings in German, French, Spanish, Polish and Ukrainian (Russian too, which some of our claimants
write). Each pattern runs over the lines joined by spaces, since statements wrap mid-sentence, and
the match is mapped back to the lines it spans.
"""

from __future__ import annotations

import re

from compliance.parsing.notice_lines import Flat, Source

_NOT_ALLOWED = (
    r"(?:\bnot\s+(?:been\s+|be\s+)?(?:authori[sz]ed|permitted|licen[sc]ed|allowed)|\bunauthori[sz]ed|\bwithout\s+"
    r"(?:\w+\s+){0,3}?(?:authori[sz]ation|permission|consent|licen[sc]e)|\binfring|\bnot\s+(?:a\s+)?fair\s+use)"
)
GOOD_FAITH = re.compile(
    rf"(?:good[\s-]*faith|bona\s+fide)\b.{{0,300}}?{_NOT_ALLOWED}"
    r"|in\s+gutem\s+glauben|nach\s+treu\s+und\s+glauben|gutgläubig"
    r"|de\s+bonne\s+foi|de\s+buena\s+fe|w\s+dobrej\s+wierze|добросовісн|сумлінн\w*\s+(?:вважа|переконан)"
    r"|добросовестн",
    re.IGNORECASE,
)
ACCURACY = re.compile(
    r"\b(?:information|statements?|details|facts|notice|notification|contents?)\b[^.;]{0,160}?"
    r"\b(?:accurate|correct|true)\b"
    r"|\b(?:accurate|true\s+and\s+(?:correct|accurate)|correct)\b[^.;]{0,40}?\b(?:information|statements?)\b"
    r"|\bangaben\b[^.;]{0,160}?\b(?:richtig|zutreffend|korrekt|wahr|vollständig)"
    r"|wahrheitsgemäß|nach\s+bestem\s+wissen"
    r"|\binformations?\b[^.;]{0,160}?\b(?:exacte?s?|correcte?s?|véridiques?)\b"
    r"|\binformaci[oó]n\b[^.;]{0,160}?\b(?:exacta|correcta|veraz|precisa|verdadera)\b"
    r"|\binformacj\w*\b[^.;]{0,160}?\b(?:prawdziwe|dokładne|zgodne\s+z\s+prawdą|rzetelne|prawidłowe)"
    r"|інформаці\w*[^.;]{0,160}?(?:точн|достовірн|правдив)|информаци\w*[^.;]{0,160}?(?:точн|достоверн)",
    re.IGNORECASE,
)
PERJURY = re.compile(
    r"perjury|under\s+oath"
    r"|an\s+eides\s+statt|eidesstattlich|meineid|strafbewehrt"
    r"|parjure|sous\s+serment"
    r"|perjurio|bajo\s+juramento"
    r"|krzywoprzysię|odpowiedzialności\s+karnej|pod\s+rygorem"
    r"|лжесвідчен|кримінальн\w*\s+відповідальн|страхом\s+\w*\s*відповідальн"
    r"|лжесвидетельств|уголовн\w*\s+ответственн",
    re.IGNORECASE,
)
AUTHORITY = re.compile(
    r"authori[sz]ed\s+to\s+act|\bi\s+am\s+the\s+(?:\w+\s+){0,2}?(?:owner|author|holder)\b"
    r"|\b(?:owner|holder)\b[^.;]{0,60}?\bor\s+(?:an?\s+)?(?:person\s+)?authori[sz]ed"
    r"|berechtigt,?\s+(?:\w+\s+){0,3}?(?:im\s+namen|zu\s+handeln)|bevollmächtigt|(?:inhaber|rechteinhaber)\w*\b"
    r"|autorisée?\s+à\s+agir|titulaire\s+des?\s+droits"
    r"|autorizad[oa]\s+(?:para|a)\s+actuar|titular\s+de\s+los\s+derechos"
    r"|upoważnion\w*\s+do\s+działania|właściciel\w*\s+(?:praw|autorskich)"
    r"|уповноважен\w*\s+діяти|власник\w*\s+(?:\w+\s+)?прав|правовласник|уполномочен\w*\s+действовать|правообладател",
    re.IGNORECASE,
)

PATTERNS = {"good_faith": GOOD_FAITH, "accuracy": ACCURACY, "perjury": PERJURY, "authority": AUTHORITY}


def find_statements_in(flat: Flat) -> dict[str, Source]:
    """The first passage making each statement; an accuracy claim counts only with its perjury clause
    (checked by the caller), as the DMCA asks."""
    found: dict[str, Source] = {}
    for name, pattern in PATTERNS.items():
        if match := pattern.search(flat.text):
            found[name] = flat.source(match.start(), match.end())
    return found
