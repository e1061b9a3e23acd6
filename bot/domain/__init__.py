"""Pure business rules: no Telegram, database or document imports here."""
