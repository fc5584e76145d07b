"""feedwright: article sources to RSS 2.0, Atom 1.0 and JSON Feed 1.1, attribution intact."""

__version__ = "0.1.0"

from feedwright.formats import NS_FW as NAMESPACE  # the project namespace, named in formats

__all__ = ["NAMESPACE", "__version__"]
