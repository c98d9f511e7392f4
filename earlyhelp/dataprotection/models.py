"""Data protection keeps no tables of its own: break-glass grants are relations to a record and live
with the register (families.BreakGlassGrant); alerts live in notifications."""
