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
