"""Importing partners' and councils' files: layouts declared as data, files read safely, every row
checked before anything is stored, and a file already loaded recognised by its content.

The data hub's partner datasets and the history import both stand on this floor; docs/imports.md
describes the layout document and every refusal.
"""
