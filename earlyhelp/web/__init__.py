"""The service's shared web chrome: GOV.UK form fields and the form page, error pages, and the
no-store middleware. It stands on the ground floor: every app with pages may use it, and it
imports no app of the product."""
