"""The quote stage reads the shared lexicon (pipeline/lexicon.py); its old names, kept for imports."""
from pipeline.lexicon import Lexicon as QuoteLexicon, VerbMatch, load_lexicon

__all__ = ["QuoteLexicon", "VerbMatch", "load_lexicon"]
