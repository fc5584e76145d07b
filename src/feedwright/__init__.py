"""feedwright: article sources to RSS 2.0, Atom 1.0 and JSON Feed 1.1, attribution intact."""

__version__ = "0.1.0"

#: The project namespace that carries the whole attribution record in RSS and Atom.
NAMESPACE = "https://feedwright.dev/ns/attribution/1.0"
