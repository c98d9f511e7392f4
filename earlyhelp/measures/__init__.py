"""Measuring success: children's social care activity as data, and the strategy's indicators
(K01 to K19) computed exactly as docs/indicators.md defines them."""
