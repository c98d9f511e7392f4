"""The postcode lookup's sample file: the demo borough's made-up postcodes in the ONS Postcode
Directory layout (data/README.md), which `load_postcodes --demo` and the demo borough load."""

from pathlib import Path

SYNTHETIC_POSTCODES = Path(__file__).resolve().parent / "data" / "synthetic_postcodes.csv"
