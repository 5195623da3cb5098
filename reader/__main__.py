"""`python -m reader` runs the same console script as `reader`."""

from reader.cli import main

raise SystemExit(main())
