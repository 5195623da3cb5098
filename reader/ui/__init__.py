"""The Textual reading app. Nothing is imported here so `reader.cli` stays fast to import."""
