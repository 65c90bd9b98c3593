"""What the API answers: engine objects and sessions → JSON (convert, state), the
response models that document it (responses), and encoded answers kept for reuse."""
