"""Command palette provider: every reader action, searchable by name."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

# (title, help, app action). Every key the app binds has its action here; a test checks it.
PALETTE_COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("Open article", "Open the highlighted article in the reading pane", "open_article"),
    ("Next article", "Open the next article in the list", "next_article"),
    ("Previous article", "Open the previous article in the list", "previous_article"),
    ("Next unit", "Select the next tweet, caption, quote or paragraph", "next_unit"),
    ("Previous unit", "Select the previous tweet, caption, quote or paragraph", "previous_unit"),
    ("Page down", "Scroll the reading pane down a page", "page_down"),
    ("Page up", "Scroll the reading pane up a page", "page_up"),
    ("Focus list", "Move the focus to the article list", "focus_list"),
    ("Focus reading pane", "Move the focus to the reading pane", "focus_pane"),
    ("Back", "Close the outline or filter, or go back to the list", "back"),
    ("Toggle outline", "Show or hide the outline of tweets, captions and quotes", "toggle_outline"),
    ("Filter by title", "Narrow the list to titles containing what you type", "filter"),
    ("Clear filter", "Show every article again", "clear_filter"),
    ("Open link", "Open the selected tweet's link, or the article's, in the browser", "open_link"),
    ("Help", "Show every key and how saving quotes works", "help"),
    ("Problems", "List the files that could not be loaded, and why", "problems"),
    ("Reload library", "Look at the library's files again: new, changed, removed", "reload"),
    ("Library views", "Tweets by account, quotes by speaker, shared tweets", "library_views"),
    ("Tweets by account", "Every tweet in the library, by account", "library_views('accounts')"),
    ("Quotes by speaker", "Every quote in the library by one speaker", "library_views('speakers')"),
    ("Shared tweets", "The articles that embed the same tweet", "library_views('shared')"),
    ("Save quote", "Save the selected unit to your quotes", "save_quote"),
    ("Bookmark article", "Bookmark or un-bookmark the current article", "toggle_bookmark"),
    ("Toggle read", "Mark the current article read or unread", "toggle_read"),
    ("Bookmarks", "Show your saved quotes", "show_bookmarks"),
    ("Mark all read", "Mark every article in the list, as filtered now, read", "mark_all_read"),
    (
        "Cycle read filter",
        "Show all articles, only unread ones, or only bookmarked ones",
        "cycle_read_filter",
    ),
    ("Next sentence", "Narrow the selected unit to a sentence, then the next", "next_sentence"),
    ("Previous sentence", "Narrow to a sentence, then the previous one", "previous_sentence"),
    ("Extend sentences", "Add the next sentence to the sentences to save", "extend_sentences"),
    ("Shrink sentences", "Drop the last sentence from the sentences to save", "shrink_sentences"),
    ("Export quotes as Markdown", "Write your saved quotes to a new file", "export('markdown')"),
    ("Export quotes as JSON", "Write your saved quotes to a new file", "export('json')"),
    ("Export quotes as CSV", "Write your saved quotes to a new file", "export('csv')"),
    ("Quit", "Leave the reader", "quit"),
)


class ReaderCommands(Provider):
    """Offers `PALETTE_COMMANDS`; each runs the same app action as its key."""

    async def discover(self) -> Hits:
        for title, help_text, action in PALETTE_COMMANDS:
            yield DiscoveryHit(title, partial(self._run, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, action in PALETTE_COMMANDS:
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(title), partial(self._run, action), help=help_text
                )

    async def _run(self, action: str) -> None:
        await self.app.run_action(action)
