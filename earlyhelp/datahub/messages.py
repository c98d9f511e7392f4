"""Every refusal the data hub gives of its own (a file's refusals are the imports floor's, in
earlyhelp/imports/messages.py). docs/datasets.md lists them; tests compare against these constants."""

DATASET_NAME_TAKEN = "A dataset with this name already exists"
DATASET_LAYOUT_UNKNOWN = "Choose a layout the data hub knows: {layouts}"
DATASET_RETENTION_RANGE = "How long records are kept must be between 1 and 1,200 months"
LAYOUT_FOLDER_MISSING = "The layout folder {folder} named in DATAHUB_LAYOUT_DIRS does not exist"
LAYOUT_DOCUMENT_INVALID = "The layout document {path} cannot be used: {problems}"
LAYOUT_NAME_TWICE = "Two layout documents are named '{name}': {paths}"
VALUE_NEGATIVE = "The value must be 0 or more"
NOT_ALLOWED_TO_UPLOAD = "Only the Early Help Team can load partners' files"
NOT_ALLOWED_TO_MANAGE = "Only a system administrator can register or change a dataset"
UPLOAD_FAILED = (
    "The file could not be loaded because of a fault in the system; nothing was stored. "
    "Try again, or tell the service desk"
)
FLAG_RULES_FILE_MISSING = "The flag rules file {path} named in DATAHUB_FLAG_RULES_FILE does not exist"
FLAG_RULES_UNREADABLE = "The flag rules document cannot be read: {problem}"
FLAG_RULES_INVALID = "The flag rules cannot be used: {problems}"
FLAG_RULE_NOT_A_TABLE = "{where} must be a table of keys and values"
FLAG_RULE_NAME_MISSING = "{where} needs a 'name'"
FLAG_RULE_NAME_TWICE = "Two rules are named '{name}'"
FLAG_RULE_KEY_UNKNOWN = "{where} has keys the rules do not know: {keys}"
FLAG_RULE_LAYOUT_UNKNOWN = "{where} names the layout '{layout}', which the data hub does not know"
FLAG_RULE_AREA_UNKNOWN = "{where} needs an 'outcome_area', one of: {areas}"
FLAG_RULE_FACT_UNKNOWN = "{where} names '{fact}', which is not a fact column of the layout {layout}"
FLAG_RULE_CONDITION_INVALID = (
    "{where}: each condition in 'when' names a 'fact' (or a 'ratio' of two) and one test: 'is', 'in' or 'at_least'"
)
FLAG_RULE_THRESHOLD_INVALID = "{where}: 'at_least' must be a number"
FLAG_RULE_NOT_NUMERIC = "{where}: 'at_least' and 'ratio' apply only to whole-number or decimal facts"
FLAG_RULE_VALUE_INVALID = "{where}: the values tested for '{fact}' must be ones that column can hold"
FLAG_RULE_DATE_NOT_DATE = "{where}: 'date' must name a date fact, not '{fact}'"
FLAG_RULE_COUNT_INVALID = (
    "{where}: 'count' needs 'at_least' (a whole number of 2 or more) and 'within_months' (1 to 120), and nothing else"
)
FLAG_RULE_REASON_INVALID = "{where} needs a 'reason' of at most {most} characters naming only the layout's facts"
FLAG_RULE_NO_TEST = "{where} needs a condition in 'when' or a 'count'"
NOT_ALLOWED_TO_IDENTIFY = "Only the Early Help Team can work the identification list"
DISMISS_NOT_LISTED = "This family is not on the identification list"
DISMISS_REASON_MISSING = "Enter why the family does not need early help now"
NOT_ALLOWED_TO_REVIEW = "Only the Early Help Team and the data protection officer can review partner records' links"
REVIEW_ALREADY_LINKED = "This record has already been linked to a person"
REVIEW_ALREADY_DECIDED = "This record has already been reviewed: it is known to partners only"
REVIEW_NOT_YET_MATCHED = "This record has not been matched yet, so there is no candidate to review"
LINKING_TOO_FEW = (
    "The records could not be matched to the register yet: there are too few records to estimate the matching "
    "model. They wait to be matched at the next run"
)
LINKING_FAILED = (
    "The records were stored, but matching them to the register stopped on a fault in the system. "
    "They wait to be matched at the next run"
)
REVIEW_DECISION_REQUIRED = "Select whether the records are about the same person"
NOT_ALLOWED_TO_CREATE_PERSON = "Only the Early Help Team can add a person to the register from a partner record"
CREATE_PERSON_NOT_PARTNERS_ONLY = "A person can be created only from a record known to partners only"
NOT_ALLOWED_TO_REVIEW_DUPLICATES = "Only the Early Help Team reviews likely duplicates on the register"
DUPLICATE_ALREADY_DECIDED = "This pair has already been decided: {status}"
DUPLICATE_NOTE_TOO_LONG = "The note must be 1,000 characters or fewer"
DUPLICATE_SEARCH_UNDER_WAY = "A search for duplicates is already under way: wait for it to finish"
DUPLICATES_TOO_FEW = (
    "The register could not be searched for duplicates: there are too few people on it to estimate the matching model"
)
DUPLICATE_SEARCH_FAILED = "The search for duplicates stopped on a fault in the system; nothing was changed. Try again"
