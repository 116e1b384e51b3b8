"""kbanswer: the knowledge-base assistant's answering core (pure: no Django, nothing of the
platform; vntext and numpy only).

Two parts: extractive answers over retrieved passages with abstention (``extract``), and the
parser that recognises questions the registry answers ("Việt Nam đã ký bao nhiêu hiệp định với
Hàn Quốc?") as a structured intent (``registry``). docs/kb.md, Assistant.
"""

from kbanswer.extract import (
    CHECK_FEATURES,
    MARK_GRAMS,
    Answer,
    Candidate,
    Config,
    Scored,
    answer,
    answer_span,
    answerability,
    check_features,
    check_inputs,
    lead_sentence,
    mark_grams,
    marks,
    score_sentences,
    split,
)
from kbanswer.question import Expect, Question, analyze, retrieval_query
from kbanswer.registry import RegistryIntent, named_date_field, parse_registry_question

__all__ = [
    "CHECK_FEATURES",
    "MARK_GRAMS",
    "Answer",
    "Candidate",
    "Config",
    "Expect",
    "Question",
    "RegistryIntent",
    "Scored",
    "analyze",
    "answer",
    "answer_span",
    "answerability",
    "check_features",
    "check_inputs",
    "lead_sentence",
    "mark_grams",
    "marks",
    "named_date_field",
    "parse_registry_question",
    "retrieval_query",
    "score_sentences",
    "split",
]
