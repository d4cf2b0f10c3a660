"""extractor: structured, checked facts from motor-racing news."""
__version__ = "0.1.0"

from .pipeline import Extractor, extract  # noqa: E402

__all__ = ["Extractor", "extract", "__version__"]
