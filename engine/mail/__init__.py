"""E-mail copies of notifications: preferences, an outbox written in the action's transaction, SMTP delivery."""
