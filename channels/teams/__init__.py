"""Microsoft Teams channel: the Rasa connector (connector.py, runs in the Rasa server) and a local
Bot Connector emulator for development and tests (emulator.py, runs in the app environment)."""
