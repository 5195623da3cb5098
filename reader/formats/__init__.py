"""Input formats. Each module turns one kind of file into `Article`s of the same model."""
