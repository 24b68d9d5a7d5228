"""Date and time formats per language (settings.FORMAT_MODULE_PATH): one way to write a date in each language.

The long and short names give the same text, so a date reads alike on every page, in every e-mail and export,
whichever name a template asks for. Input formats are Django's own for the language.
"""
