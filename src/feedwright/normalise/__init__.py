"""Pure functions shared by every source reader: text, dates, credits, html and ids."""
