"""The service's shared web chrome: GOV.UK form fields and the form page, error pages, the
no-store middleware, and the shape of a command that queues a background job. It stands on the
ground floor: every app with pages may use it, and it imports no app of the product."""
