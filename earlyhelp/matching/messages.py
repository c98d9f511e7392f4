"""Every refusal of link_csv, worded for the person running it; tests compare against these constants."""

FILE_MISSING = "The {which} file {path} does not exist"
MAP_FORMAT = "--map takes COLUMN=field, e.g. --map Surname=family_name; got '{value}'"
MAP_FIELD_UNKNOWN = "--map names the field '{field}', which is not one of {allowed}"
COLUMNS_MISSING = "The {which} file has no column {columns}; its columns are {present}"
