"""reader: a terminal news reader that finds tweets, captions and quotes in scraped articles."""

__version__ = "0.1.0"
