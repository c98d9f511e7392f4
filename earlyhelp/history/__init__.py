"""Importing a council's years of history from its previous system: a documented bundle of CSV files
(docs/history-import.md), checked whole, stored all together or not at all, recognised by the previous
system's ids when it comes again."""
