"""The `reader` console script (placeholder until the CLI lands)."""


def main(argv: list[str] | None = None) -> int:
    print("reader: not yet")
    return 0
