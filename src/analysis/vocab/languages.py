"""The languages of the project, declared once (no imports: the command line reads it before
deciding whether anything needs pandas)."""

LANGS = ("en", "ru")  # every text exists in these languages
OUTPUT_LANGS = ("ru", "en")  # the languages a report is built in by default, in that order
