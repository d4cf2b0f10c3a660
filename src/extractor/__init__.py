"""extractor: structured, checked facts from motor-racing news."""
__version__ = "0.1.0"

__all__ = ["Extractor", "extract", "__version__"]


def __getattr__(name: str):
    # Importing the pipeline loads spaCy; tools that only read records
    # (check, diff, evaluate) should not pay for it.
    if name in ("Extractor", "extract"):
        from . import pipeline
        return getattr(pipeline, name)
    raise AttributeError(name)
