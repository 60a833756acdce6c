"""Custom actions, one module per concern. rasa-sdk imports every module of this package."""
