"""Who may do and see what: principals, API keys, accounts, visibility and rate limits (issue 3)."""
